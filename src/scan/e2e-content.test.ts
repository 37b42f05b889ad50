/**
 * Content scanning end to end (issue 11): a real OCI layout with secrets, threats and decoys
 * generated at test time, scanned by `scanImage` through the same walk as the catalog. Asserts
 * the exact finding set, layer attribution and `removedInLayer`, the noise rules, exceptions,
 * `--fail-on` gates and that no raw value reaches the result.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ExceptionEntry } from '../model/exception.js';
import { type ContentFinding, type ImageResult, ImageResultSchema } from '../model/result.js';
import type { MemoryDb } from '../vulndb/testing/memory-db.js';
import { type ScanOptions, scanImage } from './scan.js';
import { memoryDb } from './testing/advisories.js';
import { allAdvisories } from './testing/fixtures.js';
import { ociInput } from './testing/images.js';
import { plantedImage, sha256Hex } from './testing/planted.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const { spec, raw: RAW, eicar, appKey, values: v, argToken } = plantedImage();
const sha = sha256Hex;

let work: string;
let db: MemoryDb;
let input: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'assay-content-'));
  db = memoryDb(allAdvisories);
  input = (await ociInput(work, 'planted', spec)).input;
});
after(() => rm(work, { recursive: true, force: true }));

async function scan(over: Partial<ScanOptions> = {}): Promise<ImageResult> {
  const opts: ScanOptions = {
    db,
    source: { spoolDir: join(work, 'spool') },
    now: () => NOW,
    scanners: ['vuln', 'secret', 'threat', 'config'],
    ...over,
  };
  const result = await scanImage(input, opts);
  ImageResultSchema.parse(result);
  return result;
}

const content = (r: ImageResult) => r.findings.filter((f): f is ContentFinding => f.kind !== 'vulnerability');
const where = (f: ContentFinding) => {
  const l = f.location;
  const at =
    l.source === 'file'
      ? `${l.path}${l.member ? `!/${l.member}` : ''}`
      : `${l.source}:${l.path ?? l.historyIndex ?? ''}`;
  return `${f.kind} ${f.id} ${at} L${l.layerIndex ?? '-'}${l.removedInLayer !== undefined ? ` removed@${l.removedInLayer}` : ''}`;
};

describe('content scanners on a planted image', () => {
  test('exact secret findings: every layer, deleted and overwritten files, Env and history; noise suppressed', async () => {
    const r = await scan({ scanners: ['secret'] });
    assert.equal(r.status, 'scanned');
    assert.deepEqual(r.scanners, ['secret']);
    assert.deepEqual(content(r).map(where).sort(), [
      'secret aws-access-key-id app/.env L1',
      'secret aws-secret-access-key app/.env L1',
      'secret generic-secret-assignment app/db.conf L1 removed@2',
      'secret github-token app/config.json L1',
      'secret github-token env:GITHUB_TOKEN L-',
      'secret npm-token history:3 L-',
      'secret private-key app/id_rsa L1',
      'secret stripe-secret-key app/stripe.txt L1 removed@2',
    ]);
    // The example key, the placeholders and the dpkg-owned test key are counted, not listed.
    assert.ok((r.summary.content?.suppressed ?? 0) >= 4, JSON.stringify(r.summary.content));
    assert.deepEqual(r.summary.content && { ...r.summary.content, suppressed: 0 }, {
      secret: 8,
      threat: 0,
      config: 0,
      excepted: 0,
      suppressed: 0,
    });
    const github = content(r).find((f) => f.id === 'github-token' && f.location.source === 'file');
    assert.equal(github?.kind === 'secret' && github.match, `${v.github.slice(0, 4)}***`);
    assert.equal(github?.location.line, 1);
    assert.equal(github?.location.createdBy, 'COPY app/ /app/ # buildkit');
    assert.equal(github?.fromBaseImage, false);
    const text = JSON.stringify(r);
    for (const raw of RAW)
      assert.ok(!text.includes(raw), `raw value ${raw.slice(0, 6)}… leaked into the result`);
  });

  test('show-suppressed lists the noise as excepted findings with the reason', async () => {
    const { parseSecretConfig } = await import('../content/secrets/config.js');
    const secrets = parseSecretConfig('s.yaml', 'show-suppressed: true\n');
    const r = await scan({ scanners: ['secret'], content: { secrets } });
    const noise = content(r).filter((f) => f.exception?.source === 'noise');
    assert.ok(noise.some((f) => f.location.path === 'usr/share/doc/libfoo-dev/examples/test-key.pem'));
    assert.ok(
      noise.some(
        (f) => f.location.path === 'app/docs/example.env' && /example-value/.test(f.exception!.reason),
      ),
    );
    assert.equal(r.summary.content?.secret, 8);
  });

  test('threats: EICAR as a file and inside a jar, reverse shell but not the health check, setuid added by an own layer', async () => {
    const r = await scan({ scanners: ['threat'] });
    assert.deepEqual(content(r).map(where).sort(), [
      'threat eicar app/eicar.txt L1',
      'threat eicar app/lib/tools.jar!/samples/eicar.com L1',
      'threat reverse-shell app/run.sh L1',
      'threat setuid-added usr/local/bin/helper L1',
    ]);
    const inJar = content(r).find((f) => f.location.member);
    assert.equal(inJar?.kind === 'threat' && inJar.sha256, sha(eicar));
  });

  test('a deny-list hash is found while streaming, with the list named', async () => {
    const denyList = new Map([[sha(appKey), { name: 'leaked deploy key', source: 'bad.txt' }]]);
    const r = await scan({ scanners: ['threat'], content: { denyList } });
    const listed = content(r).filter((f) => f.id === 'hash-denylist');
    assert.deepEqual(listed.map(where), ['threat hash-denylist app/id_rsa L1']);
    assert.equal(listed[0]?.kind === 'threat' && listed[0].evidence, 'leaked deploy key');
  });

  test('config checks: root user, no healthcheck, secret in ENV and ARG, setuid files', async () => {
    const r = await scan({ scanners: ['config'] });
    const ids = [...new Set(content(r).map((f) => f.id))].sort();
    for (const id of ['no-healthcheck', 'root-user', 'secret-in-env', 'setuid-files'])
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    const text = JSON.stringify(r);
    for (const raw of RAW)
      assert.ok(!text.includes(raw), `raw value ${raw.slice(0, 6)}… leaked into the result`);
  });

  test('exceptions: a secret by rule and path glob, a threat by sha256, a config check by id', async () => {
    const entries: ExceptionEntry[] = [
      { kind: 'secret', target: 'aws-*', reason: 'no glob in ids', author: 'a' },
      {
        kind: 'secret',
        target: 'aws-secret-access-key:app/**',
        reason: 'rotated',
        author: 'sec',
        expires: '2027-01-01',
      },
      { kind: 'threat', target: `sha256:${sha(eicar)}`, reason: 'AV self-test', author: 'ops' },
      { kind: 'config', target: 'no-healthcheck', reason: 'batch job', author: 'ops' },
    ];
    const r = await scan({ exceptions: [{ source: 'x.yaml', path: 'x.yaml', entries }] });
    const excepted = content(r)
      .filter((f) => f.exception && f.exception.source !== 'noise')
      .map(where)
      .sort();
    assert.deepEqual(excepted, [
      'config no-healthcheck config: L-',
      'secret aws-secret-access-key app/.env L1',
      // app/eicar.txt ends in CRLF: another file, another hash (still EICAR by the spec, still reported).
      'threat eicar app/lib/tools.jar!/samples/eicar.com L1',
    ]);
    assert.equal(r.summary.content?.excepted, 3);
  });

  test('--fail-on: PASS by CVSS, FAIL with fail-on secret, PASS again once every secret is excepted', async () => {
    const plain = await scan({ scanners: ['vuln', 'secret'] });
    assert.equal(plain.result, 'PASS', plain.statusMessage);
    const failing = await scan({ scanners: ['vuln', 'secret'], failOn: ['secret'] });
    assert.deepEqual([failing.result, failing.failOn], ['FAIL', ['secret']]);
    const all: ExceptionEntry[] = [{ kind: 'secret', target: '*', reason: 'x' }].flatMap((e) =>
      [
        'aws-access-key-id',
        'aws-secret-access-key',
        'generic-secret-assignment',
        'github-token',
        'npm-token',
        'private-key',
        'stripe-secret-key',
      ].map((id) => ({ ...e, kind: 'secret' as const, target: id })),
    );
    const excepted = await scan({
      scanners: ['vuln', 'secret'],
      failOn: ['secret'],
      exceptions: [{ source: 'e', path: 'e', entries: all }],
    });
    assert.equal(excepted.result, 'PASS');
  });

  test('hostile sizes: a 12 MiB single-line file is skipped with a note naming it; 2 million short lines are scanned', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024, 'A');
    const short = Buffer.from('k=v\n'.repeat(2_000_000));
    const { input: hostile } = await ociInput(work, 'hostile', {
      layers: [
        {
          files: [
            { path: 'data/one-line.txt', content: big },
            {
              path: 'data/short-lines.env',
              content: Buffer.concat([short, Buffer.from(`AWS_ACCESS_KEY_ID=${v.awsKeyId}\n`)]),
            },
            {
              path: 'data/latin1.txt',
              content: Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a, ...Buffer.from(`t=${v.github}\n`)]),
            },
          ],
        },
      ],
    });
    const r = await scanImage(hostile, {
      db,
      source: { spoolDir: join(work, 'spool') },
      now: () => NOW,
      scanners: ['secret'],
    });
    assert.equal(r.status, 'scanned');
    assert.deepEqual(content(r).map(where).sort(), [
      'secret aws-access-key-id data/short-lines.env L0',
      'secret github-token data/latin1.txt L0',
    ]);
    const line = content(r).find((f) => f.location.path === 'data/short-lines.env')?.location.line;
    assert.equal(line, 2_000_001);
    const note = r.issues.find((i) => i.code === 'content-not-scanned');
    assert.match(note?.message ?? '', /1 file above the content-scan size cap .*data\/one-line\.txt/);
  });

  test('layers[].createdBy of a history line with a token is redacted when secrets are scanned', async () => {
    const r = await scan({ scanners: ['vuln', 'secret'] });
    assert.ok(!JSON.stringify(r.layers).includes(argToken));
  });
});
