import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { apkInstalled, INSTALLED_DB } from './analyzer.js';

function fixture(name: string): Buffer {
  return readFileSync(testdata(import.meta.url, name));
}

describe('apk-installed analyzer: real databases', () => {
  it('reads an Alpine 3.16 database (syft fixture)', async () => {
    const result = await analyzeFiles(
      apkInstalled,
      [memoryFile(INSTALLED_DB, fixture('alpine-3.16-installed'))],
      1,
    );
    assert.deepEqual(result.issues, []);
    assert.equal(result.packages.length, 14);
    const libssl = result.packages.find((p) => p.name === 'libssl1.1')!;
    assert.equal(libssl.version, '1.1.1q-r0');
    assert.equal(libssl.arch, 'x86_64');
    assert.deepEqual(libssl.source, { name: 'openssl', version: '1.1.1q-r0' });
    assert.deepEqual(libssl.licenses, ['OpenSSL']);
    assert.equal(libssl.purl, 'pkg:apk/alpine/libssl1.1@1.1.1q-r0?arch=x86_64');
    assert.equal(libssl.locations[0]?.layerIndex, 1);
    assert.equal(libssl.metadata?.kind, 'apk');
    const caBundle = result.packages.find((p) => p.name === 'ca-certificates-bundle')!;
    assert.deepEqual(caBundle.licenses, ['MPL-2.0 AND MIT']);
    assert.deepEqual(caBundle.source?.name, 'ca-certificates');
  });

  it('reads the Alpine 3.4 edge cases (trivy fixture): a record without V: is an issue', async () => {
    const result = await analyzeFiles(apkInstalled, [
      memoryFile(INSTALLED_DB, fixture('alpine-3.4-edge-cases-installed')),
    ]);
    assert.equal(result.packages.length, 15);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line, i.location?.path]),
      [['missing-field', 23, INSTALLED_DB]],
    );
    const musl = result.packages.find((p) => p.name === 'musl')!;
    assert.deepEqual(musl.metadata, {
      kind: 'apk',
      checksum: 'Q11otALzX1d1D0kVawy06IairTXS0=',
      commit: 'e6c226fbe17bb8f856dce5f0d9bc088b333e6225',
      maintainer: 'Timo Teräs <timo.teras@iki.fi>',
      url: 'http://www.musl-libc.org/',
      buildTime: 1466181580,
      installedSize: 569344,
    });
    assert.ok(result.packages.some((p) => p.version === '2.9.11_pre20061021-r2'));
  });

  it('wants only the installed database', () => {
    assert.ok(apkInstalled.wants(INSTALLED_DB, 0));
    for (const path of [
      'lib/apk/db/installed.old',
      'lib/apk/db/scripts.tar',
      'usr/lib/apk/db/installed',
      'etc/apk/world',
    ]) {
      assert.equal(apkInstalled.wants(path, 0), false, path);
    }
  });
});

describe('apk-installed analyzer: bad input', () => {
  it('keeps records with invalid UTF-8, reporting the line', async () => {
    const bytes = Buffer.from('P:a\nV:1-r0\nm:Jos\xe9 <j@x>\n\nP:b\nV:2-r0\n', 'latin1');
    const result = await analyzeFiles(apkInstalled, [memoryFile(INSTALLED_DB, bytes)]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [['invalid-utf8', 3]],
    );
  });

  it('reports malformed lines, records without a name, and duplicates', async () => {
    const text = 'P:a\nV:1-r0\nnonsense\n\nV:9-r0\nA:x86_64\n\nP:a\nV:2-r0\n\nP:c\nV:3-r0\n';
    const result = await analyzeFiles(apkInstalled, [memoryFile(INSTALLED_DB, text)]);
    assert.deepEqual(
      result.packages.map((p) => `${p.name}@${p.version}`),
      ['a@1-r0', 'c@3-r0'],
    );
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.line]),
      [
        ['malformed-record', 3],
        ['malformed-record', 5],
        ['duplicate-package', 8],
      ],
    );
  });

  it('survives binary garbage and a giant line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('P:a\nV:1-r0\n\n'),
      Buffer.from([0, 1, 2, 0xff, 0x0a, 0xfe, 0x00]),
      Buffer.from(`\nT:${'y'.repeat(1024 * 1024)}\n\nP:b\nV:2-r0\n`),
    ]);
    const result = await analyzeFiles(apkInstalled, [memoryFile(INSTALLED_DB, bytes)]);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      result.issues.map((i) => i.code),
      ['binary-content', 'binary-content', 'line-too-long'],
    );
  });
});
