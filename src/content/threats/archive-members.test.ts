import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { makeZip } from '../../catalog/analyzers/jar/zip-writer.test.js';
import { archive, header, padded } from '../../image/walk/testkit.test.js';
import {
  isArchiveCandidate,
  type MemberLimits,
  type MemberVisitor,
  scanArchiveMembers,
} from './archive-members.js';
import { EICAR_MAX_BYTES, eicarHits, eicarString } from './eicar.js';

const MiB = 1024 * 1024;
const EICAR = Buffer.from(`${eicarString()}\r\n`, 'latin1');

/** Wants small files (the EICAR rule) and records every member it was shown. */
function eicarVisitor(): MemberVisitor & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    wants: (_member, size) => size <= EICAR_MAX_BYTES,
    visit(member, bytes) {
      seen.push(member);
      return eicarHits(bytes);
    },
  };
}

function tar(files: Record<string, Buffer | string>): Buffer {
  const parts = Object.entries(files).map(([name, data]) => {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    return Buffer.concat([header({ name, size: bytes.length }), padded(bytes)]);
  });
  return archive(...parts);
}

async function scan(bytes: Buffer, limits?: Partial<MemberLimits>, path = 'app/x.zip') {
  const visitor = eicarVisitor();
  const result = await scanArchiveMembers(path, bytes, visitor, limits);
  return { ...result, members: result.hits.map((h) => h.member), seen: visitor.seen };
}

describe('scanArchiveMembers: finding members', () => {
  it('finds EICAR in a zip (any extension) and sets member, not the file path', async () => {
    const zip = makeZip([
      { name: 'x/', data: '' },
      { name: 'x/eicar.com', data: EICAR },
      { name: 'x/decoy.txt', data: Buffer.concat([Buffer.from(' '), EICAR]) },
      { name: 'big.bin', data: Buffer.alloc(4096) },
    ]);
    const r = await scan(zip, undefined, 'opt/data.bin');
    assert.deepEqual(r.members, ['x/eicar.com']);
    assert.equal(r.hits[0]?.id, 'eicar');
    assert.deepEqual(r.seen, ['x/eicar.com', 'x/decoy.txt'], 'big.bin is not wanted, never read');
    assert.deepEqual(r.problems, []);
  });

  it('joins nested members with !/ through zip, tar and tar.gz', async () => {
    const inner = makeZip([{ name: 'x/eicar.com', data: EICAR, store: true }]);
    const war = makeZip([{ name: 'WEB-INF/lib/inner.jar', data: inner }]);
    const tgz = gzipSync(tar({ 'app/app.war': war, 'app/readme': 'hello' }));
    const outer = makeZip([{ name: 'bundle.tgz', data: tgz, store: true }]);
    const r = await scan(outer);
    assert.deepEqual(r.members, ['bundle.tgz!/app/app.war!/WEB-INF/lib/inner.jar!/x/eicar.com']);
    assert.deepEqual(r.problems, []);
  });

  it('reads a plain tar and a gzip tar at the top level', async () => {
    const t = tar({ 'etc/eicar.com': EICAR, 'etc/ok': 'fine' });
    assert.deepEqual((await scan(t, undefined, 'x.tar')).members, ['etc/eicar.com']);
    const r = await scan(gzipSync(t), undefined, 'x.tar.gz');
    assert.deepEqual(r.members, ['etc/eicar.com']);
    assert.deepEqual(r.problems, []);
  });

  it('reads an Alpine-style apk: concatenated gzip streams of tar segments', async () => {
    const signature = tar({ '.SIGN.RSA.key.pub': 'sig' }).subarray(0, 1024); // no end marker
    const data = tar({ 'usr/bin/eicar.com': EICAR });
    const apk = Buffer.concat([gzipSync(signature), gzipSync(data)]);
    const r = await scan(apk, undefined, 'var/cache/apk/x-1.0-r0.apk');
    assert.deepEqual(r.members, ['usr/bin/eicar.com']);
    assert.deepEqual(r.problems, []);
  });

  it('ignores a file that is no archive and a lone gzip file, unless named like one', async () => {
    assert.deepEqual(await scanArchiveMembers('notes.txt', Buffer.from('hi'), eicarVisitor()), {
      hits: [],
      problems: [],
    });
    const gz = await scan(gzipSync(EICAR), undefined, 'eicar.com.gz');
    assert.deepEqual(gz, { hits: [], problems: [], members: [], seen: [] });
    const fake = await scan(Buffer.alloc(600, 0x41), undefined, 'fake.jar');
    assert.match(fake.problems[0] ?? '', /^fake\.jar: not a zip or tar archive/);
  });
});

