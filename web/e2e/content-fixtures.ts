/**
 * Results with content findings for the UI's content tests: one image with secrets, threats and
 * config findings of every source (files in layers, an archive member, history entries, the image
 * config), one removed by a later layer and one excepted; one image scanned for vulnerabilities
 * only; one partial scan whose content scanners found nothing. Secret matches are the redacted
 * form the scanner writes (the raw values never exist in a result).
 */
import { createHash } from 'node:crypto';
import type {
  ConfigFinding,
  ContentFinding,
  ContentLocation,
  ImageResult,
  SecretFinding,
  ThreatFinding,
} from '../../src/model/result.js';
import { digest, imageResult } from '../../src/server/testing/fixtures.js';

export const CONTENT_REPO = 'example/content';
export const diffId = (l: number) => `sha256:${String(l).repeat(64)}`;
const at = (layerIndex: number, l: Omit<ContentLocation, 'source'>): ContentLocation => ({
  source: 'file',
  layerIndex,
  layerDiffId: diffId(layerIndex),
  ...l,
});

export const EICAR_SHA = createHash('sha256').update('e2e-eicar-stand-in').digest('hex');
export const MINER_SHA = createHash('sha256').update('e2e-miner-stand-in').digest('hex');

function secret(id: string, title: string, location: ContentLocation, match: string): SecretFinding {
  const fromBaseImage = location.layerIndex === 0;
  return {
    kind: 'secret',
    id,
    title,
    category: 'credentials',
    severity: 'critical',
    location,
    fromBaseImage,
    match,
  };
}

export const SECRETS: SecretFinding[] = [
  secret(
    'aws-access-key-id',
    'AWS access key id',
    at(1, { path: 'app/.env', line: 3, removedInLayer: 2 }),
    'AKIA***',
  ),
  {
    ...secret(
      'private-key',
      'Private key',
      at(1, { path: 'app/lib/app.jar', member: 'config/server.key', line: 1 }),
      '----***',
    ),
    severity: 'high',
    exception: {
      reason: 'test key of the fixture',
      author: 'alice',
      expires: '2027-01-31',
      source: '.assayignore',
    },
  },
  {
    ...secret(
      'github-token',
      'GitHub token',
      { source: 'history', historyIndex: 1, createdBy: 'ARG GH_TOKEN=ghp_***' },
      'ghp_***',
    ),
    severity: 'high',
  },
  {
    ...secret('slack-webhook', 'Slack webhook', at(2, { path: 'opt/notify.sh', line: 12 }), 'http***'),
    severity: 'medium',
  },
];

export const THREATS: ThreatFinding[] = [
  {
    kind: 'threat',
    id: 'eicar',
    title: 'EICAR test file',
    category: 'test-signature',
    severity: 'high',
    location: at(2, { path: 'tmp/eicar.com' }),
    fromBaseImage: false,
    engine: 'builtin',
    sha256: EICAR_SHA,
    evidence: 'EICAR anti-virus test signature',
  },
  {
    kind: 'threat',
    id: 'crypto-miner',
    title: 'Cryptocurrency miner',
    category: 'miner',
    severity: 'critical',
    location: at(1, { path: 'usr/local/bin/xmrig' }),
    fromBaseImage: false,
    engine: 'hash-list',
    sha256: MINER_SHA,
    evidence: 'deny-list: xmrig 6.21',
  },
];

function config(id: string, location: ContentLocation, message: string, cis: string): ConfigFinding {
  return {
    kind: 'config',
    id,
    title: id.replaceAll('-', ' '),
    category: 'cis',
    severity: 'medium',
    location,
    fromBaseImage: false,
    message,
    cis,
  };
}

export const CONFIGS: ConfigFinding[] = [
  config('root-user', { source: 'config' }, 'The image runs as root: its config sets no USER.', '4.1'),
  {
    ...config(
      'secret-env',
      { source: 'env', path: 'DB_PASSWORD' },
      'DB_PASSWORD looks like a credential set in the image.',
      '4.10',
    ),
    severity: 'high',
  },
  config(
    'add-remote-url',
    {
      source: 'history',
      historyIndex: 2,
      layerIndex: 2,
      layerDiffId: diffId(2),
      createdBy: 'ADD https://example.com/tool.tgz /opt/',
    },
    'ADD fetches https://example.com/tool.tgz at build time.',
    '4.9',
  ),
];

const effective = (fs: ContentFinding[]) => fs.filter((f) => !f.exception).length;

/** The image with every kind of content finding, three layers (base, COPY app, RUN). */
export function contentImage(): ImageResult {
  const r = imageResult({
    digest: digest('c0ntent'),
    repository: CONTENT_REPO,
    tags: ['1.0'],
    findings: [{ id: 'CVE-2024-5001', cvss: 5.3, layer: 1 }],
  });
  const created = ['ADD rootfs.tar.xz /', 'COPY app /app', 'RUN rm /app/.env && ./install.sh'];
  r.schemaVersion = '1.1';
  r.scannedAt = new Date().toISOString();
  r.scanners = ['vuln', 'secret', 'threat', 'config'];
  r.layers = created.map((createdBy, index) => ({
    index,
    digest: `sha256:${String.fromCharCode(97 + index).repeat(64)}`,
    diffId: diffId(index),
    createdBy,
    size: 1_000_000,
    base: index === 0,
  }));
  r.findings.push(...SECRETS, ...THREATS, ...CONFIGS);
  r.summary.content = {
    secret: effective(SECRETS),
    threat: effective(THREATS),
    config: effective(CONFIGS),
    excepted: 1,
    suppressed: 0,
  };
  return r;
}

/** Scanned before content scanning existed: `scanners` absent means `vuln` only. */
export function vulnOnlyImage(): ImageResult {
  const r = imageResult({ digest: digest('vu1n'), repository: 'example/vuln-only', tags: ['1.0'] });
  r.scannedAt = new Date().toISOString();
  return r;
}

/** A partial scan whose content scanners ran but found nothing in what could be read. */
export function partialImage(): ImageResult {
  const r = imageResult({ digest: digest('p4rt'), repository: 'example/partial-content', status: 'partial' });
  r.schemaVersion = '1.1';
  r.scanners = ['vuln', 'secret', 'threat', 'config'];
  r.summary.content = { secret: 0, threat: 0, config: 0, excepted: 0, suppressed: 0 };
  return r;
}
