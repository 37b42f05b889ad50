import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { openYara } from './yara.js';

const MARKER = 'ASSAY-PLANTED-MARKER-7f3a';

const RULES = `
rule planted_marker {
  meta:
    severity = "critical"
    category = "miner"
    description = "Planted \\"marker\\" — für Tests"
  strings:
    $m = "${MARKER}"
  condition:
    $m
}
`;

const MORE_RULES = `
rule plain_hex {
  strings:
    $h = { 41 53 53 41 59 2D 48 45 58 }
  condition:
    $h
}
`;

async function tempDir(t: TestContext, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `assay-${name}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rulesDir(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await tempDir(t, 'yara-rules');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('openYara', () => {
  test('rules from every *.yar/*.yara file; a planted string matches, a decoy does not', async (t) => {
    const dir = await rulesDir(t, { 'a.yar': RULES, 'b.yara': MORE_RULES, 'notes.txt': 'not a rule {' });
    const spool = await tempDir(t, 'yara-spool');
    const engine = await openYara(dir, { spoolDir: spool });
    t.after(() => engine.close());
    assert.match(engine.cacheKey, /^[0-9a-f]{64}$/);

    const hits = await engine.scan('/x', Buffer.from(`prefix ${MARKER} and ASSAY-HEX suffix`));
    assert.deepEqual(hits, [
      {
        kind: 'threat',
        id: 'yara:planted_marker',
        engine: 'yara',
        severity: 'critical',
        category: 'miner',
        title: 'Planted "marker" — für Tests',
        evidence: 'YARA rule planted_marker',
      },
      {
        kind: 'threat',
        id: 'yara:plain_hex',
        engine: 'yara',
        severity: 'high',
        category: 'yara',
        title: 'plain_hex',
        evidence: 'YARA rule plain_hex',
      },
    ]);
    const decoy = MARKER.replace('PLANTED', 'PLANTEd');
    assert.deepEqual(await engine.scan('/decoy', Buffer.from(`prefix ${decoy} ASSAY-HEx`)), []);

    assert.equal((await readdir(spool)).length, 1, 'one private work dir under the spool dir');
    await engine.close();
    assert.deepEqual(await readdir(spool), [], 'nothing left behind');
  });

  test('many concurrent files: each gets its own result', async (t) => {
    const engine = await openYara(await rulesDir(t, { 'a.yar': RULES }), {
      spoolDir: await tempDir(t, 'spool'),
    });
    t.after(() => engine.close());
    const files = Array.from({ length: 300 }, (_, i) =>
      Buffer.from(i % 7 === 0 ? `#${i} ${MARKER}` : `#${i} clean`),
    );
    const results = await Promise.all(files.map((b, i) => engine.scan(`/f/${i}`, b)));
    const matched = results.flatMap((hits, i) => (hits.length > 0 ? [i] : []));
    assert.deepEqual(
      matched,
      files.flatMap((_, i) => (i % 7 === 0 ? [i] : [])),
    );
  });

  test('a 20 MB file: marker at the very end matches, a clean one does not', async (t) => {
    const engine = await openYara(await rulesDir(t, { 'a.yar': RULES }), {
      spoolDir: await tempDir(t, 'spool'),
    });
    t.after(() => engine.close());
    const big = Buffer.alloc(20 * 1024 * 1024, 0x20);
    assert.equal(engine.wants('/big', big.length), true);
    assert.deepEqual(await engine.scan('/big', big), []);
    big.write(MARKER, big.length - MARKER.length, 'latin1');
    assert.deepEqual(
      (await engine.scan('/big', big)).map((h) => h.id),
      ['yara:planted_marker'],
    );
  });

  test('wants: non-empty files up to maxFileBytes', async (t) => {
    const engine = await openYara(await rulesDir(t, { 'a.yar': RULES }), { maxFileBytes: 10 });
    t.after(() => engine.close());
    assert.deepEqual(
      [0, 1, 10, 11].map((n) => engine.wants('/f', n)),
      [false, true, true, false],
    );
  });

  test('cacheKey follows the rule files', async (t) => {
    const dir = await rulesDir(t, { 'a.yar': RULES });
    const keyOf = async (): Promise<string> => {
      const e = await openYara(dir);
      await e.close();
      return e.cacheKey;
    };
    const first = await keyOf();
    assert.equal(await keyOf(), first);
    await writeFile(join(dir, 'b.yar'), MORE_RULES);
    assert.notEqual(await keyOf(), first);
  });

  test('a scan past the timeout is that file’s timeout error; the engine goes on', async (t) => {
    const slow =
      'rule slow { condition: for all i in (0..filesize - 1) : (uint8(i) == 0x41 or uint8(i) != 0x42) }\n';
    const engine = await openYara(await rulesDir(t, { 'slow.yar': slow, 'a.yar': RULES }), {
      timeoutMs: 1000,
    });
    t.after(() => engine.close());
    await assert.rejects(
      engine.scan('/big', Buffer.alloc(20 * 1024 * 1024, 0x41)),
      (e) => isAssayError(e, 'timeout') && /rules in .*timed out/.test(e.message),
    );
    assert.deepEqual(
      (await engine.scan('/m', Buffer.from(MARKER))).map((h) => h.id),
      ['yara:planted_marker', 'yara:slow'],
    );
  });

  test('abort while queued, close while running: both reject, nothing is left in the spool', async (t) => {
    const slow =
      'rule slow { condition: for all i in (0..filesize - 1) : (uint8(i) == 0x41 or uint8(i) != 0x42) }\n';
    const spool = await tempDir(t, 'spool');
    const engine = await openYara(await rulesDir(t, { 'slow.yar': slow }), {
      spoolDir: spool,
      concurrency: 1,
    });
    const running = assert.rejects(engine.scan('/big', Buffer.alloc(20 * 1024 * 1024, 0x41)), (e) =>
      isAssayError(e, 'aborted'),
    );
    const ac = new AbortController();
    const queued = engine.scan('/next', Buffer.from('x'), ac.signal);
    ac.abort();
    await assert.rejects(queued, (e) => isAssayError(e, 'aborted'));
    await engine.close();
    await running;
    await assert.rejects(engine.scan('/after', Buffer.from('x')), /engine closed/);
    assert.deepEqual(await readdir(spool), []);
  });
});

