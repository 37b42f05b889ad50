/** Hand-crafted hostile layers: every one must end in an exact issue or error, never a crash or a write outside spillDir. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import {
  archive,
  collect,
  entries,
  fileEntry,
  header,
  issues,
  padded,
  paxEntry,
  streamOf,
  tempDir,
} from './testkit.test.js';

const LABEL = 'layer 3 (sha256:0123456789ab…)';

describe('hostile names', () => {
  it('resolves .. and absolute names against the root, as a runtime does, and reports the escape', async () => {
    const seen = await collect(
      archive(
        fileEntry('../../etc/passwd', 'x'),
        fileEntry('/../etc/shadow', 'x'),
        fileEntry('/etc/hosts', 'x'),
        fileEntry('usr/../usr/bin/env', 'x'),
        fileEntry('a/b/../../..', 'x'),
      ),
      { layerLabel: LABEL },
    );
    assert.deepEqual(
      entries(seen).map((e) => e.path),
      ['etc/passwd', 'etc/shadow', 'etc/hosts', 'usr/bin/env'],
    );
    assert.deepEqual(
      issues(seen).map((i) => i.code),
      ['unsafe-path', 'unsafe-path', 'path-normalised', 'unsafe-path', 'unsafe-path'],
    );
    assert.equal(
      issues(seen)[0]?.message,
      `${LABEL}: entry "../../etc/passwd" at byte 0 climbs above the root; read as "etc/passwd"`,
    );
    assert.match(
      issues(seen)[4]?.message ?? '',
      /"a\/b\/\.\.\/\.\.\/\.\." at byte 4096 resolves to the root directory itself; skipped$/,
    );
  });

  it('keeps link targets as data but cleans hardlink targets, reporting escapes', async () => {
    const seen = await collect(
      archive(
        header({ name: 'evil-symlink', type: '2', linkname: '../../../../etc/passwd' }),
        header({ name: 'evil-hardlink', type: '1', linkname: '../../etc/passwd' }),
      ),
    );
    assert.deepEqual(
      entries(seen).map((e) => [e.path, e.type, e.linkname]),
      [
        ['evil-symlink', 'symlink', '../../../../etc/passwd'],
        ['evil-hardlink', 'hardlink', 'etc/passwd'],
      ],
    );
    assert.deepEqual(
      issues(seen).map((i) => i.code),
      ['unsafe-path'],
    );
  });

  it('skips names with NUL bytes smuggled through PAX or GNU long names', async () => {
    const seen = await collect(
      archive(
        paxEntry({ path: 'etc/ok\u0000../../evil' }),
        fileEntry('placeholder', 'x'),
        header({ name: '././@LongLink', type: 'L', size: 20 }),
        padded(Buffer.from('etc/a\u0000../../evil\u0000')),
        fileEntry('placeholder2', 'x'),
        fileEntry('after', 'ok'),
      ),
      { layerLabel: LABEL },
    );
    assert.deepEqual(
      entries(seen).map((e) => e.path),
      ['after'],
    );
    assert.deepEqual(
      issues(seen).map((i) => i.code),
      ['nul-in-name', 'nul-in-name'],
    );
    assert.match(
      issues(seen)[0]?.message ?? '',
      /^layer 3 .*: entry "etc\/ok\\u0000\.\.\/\.\.\/evil" at byte 1024: name contains a NUL byte; skipped$/,
    );
  });

  it('skips giant names (GNU long name, PAX path, link target) beyond maxPathBytes', async () => {
    const giant = 'a/'.repeat(3000);
    const seen = await collect(
      archive(
        header({ name: '././@LongLink', type: 'L', size: giant.length + 1 }),
        padded(`${giant}\u0000`),
        fileEntry('skipped-by-long-name', 'x'),
        paxEntry({ path: giant }),
        fileEntry('skipped-by-pax', 'x'),
        paxEntry({ linkpath: giant }),
        header({ name: 'link', type: '2' }),
        fileEntry('kept', 'x'),
      ),
      { layerLabel: LABEL },
    );
    assert.deepEqual(
      entries(seen).map((e) => e.path),
      ['kept'],
    );
    assert.deepEqual(
      issues(seen).map((i) => i.code),
      ['path-too-long', 'path-too-long', 'path-too-long'],
    );
    assert.match(
      issues(seen)[1]?.message ?? '',
      /name is longer than 4096 bytes \(walk limit maxPathBytes\); skipped$/,
    );
  });

  it('reports malformed PAX headers and unknown entry types without stopping', async () => {
    const badPax = Buffer.concat([header({ name: 'pax', type: 'x', size: 12 }), padded('99 path=x\n\n\n')]);
    const seen = await collect(
      archive(badPax, fileEntry('victim', 'x'), header({ name: 'vol', type: 'V' }), fileEntry('ok')),
    );
    assert.deepEqual(
      entries(seen).map((e) => e.path),
      ['ok'],
    );
    assert.deepEqual(
      issues(seen).map((i) => i.code),
      ['bad-extended-header', 'unsupported-entry'],
    );
  });

  it('refuses whiteouts that would name the directory itself or its parent', async () => {
    const seen = await collect(
      archive(
        fileEntry('etc/.wh.'),
        fileEntry('etc/.wh..'),
        fileEntry('etc/.wh...'),
        fileEntry('.wh..wh.plnk'),
      ),
    );
    assert.deepEqual(
      issues(seen).map((i) => i.code),
      ['invalid-whiteout', 'invalid-whiteout', 'invalid-whiteout', 'aufs-metadata'],
    );
    assert.deepEqual(
      seen.filter((s) => s.kind === 'whiteout'),
      [],
    );
  });
});

describe('hostile structure', () => {
  const spill = tempDir('assay-spill-');
  after(() => spill.remove());

  it('fails a tar truncated inside a body with corrupt-layer naming the layer, entry and offset', async () => {
    const tar = archive(fileEntry('etc/first', 'x'), fileEntry('usr/lib/big', 'y'.repeat(5000)));
    await assert.rejects(collect(tar.subarray(0, 1024 + 512 + 3000), { layerLabel: LABEL }), {
      code: 'corrupt-layer',
      message: `${LABEL}: tar stream truncated at byte 4536, inside the body of "usr/lib/big" (header at byte 1024, 5000 bytes)`,
    });
  });

  it('fails a tar truncated inside a header, and one with a bad checksum', async () => {
    const tar = archive(fileEntry('a', 'x'), fileEntry('b', 'x'));
    await assert.rejects(collect(tar.subarray(0, 1024 + 100), { layerLabel: LABEL }), {
      code: 'corrupt-layer',
      message: `${LABEL}: tar stream truncated at byte 1124, inside the header at byte 1024`,
    });
    await assert.rejects(
      collect(archive(fileEntry('a', 'x'), header({ name: 'b', badChecksum: true })), { layerLabel: LABEL }),
      {
        code: 'corrupt-layer',
        message:
          /^layer 3 \(sha256:0123456789ab…\): not a valid tar header at byte 1024: header checksum mismatch/,
      },
    );
  });

  it('reports a missing end-of-archive marker as an issue', async () => {
    const seen = await collect(fileEntry('a', 'x'), { layerLabel: LABEL });
    assert.deepEqual(issues(seen), [
      {
        code: 'missing-end-of-archive',
        message: `${LABEL}: tar stream ended at byte 1024 without an end-of-archive marker`,
      },
    ]);
  });

  it('stops a layer above maxLayerBytes with too-large naming the layer, the limit and the knob', async () => {
    const tar = archive(fileEntry('big', 'z'.repeat(300_000)));
    await assert.rejects(
      collect(streamOf(tar, 4096), { layerLabel: LABEL, limits: { maxLayerBytes: 100_000 } }),
      {
        code: 'too-large',
        message: `${LABEL}: the layer tar exceeds the limit of 97.66 KiB (walk limit maxLayerBytes); raise maxLayerBytes if this layer is legitimate`,
      },
    );
  });

  it('stops a layer with more than maxEntries headers', async () => {
    const tar = archive(...Array.from({ length: 20 }, (_, i) => fileEntry(`f${i}`)));
    await assert.rejects(collect(tar, { layerLabel: LABEL, limits: { maxEntries: 10 } }), {
      code: 'too-large',
      message: /^layer 3 .*: more than 10 tar entries \(walk limit maxEntries\)/,
    });
  });

  it('writes nothing outside spillDir, and nothing at all once the walk fails', async () => {
    const tar = archive(
      fileEntry('../../../../tmp/evil', 'e'.repeat(2000)),
      fileEntry('ok', 'o'.repeat(2000)),
    );
    const truncated = tar.subarray(0, 512 * 6);
    const before = readdirSync('/tmp').length;
    await assert.rejects(
      collect(truncated, { wants: () => true, spillDir: spill.path, spillThreshold: 100 }),
      {
        code: 'corrupt-layer',
      },
    );
    assert.deepEqual(readdirSync(spill.path), []);
    assert.ok(!readdirSync('/tmp').includes('evil'));
    assert.ok(readdirSync('/tmp').length <= before + 1);
  });

  it('accepts old v7 headers (no magic) and a NUL typeflag as a regular file', async () => {
    const v7 = header({ name: 'old/file', type: '\u0000', size: 2 });
    v7.fill(0, 257, 265);
    v7.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of v7) sum += byte;
    v7.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
    const seen = await collect(archive(v7, padded('hi')), { wants: () => true });
    assert.deepEqual(
      seen.map((s) => (s.kind === 'entry' ? [s.entry.path, s.entry.type, s.text] : s.kind)),
      [['old/file', 'file', 'hi']],
    );
  });
});
