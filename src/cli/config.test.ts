import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { isAssayError } from '../model/errors.js';
import { addImageOptions, resolveImageOptions } from './common.js';
import { normalizeArgv } from './config.js';

async function setup(t: { after(fn: () => Promise<void>): void }, yaml: string) {
  const home = await mkdtemp(join(tmpdir(), 'assay-home-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  await writeFile(join(home, '.assay.yaml'), yaml);
  return home;
}

function parse(args: string[]) {
  const cmd = addImageOptions(new Command('x').argument('<src>').exitOverride());
  cmd.parse(normalizeArgv(['node', 'x', 'img', ...args]));
  return cmd;
}

test('precedence is flags > env > config file > default', async (t) => {
  const home = await setup(t, 'platform: linux/arm64\ntimeout: 5\nvulnerability_db_path: /from-file/db\n');
  const env = { HOME: home };
  let o = resolveImageOptions(parse([]), env);
  assert.deepEqual(o.source.platform, { os: 'linux', architecture: 'arm64' });
  assert.equal(o.source.timeoutMs, 5000);
  assert.equal(o.cacheDir, '/from-file/cache');

  o = resolveImageOptions(parse([]), {
    ...env,
    ASSAY_PLATFORM: 'linux/s390x',
    ASSAY_VULNERABILITY_DB_PATH: '/env/db',
  });
  assert.deepEqual(o.source.platform, { os: 'linux', architecture: 's390x' });
  assert.equal(o.cacheDir, '/env/cache');

  o = resolveImageOptions(parse(['--platform', 'linux/386', '--vulnerability-db-path=/flag/db']), {
    ...env,
    ASSAY_PLATFORM: 'linux/s390x',
    CC_VULNERABILITY_DB_PATH: '/cc/db',
  });
  assert.deepEqual(o.source.platform, { os: 'linux', architecture: '386' });
  assert.equal(o.cacheDir, '/flag/cache');

  o = resolveImageOptions(parse([]), { ...env, CC_VULNERABILITY_DB_PATH: '/cc/db' });
  assert.equal(o.cacheDir, '/cc/cache', 'CC_ aliases are honoured');
});

test('--config FILE replaces ~/.assay.yaml, and a missing explicit file is an error', async (t) => {
  const home = await setup(t, 'platform: linux/arm64\n');
  const other = join(home, 'other.yaml');
  await writeFile(other, 'insecure-registry: [a.example:5000, b.example]\n');
  const o = resolveImageOptions(parse(['--config', other]), { HOME: home });
  assert.equal(o.source.platform, undefined);
  assert.deepEqual(o.source.insecureRegistries, ['a.example:5000', 'b.example']);
  assert.throws(
    () => resolveImageOptions(parse(['--config', join(home, 'nope.yaml')]), { HOME: home }),
    (e: unknown) => isAssayError(e, 'usage') && /cannot read config file/.test(e.message),
  );
});

test('bad values are usage errors naming the option', async (t) => {
  const home = await setup(t, '- just\n- a list\n');
  assert.throws(() => resolveImageOptions(parse([]), { HOME: home }), /must be a mapping/);
  const ok = await setup(t, '');
  assert.throws(() => resolveImageOptions(parse(['--timeout', '-1']), { HOME: ok }), /--timeout/);
  assert.throws(() => resolveImageOptions(parse(['--platform', 'linux']), { HOME: ok }), /invalid platform/);
});

test('kebab-case spellings of snake_case drop-in options are rewritten, but not after --', () => {
  assert.deepEqual(normalizeArgv(['--warn-threshold', '5', '--output-file=x', '--', '--input-file']), [
    '--warn_threshold',
    '5',
    '--output_file=x',
    '--',
    '--input-file',
  ]);
});