describe('openYara: bad rule sets', () => {
  test('a rule file that does not compile names the file, the line and yara’s message', async (t) => {
    const broken =
      'rule ok { condition: true }\n\nrule bad {\n  strings:\n    $a = "x"\n  condition:\n    $b\n}\n';
    const dir = await rulesDir(t, { 'a.yar': RULES, 'broken.yara': broken });
    const spool = await tempDir(t, 'spool');
    await assert.rejects(
      openYara(dir, { spoolDir: spool }),
      (e) =>
        isAssayError(e, 'invalid-input') &&
        e.message.includes(join(dir, 'broken.yara')) &&
        /line 8: rule "bad": undefined string "\$b"/.test(e.message),
    );
    assert.deepEqual(await readdir(spool), [], 'the work dir is removed');
    await writeFile(join(dir, 'broken.yara'), 'rule unterminated {\n  condition: true\n');
    await assert.rejects(
      openYara(dir),
      (e) => isAssayError(e, 'invalid-input') && /broken\.yara.*syntax error/.test(e.message),
    );
  });

  test('a duplicated rule name across files is a compile error', async (t) => {
    const dir = await rulesDir(t, { 'a.yar': RULES, 'b.yar': RULES });
    await assert.rejects(
      openYara(dir),
      (e) => isAssayError(e, 'invalid-input') && /duplicated identifier/.test(e.message),
    );
  });

  test('a missing directory, a file instead of a directory, a dangling rule file, an empty directory', async (t) => {
    const base = await tempDir(t, 'yara-missing');
    await assert.rejects(
      openYara(join(base, 'nope')),
      (e) => isAssayError(e, 'invalid-input') && /nope does not exist/.test(e.message),
    );
    await writeFile(join(base, 'file.yar'), RULES);
    await assert.rejects(openYara(join(base, 'file.yar')), /is not a directory/);
    await mkdir(join(base, 'dangling'));
    await symlink(join(base, 'gone.yar'), join(base, 'dangling', 'x.yar'));
    await assert.rejects(
      openYara(join(base, 'dangling')),
      (e) => isAssayError(e, 'invalid-input') && /cannot read YARA rule file .*x\.yar/.test(e.message),
    );
    await mkdir(join(base, 'empty'));
    await writeFile(join(base, 'empty', 'readme.md'), 'no rules');
    await assert.rejects(openYara(join(base, 'empty')), /has no \*\.yar or \*\.yara files/);
  });
});
