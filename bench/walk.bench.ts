/**
 * Layer-walk benchmark: how close walking a gzip layer comes to the physical floor.
 *
 * The floor is Node's own zlib inflating the layer and discarding the output (the project's
 * speed goal is 1.3x of that); `gzip -dc | tar -t` is the classic reference, and tar-stream is
 * the library the walker's hand-written tar reader replaced (kept here so the reason stays
 * measurable). The layer (~150 MB of this machine's /usr) is built once and cached in bench/out/.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import type { LayerRef } from '../src/image/types.js';
import { openLayerTar } from '../src/image/walk/decompress.js';
import { walkImage } from '../src/image/walk/image-walker.js';
import { walkLayer } from '../src/image/walk/layer-walker.js';
import type { ZstdDecoder } from '../src/image/walk/zstd.js';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const TARGET_BYTES = 150 * 1024 * 1024;
/** The chunk size openLayerTar uses; the floor gets the same so only the walk differs. */
const INFLATE_CHUNK = 256 * 1024;

export default async function bench(): Promise<void> {
  // WALK_BENCH_LAYER=/path/x.tar.gz measures another layer (with x.tar.zst beside it, if present).
  const custom = process.env.WALK_BENCH_LAYER;
  const { gz, zst } = custom ? { gz: custom, zst: custom.replace(/\.gz$/, '.zst') } : await ensureLayers();
  const rounds = Number(process.env.WALK_BENCH_ROUNDS ?? 3);
  const times = new Map<string, Sample[]>();
  const record = (name: string, sample: Sample): void =>
    void times.set(name, [...(times.get(name) ?? []), sample]);
  let walkRss = 0;
  // Rounds interleave the contenders so a noisy neighbour slows all of them alike.
  for (let round = 0; round < rounds; round++) {
    record('assay walkLayer (gzip)', await timed(() => walk(gz)));
    if (round === 0) walkRss = process.resourceUsage().maxRSS * 1024;
    record(FLOOR, await timed(() => inflateOnly(gz)));
    record('gzip -dc | tar -t', await timed(() => shell('gzip -dc "$1" | tar -t > /dev/null', gz)));
    record('tar-stream walk (gzip)', await timed(() => tarStreamWalk(gz)));
    // The project's goal is stated per image: all layers inflating in parallel is the floor.
    record(
      IMAGE_FLOOR,
      await timed(() => Promise.all(IMAGE.map(() => inflateOnly(gz))).then(() => undefined)),
    );
    record(`assay walkImage (${IMAGE.length} layers)`, await timed(() => walkAll(gz)));
  }
  for (const decoder of ['binary', 'js'] as const) {
    if (await exists(zst))
      record(`assay walkLayer (zstd, ${decoder})`, await timed(() => walk(zst, decoder)));
  }
  report(times, walkRss, (await stat(gz)).size, inflated);
}

const FLOOR = 'zlib inflate only (floor)';
const IMAGE_FLOOR = 'zlib, 4 layers in parallel';
/** An image of four layers (the same blob four times, so no layer is cheaper than another). */
const IMAGE: LayerRef[] = [0, 1, 2, 3].map((index) => ({
  index,
  digest: `sha256:${String(index).repeat(64)}`,
  diffId: '',
  size: -1,
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
}));

async function walkAll(path: string): Promise<void> {
  const walked = await walkImage(IMAGE, async () => createReadStream(path, { highWaterMark: 1 << 20 }), {
    visitor: () => ({ wants: () => false, finish: () => undefined }),
  });
  if (walked.errors.length > 0) throw walked.errors[0]?.error;
}

async function walk(path: string, zstdDecoder: ZstdDecoder = 'auto'): Promise<void> {
  const tar = openLayerTar(createReadStream(path, { highWaterMark: 1 << 20 }), { zstdDecoder });
  for await (const _event of walkLayer(tar, { wants: () => false, layerLabel: 'bench layer' })) {
    // Walk everything, want nothing: the cost of `assay image files`.
  }
}

