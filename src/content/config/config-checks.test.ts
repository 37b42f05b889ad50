/** The config- and history-based checks on hand-built facts: root user, health check, ADD URL, secrets. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigFindingSchema } from '../../model/result.js';
import { b62 } from '../secrets/testing/tokens.js';
import { checkImageConfig } from './checks.js';
import { isRootUser } from './config-checks.js';
import { historyBaseFlags } from './facts.js';
import { facts, historyAndLayers } from './testing/facts.js';

const byId = (id: string, f: ReturnType<typeof checkImageConfig>) => f.filter((x) => x.id === id);

/** python:3-slim-like base (classic builder) then an app built with BuildKit. */
function pythonApp(own: (readonly [string, boolean])[], base = 2) {
  return historyAndLayers(
    [
      ['/bin/sh -c #(nop) ADD file:6a5ecbd1b0b4e3a1e4b0 in / ', true],
      ['/bin/sh -c #(nop)  CMD ["bash"]', false],
      ['ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D', false],
      ['RUN /bin/sh -c set -eux; apt-get update; apt-get install -y python3 # buildkit', true],
      ['CMD ["python3"]', false],
      ...own,
    ],
    base,
  );
}

describe('root-user (CIS 4.1)', () => {
  it('treats no USER, root, 0 and root groups as root; a named user or non-zero uid is fine', () => {
    for (const u of [undefined, '', 'root', '0', '0:0', 'root:root', 'root:staff', '00', ' root ']) {
      assert.equal(isRootUser(u), true, String(u));
    }
    for (const u of ['app', '1000', '1000:0', 'nobody', 'ROOT', 'rootless', '10'])
      assert.equal(isRootUser(u), false, u);
  });

  it('locates the last USER entry (BuildKit and classic), own vs base', () => {
    const own = pythonApp([
      ['USER app', false],
      ['COPY . /app # buildkit', true],
      ['/bin/sh -c #(nop)  USER root', false],
    ]);
    const [f] = byId('root-user', checkImageConfig(facts({ ...own, config: { User: 'root' } })));
    assert.deepEqual(f?.location, {
      source: 'history',
      historyIndex: 7,
      createdBy: '/bin/sh -c #(nop)  USER root',
    });
    assert.equal(f?.fromBaseImage, false);
    assert.equal(f?.severity, 'high');
    assert.equal(f?.cis, '4.1');
    assert.match(f!.message, /USER root/);

    const base = historyAndLayers(
      [
        ['USER 0', false],
        ['ADD x /', true],
        ['CMD ["sh"]', false],
        ['COPY y /', true],
      ],
      1,
    );
    const [g] = byId('root-user', checkImageConfig(facts({ ...base, config: { User: '0' } })));
    assert.equal(g?.location.historyIndex, 0);
    assert.equal(g?.fromBaseImage, true);
  });

  it('points at the config when no USER entry exists, and stays quiet for a non-root user', () => {
    const [f] = byId('root-user', checkImageConfig(facts({ ...pythonApp([]), config: {} })));
    assert.deepEqual(f?.location, { source: 'config' });
    assert.match(f!.message, /No USER/);
    assert.deepEqual(byId('root-user', checkImageConfig(facts({ config: { User: '1000:1000' } }))), []);
  });
});

describe('no-healthcheck (CIS 4.6)', () => {
  it('reports a missing health check and HEALTHCHECK NONE, not a defined one', () => {
    const none = historyAndLayers(
      [
        ['ADD x /', true],
        ['HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}', false],
      ],
      0,
    );
    const [f] = byId(
      'no-healthcheck',
      checkImageConfig(facts({ ...none, config: { User: 'a', Healthcheck: { Test: ['NONE'] } } })),
    );
    assert.equal(f?.location.historyIndex, 1);
    assert.match(f!.message, /NONE/);
    assert.equal(f?.severity, 'low');
    for (const config of [
      { User: 'a' },
      { User: 'a', Healthcheck: null },
      { User: 'a', Healthcheck: { Test: [] } },
    ]) {
      const [g] = byId('no-healthcheck', checkImageConfig(facts({ config })));
      assert.deepEqual(g?.location, { source: 'config' });
    }
    const ok = { User: 'a', Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] } };
    assert.deepEqual(byId('no-healthcheck', checkImageConfig(facts({ config: ok }))), []);
  });
});

