import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles, fixtureFiles, testdata } from '../../testkit.test.js';
import { pythonDistInfo } from './analyzer.js';

const DEB = 'usr/lib/python3/dist-packages';
const LOCAL = 'usr/local/lib/python3.11/site-packages';

describe('python-dist-info analyzer: real metadata files', () => {
  it('reads dist-info, egg-info directories and egg-info files from a real-path tree', async () => {
    const files = fixtureFiles(testdata(import.meta.url, 'image'));
    assert.ok(files.every((f) => pythonDistInfo.wants(f.path, 0)));
    const result = await analyzeFiles(pythonDistInfo, files, 2);
    assert.deepEqual(result.issues, []);
    const rows = result.packages.map((p) => [p.name, p.version, p.purl, p.licenses, p.locations[0]!.path]);
    assert.deepEqual(rows, [
      ['PyYAML', '6.0', 'pkg:pypi/pyyaml@6.0', ['MIT'], `${DEB}/PyYAML-6.0.dist-info/METADATA`],
      [
        'cryptography',
        '38.0.4',
        'pkg:pypi/cryptography@38.0.4',
        ['BSD-3-Clause OR Apache-2.0'],
        `${DEB}/cryptography.egg-info/PKG-INFO`,
      ],
      [
        'lazr.uri',
        '1.0.6',
        'pkg:pypi/lazr-uri@1.0.6',
        ['LGPL v3'],
        `${DEB}/lazr.uri-1.0.6.egg-info/PKG-INFO`,
      ],
      [
        'rpm',
        '4.18.0',
        'pkg:pypi/rpm@4.18.0',
        ['GNU General Public License v2'],
        `${DEB}/rpm-4.18.0.egg-info`,
      ],
      [
        'wsgiref',
        '0.1.2',
        'pkg:pypi/wsgiref@0.1.2',
        ['PSF or ZPL'],
        'usr/local/lib/python2.7/wsgiref.egg-info',
      ],
      ['attrs', '26.1.0', 'pkg:pypi/attrs@26.1.0', ['MIT'], `${LOCAL}/attrs-26.1.0.dist-info/METADATA`],
      [
        'blinker',
        '1.9.0',
        'pkg:pypi/blinker@1.9.0',
        ['MIT License'],
        `${LOCAL}/blinker-1.9.0.dist-info/METADATA`,
      ],
      [
        'charset-normalizer',
        '3.4.7',
        'pkg:pypi/charset-normalizer@3.4.7',
        ['MIT'],
        `${LOCAL}/charset_normalizer-3.4.7.dist-info/METADATA`,
      ],
      [
        'libcst',
        '1.0.1',
        'pkg:pypi/libcst@1.0.1',
        ['MIT License'],
        `${LOCAL}/libcst-1.0.1.dist-info/METADATA`,
      ],
    ]);
    const yaml = result.packages[0]!;
    assert.equal(yaml.type, 'python');
    assert.deepEqual(yaml.introducedIn, { layerIndex: 2, layerDiffId: yaml.locations[0]!.layerDiffId });
    assert.equal(yaml.locations[0]!.evidence, 'primary');
    assert.equal(yaml.locations[0]!.layerIndex, 2);
  });
});

describe('python-dist-info analyzer: wants', () => {
  it('wants core metadata files anywhere, and nothing that only looks like them', () => {
    const wanted = [
      `${DEB}/PyYAML-6.0.dist-info/METADATA`,
      `${LOCAL}/attrs-26.1.0.dist-info/METADATA`,
      'opt/venv/lib/python3.12/site-packages/pip-24.0.dist-info/METADATA',
      'app/.venv/lib64/python3.9/site-packages/x-1.dist-info/METADATA',
      `${DEB}/cryptography.egg-info/PKG-INFO`,
      `${DEB}/rpm-4.18.0.egg-info`,
      'usr/local/lib/python2.7/wsgiref.egg-info',
      `${LOCAL}/foo-1.0-py3.11.egg/EGG-INFO/PKG-INFO`,
      'src/myproject.egg-info/PKG-INFO',
    ];
    for (const path of wanted) assert.ok(pythonDistInfo.wants(path, 0), path);
    const unwanted = [
      `${DEB}/PyYAML-6.0.dist-info/RECORD`,
      `${DEB}/PyYAML-6.0.dist-info/WHEEL`,
      `${DEB}/PyYAML-6.0.dist-info/METADATA.bak`,
      `${DEB}/PyYAML-6.0.dist-info/sub/METADATA`,
      `${DEB}/.dist-info/METADATA`,
      'METADATA',
      `${DEB}/cryptography.egg-info/SOURCES.txt`,
      `${DEB}/cryptography.egg-info/top_level.txt`,
      'src/foo-1.0/PKG-INFO',
      'PKG-INFO',
      `${LOCAL}/EGG-INFO/PKG-INFO`,
      `${LOCAL}/.egg-info`,
      `${LOCAL}/foo.egg-info.txt`,
      `${LOCAL}/METADATA/x`,
    ];
    for (const path of unwanted) assert.equal(pythonDistInfo.wants(path, 0), false, path);
  });
});
