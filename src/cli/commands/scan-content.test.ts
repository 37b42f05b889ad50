/**
 * `assay scan` with the content scanners, as a user runs it: the real CLI process on an OCI
 * layout with planted secrets and threats (generated per run), a real DB, a real clamd started
 * with a signature file the test writes, and Debian's yara. Checks the gates, the option
 * precedence, clear errors for bad inputs, and that no raw secret reaches any output format.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ScanDocumentSchema, type ThreatFinding } from '../../model/result.js';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { ociInput } from '../../scan/testing/images.js';
import { type PlantedImage, plantedImage, sha256Hex } from '../../scan/testing/planted.js';
import { hdbLine, startClamd } from '../../test-support/clamd.js';
import { type CliRun, runAssay } from '../testing/run-cli.js';

let home: string;
let work: string;
let dbDir: string;
let image: string;
let planted: PlantedImage;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'assay-content-home-'));
  work = await mkdtemp(join(tmpdir(), 'assay-content-cli-'));
  dbDir = join(work, 'db');
  await importFeedsDbDir(dbDir);
  planted = plantedImage();
  image = (await ociInput(work, 'planted', planted.spec)).input;
});

after(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const scan = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runAssay(['scan', '-p', dbDir, '--skip-db-update', ...args], { HOME: home, ...env });

function assertNoRawValue(text: string, where: string): void {
  for (const raw of planted.raw)
    assert.ok(!text.includes(raw), `${where}: raw value ${raw.slice(0, 6)}… leaked`);
}

describe('assay scan --scanners', () => {
  test('no raw secret in the table, JSON, SARIF or CSV; the table has a section per kind', async () => {
    const all = ['--scanners', 'vuln,secret,threat,config'];
    const table = await scan([...all, image]);
    assert.equal(table.code, 0, table.stderr);
    for (const heading of ['Secrets', 'Threats', 'Configuration'])
      assert.match(table.stdout, new RegExp(heading));
    assert.match(table.stdout, /removed in layer 2/);
    assertNoRawValue(table.stdout + table.stderr, 'table');
    for (const format of ['json', 'sarif', 'csv']) {
      const out = join(work, `out.${format}`);
      const r = await scan([...all, '--format', format, '-o', out, image]);
      assert.equal(r.code, 0, r.stderr);
      assertNoRawValue((await readFile(out, 'utf8')) + r.stdout + r.stderr, format);
    }
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(join(work, 'out.json'), 'utf8')));
    assert.deepEqual(doc.images[0]?.scanners, ['vuln', 'secret', 'threat', 'config']);
  });

  test('a content-only scan needs no vulnerability DB; with vuln it still does', async () => {
    const noDb = join(work, 'no-db');
    const out = join(work, 'no-db.json');
    const ok = await runAssay(
      ['scan', '-p', noDb, '--skip-db-update', '--scanners', 'secret', '-o', out, image],
      { HOME: home },
    );
    assert.equal(ok.code, 0, ok.stderr);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    assert.equal(doc.images[0]?.summary.content?.secret, 8);
    const needs = await runAssay(['scan', '-p', noDb, '--skip-db-update', image], { HOME: home });
    assert.equal(needs.code, 2);
    assert.match(needs.stderr, /no vulnerability DB at/);
  });

  test('--fail-on secret exits 1; ASSAY_FAIL_ON and the config file key work; flags win', async () => {
    assert.equal((await scan([image])).code, 0);
    const failing = await scan(['--fail-on', 'secret', image]);
    assert.equal(failing.code, 1, failing.stderr);
    assert.equal((await scan([image], { ASSAY_FAIL_ON: 'secret' })).code, 1);
    const config = join(work, 'assay.yaml');
    await writeFile(config, 'scanners: [vuln]\nfail-on: []\n');
    // The config file turns secret scanning off; the env var turns it back on (env beats file).
    assert.equal((await scan(['--config', config, image])).code, 0);
    const fromEnv = await scan(['--config', config, '--fail-on', 'secret', image], {
      ASSAY_SCANNERS: 'vuln,secret',
    });
    assert.equal(fromEnv.code, 1, fromEnv.stderr);
  });

  test('usage errors name the option and the fix: unknown scanner, fail-on without its scanner, bad secret config', async () => {
    const unknown = await scan(['--scanners', 'vuln,malware', image]);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /--scanners: unknown value "malware"; use a comma list of vuln,secret,threat,config/,
    );
    const needs = await scan(['--fail-on', 'threat', image]);
    assert.equal(needs.code, 2);
    assert.match(needs.stderr, /--fail-on threat needs the threat scanner/);
    const cfg = join(work, 'bad-secrets.yaml');
    await writeFile(cfg, 'rules:\n  - {id: x, regex: "(a+)+b", severity: high, keywords: [a]}\n');
    const bad = await scan(['--secret-config', cfg, image]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad-secrets\.yaml: rules\[0\]\.regex/);
  });

  test('--threat-hashes: a listed file is a threat; a malformed list is an error naming file and line', async () => {
    const list = join(work, 'bad-hashes.txt');
    await writeFile(list, `# deploy keys that leaked\n${sha256Hex(planted.appKey)} leaked deploy key\n`);
    const out = join(work, 'hashes.json');
    const r = await scan(['--scanners', 'threat', '--threat-hashes', list, '-o', out, image]);
    assert.equal(r.code, 0, r.stderr);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    const listed = doc.images[0]?.findings.filter((f) => f.id === 'hash-denylist') ?? [];
    assert.deepEqual(
      listed.map((f) => f.kind === 'threat' && [f.location.path, f.evidence]),
      [['app/id_rsa', 'leaked deploy key']],
    );
    const broken = join(work, 'broken.txt');
    await writeFile(broken, `${sha256Hex('a')}\nnot-a-hash\n`);
    const bad = await scan(['--scanners', 'threat', '--threat-hashes', broken, image]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /broken\.txt line 2/);
  });

  test('--clamd: a real clamd finds the planted file by its signature; a clamd that is down fails at once naming the socket', async (t) => {
    const clamd = await startClamd(t, {
      signatures: { 'assay-test.hdb': hdbLine(Buffer.from(planted.appKey), 'Assay.Test.Key') },
    });
    const out = join(work, 'clamd.json');
    const r = await scan(['--scanners', 'threat', '--clamd', `unix:${clamd.socket}`, '-o', out, image]);
    assert.equal(r.code, 0, r.stderr);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    const found =
      doc.images[0]?.findings.filter(
        (f): f is ThreatFinding => f.kind === 'threat' && f.engine === 'clamav',
      ) ?? [];
    assert.deepEqual(
      found.map((f) => [f.id, f.location.path, f.location.layerIndex]),
      [['clamav:Assay.Test.Key.UNOFFICIAL', 'app/id_rsa', 1]],
    );
    const down = await scan([
      '--scanners',
      'threat',
      '--clamd',
      `unix:${join(work, 'no-clamd.sock')}`,
      image,
    ]);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /no-clamd\.sock.*is clamd running/);
  });

  test('--yara-rules: a rule matching the planted script is a threat; a rule that does not compile is a usage error', async () => {
    const rules = join(work, 'yara');
    await mkdir(rules, { recursive: true });
    await writeFile(
      join(rules, 'shell.yar'),
      'rule Dev_Tcp_Shell { meta: severity = "critical" description = "shell to /dev/tcp" strings: $a = "/dev/tcp/203.0.113.7" condition: $a }\n',
    );
    const out = join(work, 'yara.json');
    const r = await scan(['--scanners', 'threat', '--yara-rules', rules, '-o', out, image]);
    assert.equal(r.code, 0, r.stderr);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    const found =
      doc.images[0]?.findings.filter((f): f is ThreatFinding => f.kind === 'threat' && f.engine === 'yara') ??
      [];
    assert.deepEqual(
      found.map((f) => [f.id, f.severity, f.location.path]),
      [['yara:Dev_Tcp_Shell', 'critical', 'app/run.sh']],
    );
    await writeFile(join(rules, 'broken.yar'), 'rule Broken { condition: $nope }\n');
    const bad = await scan(['--scanners', 'threat', '--yara-rules', rules, image]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /broken\.yar/);
  });
});
