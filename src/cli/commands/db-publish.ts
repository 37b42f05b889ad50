/**
 * `assay db publish|push|keygen`: make the local DB pullable by other scanners. The distribution
 * code (export, signing, the registry client) loads only when one of these runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { optionSource } from '../common.js';
import { resolveOption, resolveString } from '../config.js';
import { formatBytes, writeOut } from '../output.js';
import { collect, dbDir, listValue, withDbPath } from './db-options.js';

const PUBLISH_HELP = `
DIR receives the bundle, metadata.json (its digest, size, schema version and sources) and, with
--sign-key, metadata.json.sig. Upload DIR as it is to any HTTP server or object store; scanners
then pull with \`assay db update --from https://HOST/PATH/\`. Publishing again into the same DIR
replaces the files, the metadata last, so a scanner never sees a half-published DB.
(\`assay db export FILE\` writes the bundle alone, for \`assay db import\` on an offline machine.)

Examples:
  assay db publish ./site/db
  assay db keygen --out release && assay db publish --sign-key release.key ./site/db
  aws s3 sync ./site/db s3://bucket/assay-db/   # then: assay db update --from https://…/assay-db/`;

const PUSH_HELP = `
Pushes the DB as an OCI artifact (artifactType application/vnd.assay.db.v1): the metadata as the
config blob, the bundle as the only layer, the signature (--sign-key) as a manifest annotation.
Credentials: --username/--password (prefer ASSAY_PASSWORD), else ~/.docker/config.json and its
credential helpers (\`docker login\`). The manifest digest is printed on stdout.

Examples:
  assay db push oci://registry.example.com/security/assay-db:latest
  assay db push --sign-key release.key oci://127.0.0.1:5000/assay-db:1 --insecure-registry 127.0.0.1:5000
  assay db update --from oci://registry.example.com/security/assay-db:latest   # on each scanner`;

const KEYGEN_HELP = `
Writes PREFIX.key (the private key, mode 0600: keep it where the DB is published) and
PREFIX.pub (give it to scanners: --public-key, ASSAY_DB_PUBLIC_KEY or config db-public-key).
Existing files are never overwritten.

Example:
  assay db keygen --out ~/keys/assay-db`;

export function registerDbPublish(db: Command): void {
  withDbPath(
    db
      .command('publish')
      .argument('<dir>', 'directory to write the bundle and metadata.json into')
      .description('write the DB as files for any HTTP server or object store (bundle + metadata.json)'),
  )
    .option('--sign-key <file>', 'sign metadata.json with this Ed25519 private key (`assay db keygen`)')
    .option('--bundle-name <name>', 'file name of the bundle in DIR', 'assay-db.tar.gz')
    .addHelpText('after', PUBLISH_HELP)
    .action(async (dir: string, _opts: unknown, cmd: Command) => runPublish(dir, cmd));
  withDbPath(
    db
      .command('push')
      .argument('<ref>', 'oci://REGISTRY/REPOSITORY:TAG')
      .description('push the DB to an OCI registry as an artifact'),
  )
    .option('--sign-key <file>', 'sign the metadata with this Ed25519 private key (`assay db keygen`)')
    .option('--username <user>', 'registry user name (else ~/.docker/config.json)')
    .option('--password <password>', 'registry password or token (prefer ASSAY_PASSWORD)')
    .option(
      '--insecure-registry <host>',
      'allow plain HTTP and self-signed TLS for this registry',
      collect,
      [],
    )
    .addHelpText('after', PUSH_HELP)
    .action(async (ref: string, _opts: unknown, cmd: Command) => runPush(ref, cmd));
  db.command('keygen')
    .description('create an Ed25519 key pair for signing published DBs')
    .requiredOption('--out <prefix>', 'write PREFIX.key and PREFIX.pub')
    .addHelpText('after', KEYGEN_HELP)
    .action(async (_opts: unknown, cmd: Command) => runKeygen(cmd.opts().out as string));
}

async function signingKey(cmd: Command): Promise<string | undefined> {
  const file = resolveString(optionSource(cmd), 'signKey');
  if (!file) return undefined;
  const { loadPrivateKeyFile } = await import('../../vulndb/distribution/sign.js');
  return loadPrivateKeyFile(file);
}

async function runPublish(dir: string, cmd: Command): Promise<void> {
  const key = await signingKey(cmd);
  const bundleName = resolveString(optionSource(cmd), 'bundleName');
  const { publishBundle } = await import('../../vulndb/distribution/publish.js');
  const r = await publishBundle(dbDir(cmd), dir, {
    ...(key ? { signingKeyPem: key } : {}),
    ...(bundleName ? { bundleName } : {}),
  });
  const files = [r.metadata.bundle.file, 'metadata.json', ...(r.signaturePath ? ['metadata.json.sig'] : [])];
  process.stderr.write(
    `published ${dir}: ${files.join(', ')} (${formatBytes(r.metadata.bundle.size)}, ${r.metadata.bundle.digest}${r.signature ? ', signed' : ''})\n`,
  );
}

async function runPush(refText: string, cmd: Command): Promise<void> {
  const ref = refText.startsWith('oci://') ? refText.slice('oci://'.length) : refText;
  if (!ref || ref.includes('://'))
    throw new AssayError('usage', `push needs oci://REGISTRY/REPOSITORY:TAG, got ${JSON.stringify(refText)}`);
  const src = optionSource(cmd);
  const key = await signingKey(cmd);
  const [{ publishBundle }, { pushDb }] = await Promise.all([
    import('../../vulndb/distribution/publish.js'),
    import('../../vulndb/distribution/oci.js'),
  ]);
  const username = resolveString(src, 'username');
  const password = resolveString(src, 'password');
  const work = await mkdtemp(join(tmpdir(), 'assay-db-push-'));
  const started = Date.now();
  const { PullReporter } = await import('./db-pull.js');
  const reporter = new PullReporter(process.stderr, '', 'uploading');
  try {
    const published = await publishBundle(dbDir(cmd), work, key ? { signingKeyPem: key } : {});
    const pushed = await pushDb(
      ref,
      {
        metadataBytes: published.metadataBytes,
        bundlePath: published.bundlePath,
        ...(published.signature ? { signature: published.signature } : {}),
      },
      {
        insecureRegistries: listValue(resolveOption(src, 'insecureRegistry')),
        credentials: { username, password },
        onProgress: reporter.onProgress,
      },
    );
    reporter.finish();
    await writeOut(process.stdout, `${pushed.manifestDigest}\n`);
    process.stderr.write(
      `pushed oci://${ref} (${formatBytes(pushed.bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s, bundle ${pushed.bundleDigest}${published.signature ? ', signed' : ''})\n`,
    );
  } finally {
    reporter.finish();
    await rm(work, { recursive: true, force: true });
  }
}

async function runKeygen(prefix: string): Promise<void> {
  const { writeFile, rm: remove } = await import('node:fs/promises');
  const { generateSigningKeys } = await import('../../vulndb/distribution/sign.js');
  const keys = generateSigningKeys();
  const [priv, pub] = [`${prefix}.key`, `${prefix}.pub`];
  // 'wx' = O_CREAT|O_EXCL: an existing key is never overwritten, even in a race.
  const create = async (path: string, text: string, mode: number) => {
    try {
      await writeFile(path, text, { flag: 'wx', mode });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new AssayError('usage', `${path} exists: keygen never overwrites a key; choose another --out`);
      throw new AssayError('usage', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  await create(priv, keys.privateKeyPem, 0o600);
  try {
    await create(pub, keys.publicKeyPem, 0o644);
  } catch (err) {
    await remove(priv, { force: true });
    throw err;
  }
  process.stderr.write(
    `wrote ${priv} (private, 0600: for --sign-key) and ${pub} (public: for scanners' --public-key / db-public-key)\n`,
  );
}