describe('scanArchiveMembers: hostile archives', () => {
  it('a member inflating past its declared size (a lying header) is a problem', async () => {
    const bomb = makeZip([
      { name: 'bomb.bin', data: Buffer.alloc(50 * MiB), declaredSize: 100 },
      { name: 'eicar.com', data: EICAR },
    ]);
    assert.ok(bomb.length < 100 * 1024, `${bomb.length} bytes`);
    const r = await scan(bomb);
    assert.deepEqual(r.members, ['eicar.com'], 'the scan goes on after the bomb');
    assert.match(r.problems[0] ?? '', /^app\/x\.zip!\/bomb\.bin: cannot read the member: /);
  });

  it('members over the member or total limit are not inflated', async () => {
    const zeros = Buffer.alloc(8 * MiB);
    const zip = makeZip([
      { name: 'a.zip', data: zeros },
      { name: 'b.zip', data: zeros },
      { name: 'c.zip', data: zeros },
      { name: 'd.zip', data: zeros },
    ]);
    const r = await scan(zip, { maxMemberBytes: 4 * MiB });
    assert.equal(r.problems.length, 4);
    assert.match(r.problems[0] ?? '', /a\.zip: not read, larger than the 4 MiB limit for one member/);
    const budget = await scan(zip, { maxTotalBytes: 12 * MiB });
    assert.deepEqual(budget.problems, [
      'app/x.zip!/b.zip: not read further, the archive inflates past the 12 MiB limit',
      'app/x.zip: 2 more members not read for the total size limit',
    ]);
  });

  it('a 42.zip-like nest stops at the depth and size limits, quickly', async () => {
    // 42.zip has 16 copies per level and 4.3 GB leaves; 8 copies of 16 MiB keep the test fast.
    let level = makeZip([{ name: 'zeros.bin', data: Buffer.alloc(16 * MiB) }]);
    for (let depth = 0; depth < 5; depth++) {
      level = makeZip(Array.from({ length: 8 }, (_, i) => ({ name: `l${depth}-${i}.zip`, data: level })));
    }
    assert.ok(level.length < 2 * MiB, `${level.length} bytes`);
    const before = process.memoryUsage().rss;
    const r = await scan(level);
    const grew = process.memoryUsage().rss - before;
    assert.ok(grew < 512 * MiB, `rss grew ${grew}`);
    assert.ok(r.problems.some((p) => p.includes('not opened, archives nested more than 3 deep')));
    assert.ok(r.problems.length <= 51, `${r.problems.length} problems`);
    assert.equal(r.hits.length, 0);
  });

  it('a gzip tar bomb stops at the total budget', async () => {
    const t = tar({ 'zeros.bin': Buffer.alloc(64 * MiB), 'eicar.com': EICAR });
    const r = await scan(gzipSync(t), { maxTotalBytes: 16 * MiB }, 'bomb.tgz');
    assert.deepEqual(r.problems, ['bomb.tgz: not read further, the archive inflates past the 16 MiB limit']);
    assert.deepEqual(r.members, []);
  });

  it('truncated and corrupt archives are problems naming the archive', async () => {
    const zip = makeZip([{ name: 'eicar.com', data: EICAR }]);
    const cut = await scan(zip.subarray(0, zip.length - 10));
    assert.match(cut.problems[0] ?? '', /^app\/x\.zip: unreadable zip archive \(/);

    const tgz = gzipSync(tar({ 'a.txt': Buffer.alloc(200_000, 0x61), 'eicar.com': EICAR }));
    const truncated = await scan(tgz.subarray(0, tgz.length - 40), undefined, 'x.tgz');
    assert.match(truncated.problems[0] ?? '', /^x\.tgz: unexpected end of gzip stream/);

    const noEnd = tar({ 'eicar.com': EICAR }).subarray(0, 1024);
    const r = await scan(noEnd, undefined, 'x.tar');
    assert.deepEqual(r.members, ['eicar.com']);
    assert.match(
      r.problems[0] ?? '',
      /^x\.tar: tar stream ended at byte 1024 without an end-of-archive marker$/,
    );

    const inner = makeZip([{ name: 'eicar.com', data: EICAR }]);
    const outer = makeZip([{ name: 'lib/broken.jar', data: inner.subarray(0, 40) }]);
    const nested = await scan(outer);
    assert.match(nested.problems[0] ?? '', /^app\/x\.zip!\/lib\/broken\.jar: unreadable zip archive/);
  });

  it('bounds entries across nested archives and the number of problems', async () => {
    const many = makeZip(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' })));
    const r = await scan(many, { maxEntries: 100 });
    assert.match(r.problems[0] ?? '', /300 entries, more than 100/);
    const big = makeZip(
      Array.from({ length: 120 }, (_, i) => ({ name: `z${i}.zip`, data: Buffer.alloc(2048) })),
    );
    const capped = await scan(big, { maxMemberBytes: 1024 });
    assert.equal(capped.problems.length, 51);
    assert.equal(capped.problems.at(-1), 'app/x.zip: 70 more problems not listed');
  });
});

describe('isArchiveCandidate', () => {
  it('goes by extension and size', () => {
    for (const p of ['a.zip', 'lib/x.JAR', 'x.war', 'x.tar', 'x.tar.gz', 'x.tgz', 'x.whl', 'x.apk']) {
      assert.ok(isArchiveCandidate(p, 1000), p);
    }
    for (const p of ['a.gz', 'x.txt', 'zip', 'x.tar.xz']) assert.ok(!isArchiveCandidate(p, 1000), p);
    assert.ok(!isArchiveCandidate('a.zip', 256 * MiB + 1));
    assert.ok(!isArchiveCandidate('a.zip', 10));
  });
});
