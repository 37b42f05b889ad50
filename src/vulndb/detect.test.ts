import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { crc32, gzipSync } from 'node:zlib';
import { isAssayError } from '../model/errors.js';
import { detectImporter, HEAD_BYTES, readHead } from './detect.js';

const DATA = new URL('./testdata/', import.meta.url).pathname;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-detect-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A zip of stored entries (APPNOTE 4.3.7 local headers, 4.3.12 central directory, 4.3.16 end record). */
function storedZip(files: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += local.length + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

test('the head of a directory, a zip, a gzip file and a plain file', async (t) => {
  const dir = await tempDir(t);
  assert.deepEqual(await readHead(join(DATA, 'osv')), {
    kind: 'directory',
    text: '',
    path: join(DATA, 'osv/'),
  });

  const zip = join(dir, 'all.zip');
  await writeFile(
    zip,
    storedZip([
      ['GO-2020-0001.json', '{}'],
      ['GO-2020-0003.json', '{}'],
    ]),
  );
  const z = await readHead(zip);
  assert.deepEqual([z.kind, z.text, z.path], ['zip', 'GO-2020-0001.json\nGO-2020-0003.json', zip]);

  const csv = await readFile(join(DATA, 'epss-excerpt.csv'), 'utf8');
  const gz = join(dir, 'epss.csv.gz');
  await writeFile(gz, gzipSync(csv.repeat(2000)));
  const g = await readHead(gz);
  assert.equal(g.kind, 'gzip');
  assert.equal(g.text.length, HEAD_BYTES);
  assert.ok(g.text.startsWith('#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\ncve,epss'));

  // A gzip cut in the middle still gives the bytes before the cut.
  const cut = join(dir, 'cut.csv.gz');
  const whole = gzipSync(csv.repeat(50));
  await writeFile(cut, whole.subarray(0, whole.length >> 1));
  assert.ok((await readHead(cut)).text.startsWith('#model_version'));

  const f = await readHead(join(DATA, 'kev-excerpt.json'));
  assert.equal(f.kind, 'file');
  assert.match(f.text, /"catalogVersion": "2025\.08\.25"/);
});

test('formats are detected by content; anything else is named with the formats expected', async (t) => {
  const dir = await tempDir(t);
  assert.equal((await detectImporter(join(DATA, 'kev-excerpt.json'))).id, 'kev');
  assert.equal((await detectImporter(join(DATA, 'epss-excerpt.csv'))).id, 'epss');
  assert.equal((await detectImporter(join(DATA, 'osv'))).id, 'osv');
  assert.equal((await detectImporter(join(DATA, 'osv', 'PYSEC-2024-3.json'))).id, 'osv');
  const empty = join(dir, 'empty.json');
  await writeFile(empty, '');
  for (const path of [join(DATA, 'notes.txt'), empty]) {
    await assert.rejects(detectImporter(path), (err: unknown) => {
      assert.ok(isAssayError(err, 'invalid-input'));
      assert.equal(
        err.message,
        `${path}: not a known feed format (expected OSV JSON/zip, Debian tracker JSON, Alpine secdb JSON, NVD API 2.0 JSON, CVE JSON 5, EPSS CSV, KEV JSON); pass --format to force one`,
      );
      return true;
    });
  }
  await assert.rejects(detectImporter(join(dir, 'missing')), (err: unknown) =>
    isAssayError(err, 'not-found'),
  );
});
