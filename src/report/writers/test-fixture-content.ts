/**
 * Test support: the content findings of the `web-app` fixture image, one of every shape a writer
 * must handle: a secret deleted in a later layer (still in the earlier layer's bytes), a counted
 * secret with line and column, an excepted secret, an EICAR test file inside a jar (member and
 * SHA-256), a check on a history entry and one on the image config. Secrets are only ever
 * redacted here (as in the model); no value, key or test-virus bytes are in this file.
 */
import type { ConfigFinding, SecretFinding, ThreatFinding } from '../../model/result.js';

const diff = (layer: number): string => `sha256:${String(layer + 1).repeat(64)}`;

/** An npm token written in layer 1 and deleted in layer 2: gone from the file system, not from the image. */
export const npmTokenRemoved: SecretFinding = {
  kind: 'secret',
  id: 'npm-access-token',
  title: 'npm access token',
  category: 'package-registry',
  severity: 'critical',
  location: {
    source: 'file',
    path: 'root/.npmrc',
    line: 1,
    column: 26,
    layerIndex: 1,
    layerDiffId: diff(1),
    createdBy: 'RUN npm install -g braces@3.0.2',
    removedInLayer: 2,
  },
  fromBaseImage: false,
  match: 'npm_***',
};

export const awsKey: SecretFinding = {
  kind: 'secret',
  id: 'aws-access-key-id',
  title: 'AWS access key ID',
  category: 'cloud',
  severity: 'high',
  location: {
    source: 'file',
    path: 'app/config/settings.py',
    line: 12,
    column: 17,
    layerIndex: 2,
    layerDiffId: diff(2),
    createdBy: 'COPY app/ /app/',
  },
  fromBaseImage: false,
  match: 'AKIA***',
};

export const devKeyExcepted: SecretFinding = {
  kind: 'secret',
  id: 'private-key',
  title: 'Private key',
  category: 'crypto',
  severity: 'high',
  location: {
    source: 'file',
    path: 'app/certs/dev.key',
    line: 1,
    column: 1,
    layerIndex: 2,
    layerDiffId: diff(2),
    createdBy: 'COPY app/ /app/',
  },
  fromBaseImage: false,
  // Starts like a formula to a spreadsheet: CSV must defuse it.
  match: '-----***',
  exception: { reason: 'throwaway key for local TLS tests', source: '.assay-ignore.yaml' },
};

/** The EICAR test file (its well-known SHA-256) as a member of a jar. */
export const eicarInJar: ThreatFinding = {
  kind: 'threat',
  id: 'eicar',
  title: 'EICAR anti-virus test file',
  category: 'test-file',
  severity: 'high',
  location: {
    source: 'file',
    path: 'app/lib/av-samples.jar',
    member: 'samples/eicar.com',
    layerIndex: 2,
    layerDiffId: diff(2),
    createdBy: 'COPY app/ /app/',
  },
  fromBaseImage: false,
  engine: 'builtin',
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
  evidence: 'EICAR test signature at offset 0',
};

export const tlsOffInHistory: ConfigFinding = {
  kind: 'config',
  id: 'tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  category: 'insecure-setting',
  severity: 'medium',
  location: { source: 'history', historyIndex: 4, createdBy: 'ENV NODE_TLS_REJECT_UNAUTHORIZED=0' },
  fromBaseImage: false,
  message: 'NODE_TLS_REJECT_UNAUTHORIZED=0 makes Node.js accept any certificate',
};

export const rootUser: ConfigFinding = {
  kind: 'config',
  id: 'root-user',
  title: 'Image runs as root',
  category: 'least-privilege',
  severity: 'low',
  location: { source: 'config' },
  fromBaseImage: false,
  message: 'no USER is set, so containers run as root',
  cis: '4.1',
};

export const webAppContent = [npmTokenRemoved, awsKey, devKeyExcepted, eicarInJar, tlsOffInHistory, rootUser];
