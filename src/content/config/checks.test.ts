/** A whole image: a Debian-like base, then an app with every problem planted beside decoys. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigFindingSchema, ThreatFindingSchema } from '../../model/result.js';
import { b62 } from '../secrets/testing/tokens.js';
import { checkImageConfig, fileSystemThreats } from './checks.js';
import { facts, fileTree, historyAndLayers, pkg } from './testing/facts.js';

function plantedImage() {
  const secrets = { npm: b62(36), db: b62(18), sig: b62(24) };
  const { history, layers } = historyAndLayers(
    [
      ['/bin/sh -c #(nop) ADD file:6a5ecbd1b0b4e3a1e4b0 in / ', true], // 0 → layer 0 (base)
      ['/bin/sh -c #(nop)  CMD ["bash"]', false], // 1
      ['ARG VERSION=1.4', false], // 2 (decoy ARG)
      [`ARG NPM_TOKEN=${secrets.npm}`, false], // 3
      [
        `RUN |2 VERSION=1.4 NPM_TOKEN=${secrets.npm} /bin/sh -c apt-get update && apt-get install -y sudo # buildkit`,
        true,
      ], // 4 → layer 1
      [`ADD https://dl.example.com/tool.tgz?sig=${secrets.sig} /opt/ # buildkit`, true], // 5 → layer 2
      ['COPY app /app # buildkit', true], // 6 → layer 3
      [`ENV DB_PASSWORD=${secrets.db} DB_PASSWORD_FILE=/run/secrets/db`, false], // 7
      ['USER root', false], // 8
      ['CMD ["/app/run"]', false], // 9
    ],
    1,
  );
  const tree = fileTree(
    [
      { path: 'bin', type: 'symlink', linkname: 'usr/bin' },
      { path: 'usr/bin/passwd', mode: 0o4755 },
      { path: 'usr/bin/ls', mode: 0o755 },
      { path: 'var/lib/apt/lists/lock', size: 0 },
    ],
    [
      { path: 'usr/bin/sudo', mode: 0o4755 },
      { path: 'var/lib/dpkg/status', size: 5000 },
      { path: 'var/lib/apt/lists/deb.debian.org_main_Packages', size: 9_000_000 },
    ],
    [{ path: 'opt/tool.tgz', size: 1000 }],
    [
      { path: 'app/run', mode: 0o755 },
      { path: 'app/data', mode: 0o666 }, // world-writable, not in PATH: decoy
      { path: 'usr/local/bin/app-run', mode: 0o777 },
      { path: 'usr/local/bin/lib', type: 'dir', mode: 0o777 }, // not a PATH directory itself
    ],
  );
  const config = {
    User: 'root',
    Env: [
      'PATH=/usr/local/bin:/usr/bin:/bin',
      `DB_PASSWORD=${secrets.db}`,
      'DB_PASSWORD_FILE=/run/secrets/db',
    ],
  };
  const packages = [
    pkg('sudo', 'deb', 1, 'var/lib/dpkg/status'),
    pkg('passwd', 'deb', 0, 'var/lib/dpkg/status'),
  ];
  return { facts: facts({ config, history, layers, packages, tree }), secrets };
}

describe('checkImageConfig and fileSystemThreats on a whole image', () => {
  it('returns exactly the planted findings, valid, attributed, without any secret value', () => {
    const { facts: f, secrets } = plantedImage();
    const config = checkImageConfig(f);
    const threats = fileSystemThreats(f);
    const where = (x: (typeof config)[number] | (typeof threats)[number]) => [
      x.id,
      x.location.source,
      x.location.path ?? x.location.historyIndex ?? '',
      x.location.layerIndex ?? '',
      x.fromBaseImage,
      x.severity,
    ];
    assert.deepEqual(config.map(where), [
      ['root-user', 'history', 8, '', false, 'high'],
      ['no-healthcheck', 'config', '', '', false, 'low'],
      ['add-remote-url', 'history', 5, 2, false, 'medium'],
      ['secret-in-env', 'env', 'DB_PASSWORD', '', false, 'high'],
      ['secret-in-env', 'history', 3, '', false, 'high'],
      ['setuid-files', 'file', 'usr/bin/passwd', 0, true, 'low'],
      ['setuid-files', 'file', 'usr/bin/sudo', 1, false, 'medium'],
      ['package-cache', 'file', 'var/lib/apt/lists', 1, false, 'low'],
      ['sudo-installed', 'file', 'var/lib/dpkg/status', 1, false, 'low'],
    ]);
    assert.deepEqual(threats.map(where), [
      ['setuid-added', 'file', 'usr/bin/sudo', 1, false, 'high'],
      ['world-writable-in-path', 'file', 'usr/local/bin/app-run', 3, false, 'high'],
    ]);
    for (const x of config) assert.equal(ConfigFindingSchema.safeParse(x).success, true, x.id);
    for (const x of threats) assert.equal(ThreatFindingSchema.safeParse(x).success, true, x.id);
    const json = JSON.stringify([config, threats]);
    for (const value of Object.values(secrets))
      assert.equal(json.includes(value), false, 'a secret value leaked');
    // The RUN layer's created_by is redacted where it is repeated in a file location.
    assert.equal(
      config.find((x) => x.id === 'sudo-installed')?.location.createdBy,
      'RUN |2 VERSION=1.4 NPM_TOKEN=*** /bin/sh -c apt-get update && apt-get install -y sudo # buildkit',
    );
  });

  it('reports nothing for a clean image', () => {
    const { history, layers } = historyAndLayers(
      [
        ['ADD rootfs.tar / # buildkit', true],
        ['USER 10001', false],
      ],
      0,
    );
    const tree = fileTree([
      { path: 'usr/bin/ls', mode: 0o755 },
      { path: 'tmp', type: 'dir', mode: 0o1777 },
    ]);
    const config = { User: '10001', Env: ['PATH=/usr/bin'], Healthcheck: { Test: ['CMD', '/usr/bin/ls'] } };
    const f = facts({ config, history, layers, tree });
    assert.deepEqual(checkImageConfig(f), []);
    assert.deepEqual(fileSystemThreats(f), []);
  });
});
