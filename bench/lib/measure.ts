import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export interface Timed {
  seconds: number;
  /** Peak resident set size in MiB (GNU time's %M), when measured in a child. */
  rssMiB?: number;
}

/** Runs a shell command under GNU time; stdout is discarded. */
export function timeCommand(command: string, env: NodeJS.ProcessEnv = process.env): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `${command} > /dev/null`], {
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): ${command}\n${r.stderr}`);
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  return { seconds: secs ?? Number.NaN, rssMiB: (kb ?? Number.NaN) / 1024 };
}

/** Best of n runs (the least disturbed by the machine's other work). */
export function best(n: number, fn: () => Timed): Timed {
  let out: Timed | undefined;
  for (let i = 0; i < n; i++) {
    const t = fn();
    if (!out || t.seconds < out.seconds) out = t;
  }
  return out!;
}

/** Layer blob paths of an OCI layout's single image, in order. */
export async function layoutLayers(layout: string): Promise<string[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const blob = (d: string) => join(layout, 'blobs', 'sha256', d.slice(7));
  const manifest = JSON.parse(await readFile(blob(index.manifests[0]!.digest), 'utf8')) as {
    layers: { digest: string }[];
  };
  return manifest.layers.map((l) => blob(l.digest));
}

/** The floor for reading an image: Node's zlib inflating every layer at once, output discarded. */
export async function zlibFloor(layers: string[]): Promise<Timed> {
  const start = performance.now();
  await Promise.all(
    layers.map((p) =>
      pipeline(
        createReadStream(p, { highWaterMark: 1 << 20 }),
        createGunzip({ chunkSize: 256 * 1024 }),
        new Writable({ write: (_c, _e, cb) => cb() }),
      ),
    ),
  );
  return { seconds: (performance.now() - start) / 1000 };
}

export function du(path: string): string {
  return execFileSync('du', ['-sh', path], { encoding: 'utf8' }).split('\t')[0] ?? '?';
}

export function ratio(a: Timed, b: Timed): string {
  return `${(a.seconds / b.seconds).toFixed(2)}x`;
}

export function fmt(t: Timed): string {
  return `${t.seconds.toFixed(2)} s${t.rssMiB !== undefined ? `, peak RSS ${t.rssMiB.toFixed(0)} MiB` : ''}`;
}
