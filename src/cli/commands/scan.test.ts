/**
 * `assay scan` as pipelines run it (a child process with its own HOME and env), against images
 * written as OCI layouts and a real SQLite DB imported from real-format feed excerpts (Debian
 * tracker, Alpine secdb, OSV, NVD) in src/scan/testdata/feeds.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImageResultSchema, ScanDocumentSchema, vulnerabilityFindings } from '../../model/result.js';
import { importFeedsDbDir } from '../../scan/testing/advisories.js';
import { alpineImage, debianImage } from '../../scan/testing/fixtures.js';
import { ociInput } from '../../scan/testing/images.js';
import { type CliRun, runAssay } from '../testing/run-cli.js';

function assay(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runAssay(args, { HOME: home, ...env });
}

let home: string;
let work: string;
let dbDir: string;
let debian: string;
let alpine: string;
let missing: string;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'assay-scan-home-'));
  work = await mkdtemp(join(tmpdir(), 'assay-scan-cli-'));
  dbDir = join(work, 'db');
  await importFeedsDbDir(dbDir);
  debian = (await ociInput(work, 'debian', debianImage)).input;
  alpine = (await ociInput(work, 'alpine', alpineImage)).input;
  missing = `oci-dir:${join(work, 'missing')}:v1`;
});

after(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const scan = (args: string[], env: NodeJS.ProcessEnv = {}) => assay(['scan', '-p', dbDir, ...args], env);

describe('exit codes and grades', () => {
  test('FAIL exits 1 with the table on stdout; --exit-code replaces the 1; a higher fail threshold passes', async () => {
    const fail = await scan([debian]);
    assert.equal(fail.code, 1, fail.stderr);
    assert.match(fail.stdout, /CVE-2024-1001/);
    assert.match(fail.stdout, /CVE-2024-1004/);
    assert.doesNotMatch(fail.stdout, /CVE-2024-1002|CVE-2024-1003/);
    assert.equal((await scan(['--exit-code', '5', debian])).code, 5);
    const warn = await scan(['-w', '4', '-f', '8', debian]);
    assert.equal(warn.code, 0, warn.stderr);
  });

  test('an image that cannot be found is reported beside the good one, and the run exits 2', async () => {
    const out = join(work, 'missing.json');
    const r = await scan(['-o', out, debian, missing]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not_found/);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    assert.deepEqual(
      doc.images.map((i) => [i.input, i.status, i.result]),
      [
        [debian, 'scanned', 'FAIL'],
        [missing, 'not_found', 'UNKNOWN'],
      ],
    );
  });

  test('invalid thresholds and options are usage errors (exit 2) before anything is scanned', async () => {
    for (const args of [
      ['-w', '8', '-f', '7'],
      ['-f', '11'],
      ['-w', 'high'],
      ['--severity', 'urgent'],
      ['--format', 'xml'],
      ['--exit-code', '-1'],
      ['--concurrency', '0'],
    ]) {
      const r = await scan([...args, missing]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.doesNotMatch(r.stderr, /not_found/, `${args.join(' ')}: must fail before scanning`);
    }
    const none = await scan([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no images to scan/);
  });

  test('without a vulnerability DB: exit 2 and how to get one', async () => {
    const r = await assay(['scan', '-p', join(work, 'no-db'), debian]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no vulnerability DB at .*assay db update/);
  });
});

describe('output', () => {
  test('-o without --format: JSON document in the file, table on stdout', async () => {
    const out = join(work, 'default.json');
    const r = await scan(['-o', out, debian]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /CVE-2024-1001/);
    const doc = ScanDocumentSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    assert.deepEqual(
      doc.images[0]!.findings.map((f) => f.id),
      ['CVE-2024-1001', 'CVE-2024-1004'],
    );
  });

  test('-o with --format: that document in the file and nothing on stdout', async () => {
    const out = join(work, 'report.sarif');
    const r = await scan(['--output_file', out, '--format', 'sarif', debian]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const sarif = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(sarif.version, '2.1.0');
  });

  test('no -o: the --format document on stdout (json, csv image_cve, cyclonedx alias)', async () => {
    const json = await scan(['--format', 'json', debian, alpine]);
    const doc = ScanDocumentSchema.parse(JSON.parse(json.stdout));
    assert.deepEqual(
      doc.images.map((i) => i.result),
      ['FAIL', 'WARN'],
    );
    const csv = await scan(['--format', 'csv', '--csv-mode', 'image_cve', debian]);
    assert.match(csv.stdout, /CVE-2024-1001/);
    assert.ok(csv.stdout.trim().split('\n').length >= 3, csv.stdout);
    const cdx = await scan(['--format', 'cyclonedx', debian]);
    assert.equal(JSON.parse(cdx.stdout).bomFormat, 'CycloneDX');
  });

  test('--severity, --ignore-unfixed and --ignore-file change what grades, and are recorded', async () => {
    const ignore = join(work, 'ignore.yaml');
    await writeFile(
      ignore,
      'exceptions:\n  - kind: vulnerability\n    target: CVE-2024-1001\n    reason: not reachable from the service\n    author: sec-team\n    created: 2026-01-01\n',
    );
    const r = await scan(['--format', 'json', '--ignore-file', ignore, '--ignore-unfixed', debian]);
    assert.equal(r.code, 0, r.stderr);
    const image = ImageResultSchema.parse(JSON.parse(r.stdout).images[0]);
    assert.deepEqual(
      image.findings.map((f) => [f.id, f.exception?.reason]),
      [['CVE-2024-1001', 'not reachable from the service']],
    );
    assert.deepEqual(image.filters, { ignoreUnfixed: true, ignoreFiles: [ignore] });
    assert.deepEqual([image.result, image.summary.filtered], ['PASS', 1]);
    const high = await scan(['--format', 'json', '--severity', 'medium,low', debian]);
    assert.equal(high.code, 0, high.stderr);
  });

  test('sbom:PATH inputs are scanned like images', async () => {
    const sbom = new URL('../../scan/testdata/trivy-debian.cdx.json', import.meta.url).pathname;
    const r = await scan(['--format', 'json', `sbom:${sbom}`]);
    const image = ImageResultSchema.parse(JSON.parse(r.stdout).images[0]);
    assert.deepEqual([image.status, image.image.source], ['scanned', 'sbom']);
    assert.deepEqual(
      vulnerabilityFindings(image.findings).map((f) => [f.id, f.package.name]),
      [['CVE-2024-1002', 'libssl3']],
    );
    assert.equal(r.code, 1);
  });
});

describe('drop-in options: input file, env, config file, precedence', () => {
  test('--input_file images are added to the arguments', async () => {
    const list = join(work, 'images.json');
    await writeFile(list, JSON.stringify({ images: [alpine] }));
    const r = await scan(['-i', list, '--format', 'json', debian]);
    assert.deepEqual(
      JSON.parse(r.stdout).images.map((i: { input: string }) => i.input),
      [debian, alpine],
    );
    await writeFile(join(work, 'bad-images.json'), '{"images": "alpine"}');
    const bad = await scan(['-i', join(work, 'bad-images.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--input_file .*images/);
  });

  test('flags > env (ASSAY_ and CC_) > config file > default; kebab-case spellings work', async () => {
    const config = join(work, 'assay.yaml');
    await writeFile(config, 'fail_threshold: 8\n');
    // Config file alone: 7.5 < 8, WARN.
    assert.equal((await scan(['--config', config, debian])).code, 0);
    // Env over the config file.
    assert.equal((await scan(['--config', config, debian], { ASSAY_FAIL_THRESHOLD: '7' })).code, 1);
    assert.equal((await scan([debian], { CC_FAIL_THRESHOLD: '9' })).code, 0);
    // A flag over env, in both spellings.
    assert.equal((await scan(['-f', '7', debian], { ASSAY_FAIL_THRESHOLD: '9' })).code, 1);
    assert.equal((await scan(['--fail-threshold', '9', debian], { ASSAY_FAIL_THRESHOLD: '7' })).code, 0);
    // $HOME/.assay.yaml is read without --config; ASSAY_OUTPUT_FILE and ASSAY_VULNERABILITY_DB_PATH too.
    await writeFile(join(home, '.assay.yaml'), 'warn_threshold: 1\nfail_threshold: 9.5\n');
    const out = join(work, 'env-out.json');
    try {
      const r = await assay(['scan', alpine], { ASSAY_VULNERABILITY_DB_PATH: dbDir, ASSAY_OUTPUT_FILE: out });
      assert.equal(r.code, 0, r.stderr);
      const image = JSON.parse(await readFile(out, 'utf8')).images[0];
      assert.deepEqual(image.thresholds, { warn: 1, fail: 9.5 });
      assert.equal(image.result, 'WARN');
    } finally {
      await rm(join(home, '.assay.yaml'));
    }
  });
});

describe('--apiurl: one POST per image to the manager', () => {
  interface Received {
    url: string;
    auth: string | undefined;
    body: unknown;
  }
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let failures = 0;

  before(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ url: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body) });
      if (failures > 0) {
        failures--;
        res.writeHead(503).end('busy');
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":1}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('each ImageResult is sent with the bearer token; the grade decides the exit code', async () => {
    received.length = 0;
    const r = await scan(['-a', url, debian, alpine], { ASSAY_TOKEN: 'tok-123' });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      received.map((x) => [x.url, x.auth]),
      [
        ['/api/v1/scans', 'Bearer tok-123'],
        ['/api/v1/scans', 'Bearer tok-123'],
      ],
    );
    // Each result is sent as soon as its image is done, so arrival order is completion order.
    const bodies = received
      .map((x) => ImageResultSchema.parse(x.body))
      .sort((a, b) => [debian, alpine].indexOf(a.input) - [debian, alpine].indexOf(b.input));
    assert.deepEqual(
      bodies.map((b) => [b.input, b.result]),
      [
        [debian, 'FAIL'],
        [alpine, 'WARN'],
      ],
    );
  });

  test('a 5xx is retried with backoff; when every attempt fails the run exits 3 and says why', async () => {
    received.length = 0;
    failures = 2;
    const retried = await scan(['-a', `${url}/`, '-t', 'x', '-f', '9', alpine]);
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(received.length, 3);
    failures = 4;
    const lost = await scan(['-a', url, '-f', '9', alpine]);
    assert.equal(lost.code, 3);
    assert.match(
      lost.stderr,
      /not delivered to the manager: POST .*\/api\/v1\/scans answered 503 .*\(after 4 attempts\)/,
    );
    // A scan error (2) wins over a delivery failure (3).
    failures = 4;
    assert.equal((await scan(['-a', url, missing])).code, 2);
    failures = 0;
  });

  test('an unreachable manager is a delivery failure (3); --offline with --apiurl is a usage error', async () => {
    const r = await scan(['-a', 'http://127.0.0.1:1', '-f', '9', alpine]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /not delivered/);
    const offline = await scan(['--offline', '-a', url, alpine]);
    assert.equal(offline.code, 2);
    assert.match(offline.stderr, /--offline/);
  });
});