/** Uncompressed size of the layer, measured by the floor run. */
let inflated = 0;

async function inflateOnly(path: string): Promise<void> {
  const gunzip = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    createGunzip({ chunkSize: INFLATE_CHUNK }),
  );
  let bytes = 0;
  for await (const chunk of gunzip) bytes += (chunk as Buffer).length;
  inflated = bytes;
}

async function tarStreamWalk(path: string): Promise<void> {
  const extract = tarStream.extract();
  createReadStream(path, { highWaterMark: 1 << 20 })
    .pipe(createGunzip({ chunkSize: INFLATE_CHUNK }))
    .pipe(extract);
  for await (const entry of extract) entry.resume();
}

function shell(script: string, arg: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script, 'sh', arg], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

interface Sample {
  ms: number;
  /** CPU of this process, all threads (zlib's pool included): steadier than wall time on a busy machine. */
  cpuMs: number;
}

async function timed(run: () => Promise<void>): Promise<Sample> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function report(times: Map<string, Sample[]>, walkRss: number, gzSize: number, tarSize: number): void {
  const best = (name: string, key: keyof Sample = 'ms'): number =>
    Math.min(...(times.get(name) ?? []).map((sample) => sample[key]));
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
  const ms = (n: number): string => `${n.toFixed(0).padStart(6)} ms`;
  console.log(
    `\nlayer walk: ${mib(gzSize)} gzip layer, ${mib(tarSize)} uncompressed (best and median of the rounds)`,
  );
  for (const [name, samples] of times) {
    const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const floor = name.includes('4 layers') || name.includes('walkImage') ? IMAGE_FLOOR : FLOOR;
    const ratio = `${(best(name) / best(floor)).toFixed(2)}x ${floor === FLOOR ? 'layer' : 'image'} floor`;
    // A shell pipeline's CPU is its children's, not this process's.
    const cpu = name.includes('|') ? '     (n/a)' : ms(best(name, 'cpuMs'));
    console.log(`  ${name.padEnd(32)} best ${ms(best(name))}  median ${ms(median)}  ${ratio}  cpu ${cpu}`);
  }
  console.log(`  peak RSS after the first walk: ${mib(walkRss)}`);
}

/** Builds the layer from /usr once (sorted walks, stopping at ~150 MB), gzip and zstd, in a temp dir. */
async function ensureLayers(): Promise<{ gz: string; zst: string }> {
  const gz = join(OUT, 'walk-usr.tar.gz');
  const zst = join(OUT, 'walk-usr.tar.zst');
  if ((await exists(gz)) && (await exists(zst))) return { gz, zst };
  await mkdir(OUT, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'assay-walk-bench-'));
  try {
    const list = join(work, 'files');
    // A third each of binaries, libraries and data files: the mix of a distribution layer.
    const roots = ['/usr/bin', '/usr/lib', '/usr/share'];
    const picked = await Promise.all(roots.map((root) => pickFiles(root, TARGET_BYTES / roots.length)));
    await writeFile(list, picked.flat().join('\n'));
    const tar = join(work, 'layer.tar');
    await shell(`tar -cf "${tar}" --no-recursion -T "$1" 2>/dev/null || test -s "${tar}"`, list);
    await shell(
      `gzip -6 -c "$1" > "${work}/layer.tar.gz" && zstd -q -3 -c "$1" > "${work}/layer.tar.zst"`,
      tar,
    );
    await rename(join(work, 'layer.tar.gz'), gz);
    await rename(join(work, 'layer.tar.zst'), zst);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { gz, zst };
}

async function pickFiles(root: string, budget: number): Promise<string[]> {
  const picked: string[] = [];
  let total = 0;
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (total >= budget) return;
      const path = join(dir, entry.name);
      picked.push(path);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
    }
  };
  await visit(root);
  return picked;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
