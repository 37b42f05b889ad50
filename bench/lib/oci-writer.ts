/**
 * Streaming OCI layout writer for benchmark images (the test-support writer holds layers in
 * memory, which is fine for tests but not for a 1 GB image). Each layer is a tar stream that is
 * hashed (diff-id), gzip'd and hashed again (blob digest) on its way to disk.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export interface LayerInput {
  tar: () => Readable;
  createdBy: string;
}

interface WrittenLayer {
  digest: string;
  diffId: string;
  size: number;
}

function hasher(onDone: (hex: string, bytes: number) => void): Transform {
  const h = createHash('sha256');
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      h.update(chunk);
      n += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      onDone(h.digest('hex'), n);
      cb();
    },
  });
}

async function writeLayer(dir: string, input: LayerInput): Promise<WrittenLayer> {
  const tmp = join(dir, 'blobs', 'sha256', `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let diffId = '';
  let digest = '';
  let size = 0;
  await pipeline(
    input.tar(),
    hasher((hex) => {
      diffId = `sha256:${hex}`;
    }),
    createGzip({ level: 6 }),
    hasher((hex, n) => {
      digest = `sha256:${hex}`;
      size = n;
    }),
    createWriteStream(tmp),
  );
  await rename(tmp, join(dir, 'blobs', 'sha256', digest.slice(7)));
  return { digest, diffId, size };
}

async function writeJsonBlob(dir: string, value: unknown): Promise<{ digest: string; size: number }> {
  const data = Buffer.from(JSON.stringify(value));
  const hex = createHash('sha256').update(data).digest('hex');
  await writeFile(join(dir, 'blobs', 'sha256', hex), data);
  return { digest: `sha256:${hex}`, size: data.length };
}

export async function writeStreamingLayout(dir: string, tag: string, layers: LayerInput[]): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const written: WrittenLayer[] = [];
  for (const l of layers) written.push(await writeLayer(dir, l));
  const created = new Date().toISOString();
  const config = await writeJsonBlob(dir, {
    created,
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['bash'] },
    rootfs: { type: 'layers', diff_ids: written.map((w) => w.diffId) },
    history: layers.map((l) => ({ created, created_by: l.createdBy })),
  });
  const manifest = await writeJsonBlob(dir, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: written.map((w) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: w.digest,
      size: w.size,
    })),
  });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
}

/** A readable over a child process's stdout that fails when the process exits non-zero. */
export function commandStream(cmd: string, args: string[]): Readable {
  // Lazy import keeps this module cheap for callers that only write JSON.
  const out = new PassThrough();
  import('node:child_process').then(({ spawn }) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.pipe(out, { end: false });
    p.on('close', (code) => {
      if (code === 0) out.end();
      else out.destroy(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
    });
  });
  return out;
}