describe('add-remote-url (CIS 4.9)', () => {
  it('reports each ADD of an http(s) URL without user-info or query, and no COPY or local ADD', () => {
    const sig = b62(20);
    const pw = b62(10);
    const h = pythonApp([
      [`ADD https://deploy:${pw}@dl.example.com/tool.tgz?X-Amz-Signature=${sig} /opt/ # buildkit`, true],
      ['/bin/sh -c #(nop) ADD http://mirror.example.org/a.tar.gz in /srv/', true],
      ['ADD app.tgz /srv/ # buildkit', true],
      ['COPY --from=build https://not-a-download /x # buildkit', true],
      ['RUN /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit', true],
    ]);
    const found = byId('add-remote-url', checkImageConfig(facts(h)));
    assert.deepEqual(
      found.map((f) => [
        f.location.historyIndex,
        f.location.layerIndex,
        f.location.layerDiffId !== undefined,
      ]),
      [
        [5, 2, true],
        [6, 3, true],
      ],
    );
    assert.match(found[0]!.message, /https:\/\/dl\.example\.com\/tool\.tgz /);
    assert.match(found[1]!.message, /http:\/\/mirror\.example\.org\/a\.tar\.gz /);
    const json = JSON.stringify(found);
    assert.equal(json.includes(sig), false);
    assert.equal(json.includes(pw), false);
  });
});

describe('secret-in-env (CIS 4.10)', () => {
  it('names secret ENV and ARG variables, never their values, with base/own attribution', () => {
    const [npm, db, gh, old, baseSecret] = [b62(36), b62(16), b62(40), b62(12), b62(20)];
    const h = historyAndLayers(
      [
        ['ADD rootfs.tar / # buildkit', true],
        [`ENV VENDOR_API_KEY=${baseSecret}`, false],
        ['CMD ["sh"]', false],
        [`ARG NPM_TOKEN=${npm}`, false],
        [`RUN |2 NPM_TOKEN=${npm} VERSION=1.2 /bin/sh -c npm ci # buildkit`, true],
        [`|1 GITHUB_TOKEN=${gh} /bin/sh -c git clone x`, true],
        [`/bin/sh -c #(nop)  ENV DB_PASSWORD=${old}`, false],
        [`ENV DB_PASSWORD=${db} DB_PASSWORD_FILE=/run/secrets/db API_KEY=changeme`, false],
        ['ARG SECRET_NAME=prod', false],
      ],
      1,
    );
    const env = [
      `VENDOR_API_KEY=${baseSecret}`,
      `DB_PASSWORD=${db}`,
      'DB_PASSWORD_FILE=/run/secrets/db',
      'API_KEY=changeme',
      'PATH=/usr/bin',
      'TOKEN=',
    ];
    const found = byId('secret-in-env', checkImageConfig(facts({ ...h, config: { User: 'app', Env: env } })));
    const summary = found.map((f) => [
      f.location.source,
      f.location.path,
      f.location.historyIndex,
      f.fromBaseImage,
    ]);
    assert.deepEqual(summary, [
      ['env', 'VENDOR_API_KEY', 1, true],
      ['env', 'DB_PASSWORD', 7, false],
      ['history', undefined, 3, false],
      ['history', undefined, 5, false],
      ['history', undefined, 6, false],
    ]);
    assert.match(found[2]!.message, /Build argument NPM_TOKEN/);
    assert.match(found[3]!.message, /Build argument GITHUB_TOKEN/);
    assert.match(found[4]!.message, /ENV DB_PASSWORD held/);
    const json = JSON.stringify(found);
    for (const value of [npm, db, gh, old, baseSecret])
      assert.equal(json.includes(value), false, 'a secret value leaked');
    assert.match(found[3]!.location.createdBy!, /^\|1 GITHUB_TOKEN=\*\*\* \/bin\/sh -c git clone x$/);
    for (const f of found) assert.equal(ConfigFindingSchema.safeParse(f).success, true);
  });

  it('reports nothing for plain or placeholder variables', () => {
    const env = [
      'PATH=/usr/bin',
      'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
      `PASSWORD=${'$'}{PASSWORD}`,
      'TOKEN_URL=https://x',
    ];
    assert.deepEqual(byId('secret-in-env', checkImageConfig(facts({ config: { User: 'a', Env: env } }))), []);
  });
});

describe('historyBaseFlags', () => {
  it('marks entries up to the base boundary CMD; own USER/ENV before the first own layer are own', () => {
    const h = pythonApp([
      ['USER app', false],
      ['COPY . /app # buildkit', true],
    ]);
    assert.deepEqual(historyBaseFlags(h.history, h.layers), [true, true, true, true, true, false, false]);
  });

  it('marks nothing when no layer is base, and follows the base layers when there is no CMD', () => {
    const h = pythonApp([['COPY . /app', true]], 0);
    assert.deepEqual(historyBaseFlags(h.history, h.layers), [false, false, false, false, false, false]);
    const noCmd = historyAndLayers(
      [
        ['ADD x /', true],
        ['ENV A=1', false],
        ['RUN y', true],
      ],
      1,
    );
    assert.deepEqual(historyBaseFlags(noCmd.history, noCmd.layers), [true, false, false]);
  });
});
