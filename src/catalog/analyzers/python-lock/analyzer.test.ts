import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, memoryFile, testdata } from '../../testkit.test.js';
import { MAX_LOCK_BYTES, pythonLock } from './analyzer.js';

const rows = (packages: { name: string; version: string; purl: string; locations: { path: string }[] }[]) =>
  packages.map((p) => `${p.locations[0]!.path} ${p.name} ${p.version} ${p.purl}`);

describe('python-lock analyzer: fixtures', () => {
  it('reads poetry.lock, Pipfile.lock and requirements files of a project tree', async () => {
    const files = fixtureFiles(testdata(import.meta.url, 'app')).map((f) => ({
      ...f,
      path: `srv/${f.path}`,
    }));
    assert.ok(files.every((f) => pythonLock.wants(f.path, f.content.size)));
    const result = await analyzeFiles(pythonLock, files, 3);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(rows(result.packages), [
      'srv/Pipfile.lock flask 3.0.2 pkg:pypi/flask@3.0.2',
      'srv/Pipfile.lock markupsafe 2.1.5 pkg:pypi/markupsafe@2.1.5',
      'srv/Pipfile.lock zope.interface 6.2 pkg:pypi/zope-interface@6.2',
      'srv/Pipfile.lock pytest 8.1.1 pkg:pypi/pytest@8.1.1',
      'srv/poetry.lock certifi 2024.2.2 pkg:pypi/certifi@2024.2.2',
      'srv/poetry.lock requests 2.31.0 pkg:pypi/requests@2.31.0',
      'srv/poetry.lock pytest 8.1.1 pkg:pypi/pytest@8.1.1',
      'srv/poetry.lock my-fork 0.3.0 pkg:pypi/my-fork@0.3.0',
      'srv/poetry.lock zope-interface 6.2 pkg:pypi/zope-interface@6.2',
      'srv/requirements-dev.txt pytest 8.1.1 pkg:pypi/pytest@8.1.1',
      'srv/requirements-dev.txt Django 4.2.11 pkg:pypi/django@4.2.11',
      'srv/requirements.txt Django 4.2.11 pkg:pypi/django@4.2.11',
      'srv/requirements.txt requests 2.31.0 pkg:pypi/requests@2.31.0',
      'srv/requirements.txt PyYAML 6.0.1 pkg:pypi/pyyaml@6.0.1',
      'srv/requirements.txt urllib3 2.2.1 pkg:pypi/urllib3@2.2.1',
      'srv/requirements.txt cryptography 42.0.5 pkg:pypi/cryptography@42.0.5',
      'srv/requirements.txt zope.interface 6.2 pkg:pypi/zope-interface@6.2',
    ]);
    for (const pkg of result.packages) {
      assert.equal(pkg.type, 'python');
      assert.deepEqual(pkg.licenses, []);
      assert.deepEqual(pkg.introducedIn, { layerIndex: 3, layerDiffId: pkg.locations[0]!.layerDiffId });
      assert.equal(pkg.locations[0]!.evidence, 'primary');
    }
  });

  it('reads real files shipped with the Google Cloud SDK (pipenv lock, pip requirements)', async () => {
    const files = fixtureFiles(testdata(import.meta.url, 'gsutil'));
    assert.ok(files.every((f) => pythonLock.wants(f.path, f.content.size)));
    const result = await analyzeFiles(pythonLock, files);
    assert.deepEqual(result.issues, []);
    const byFile = new Map<string, string[]>();
    for (const p of result.packages) {
      const path = p.locations[0]!.path;
      byFile.set(path, [...(byFile.get(path) ?? []), `${p.name}@${p.version}`]);
    }
    assert.deepEqual(byFile.get('gslib/vendored/boto/requirements.txt'), [
      'simplejson@3.6.5',
      'argparse@1.2.1',
    ]);
    assert.deepEqual(
      byFile.get('third_party/google-auth-library-python/samples/cloud-client/snippets/requirements.txt'),
      ['google-cloud-compute@1.5.1', 'google-cloud-storage@2.5.0', 'google-auth@2.11.0', 'pytest@7.1.2'],
    );
    // Pins behind markers are all kept: which one applies depends on the interpreter.
    const httplib2 = byFile.get('third_party/httplib2/requirements-test.txt')!;
    assert.equal(httplib2.length, 13);
    assert.deepEqual(
      httplib2.filter((p) => p.startsWith('pytest@')),
      ['pytest@4.6.11', 'pytest@6.1.2', 'pytest@6.2.5'],
    );
    const rsa = byFile.get('third_party/rsa/Pipfile.lock')!;
    assert.equal(rsa.length, 42);
    assert.deepEqual(rsa.slice(0, 2), ['pyasn1@0.4.4', 'alabaster@0.7.12']);
    assert.ok(rsa.includes('certifi@2020.4.5.1'));
  });

  it('wants lock files by name, outside installed packages', () => {
    const wanted = [
      'poetry.lock',
      'app/poetry.lock',
      'srv/Pipfile.lock',
      'requirements.txt',
      'app/requirements-dev.txt',
      'app/requirements_test.txt',
      'opt/app/requirements.prod.txt',
      'app/my-site-packages/requirements.txt',
    ];
    for (const path of wanted) assert.ok(pythonLock.wants(path, 0), path);
    const unwanted = [
      'app/poetry.lock.bak',
      'app/Pipfile',
      'app/pipfile.lock',
      'app/requirements.in',
      'app/dev-requirements.txt',
      'app/requirements.txt/x',
      'usr/lib/python3/dist-packages/foo/requirements.txt',
      'usr/local/lib/python3.11/site-packages/bar/poetry.lock',
      'usr/lib/python3.11/site-packages/baz/tests/Pipfile.lock',
      'app/pyproject.toml',
      'site-packages/x/requirements.txt',
    ];
    for (const path of unwanted) assert.equal(pythonLock.wants(path, 0), false, path);
  });

  it('refuses an oversized file with an issue, without reading it', async () => {
    let read = false;
    const huge = {
      path: 'app/poetry.lock',
      content: {
        size: MAX_LOCK_BYTES + 1,
        read: async () => {
          read = true;
          return Buffer.alloc(0);
        },
        stream: () => {
          throw new Error('x');
        },
      },
    };
    const result = await analyzeFiles(pythonLock, [huge, memoryFile('requirements.txt', 'a==1\n')]);
    assert.equal(read, false);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.path]),
      [['too-many-records', 'app/poetry.lock']],
    );
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a'],
    );
  });
});
