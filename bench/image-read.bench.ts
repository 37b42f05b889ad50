/**
 * Reading images (issue 2 "Measured"): `assay image files` on the ~220 MB Debian image and
 * the ~1 GB image, against the floors measured in the same run:
 *   - Node's zlib inflating every layer in parallel, output discarded (the true floor);
 *   - `gzip -dc LAYER | tar -t` for each layer in turn, and for all layers at once.
 * Cold = `--no-cache`; warm = second run on a filled layer cache.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchImage } from './lib/fixtures.js';
import { best, du, fmt, layoutLayers, ratio, timeCommand, zlibFloor } from './lib/measure.js';

const ASSAY = `${process.execPath} ${new URL('../bin/assay', import.meta.url).pathname}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export default async function bench(): Promise<void> {
  for (const which of ['debian', 'big'] as const) {
    const layout = await benchImage(which);
    const layers = await layoutLayers(layout);
    const cache = await mkdtemp(join(tmpdir(), 'assay-bench-cache-'));
    try {
      let floor = await zlibFloor(layers);
      for (let i = 1; i < RUNS; i++) {
        const t = await zlibFloor(layers);
        if (t.seconds < floor.seconds) floor = t;
      }
      const quoted = layers.map((l) => `'${l}'`);
      const gzipSeq = best(RUNS, () => timeCommand(quoted.map((l) => `gzip -dc ${l} | tar -t`).join('; ')));
      const gzipPar = best(RUNS, () =>
        timeCommand(`${quoted.map((l) => `(gzip -dc ${l} | tar -t > /dev/null) &`).join(' ')} wait`),
      );
      const src = `oci-dir:${layout}:latest`;
      const cold = best(RUNS, () => timeCommand(`${ASSAY} image files ${src} --no-cache --format json`));
      timeCommand(`${ASSAY} image files ${src} --cache-dir ${cache}`);
      const warm = best(RUNS, () => timeCommand(`${ASSAY} image files ${src} --cache-dir ${cache}`));
      console.log(`### ${which}: ${layers.length} layers, ${du(layout)} on disk`);
      console.log(`- zlib floor (all layers in parallel, in-process): ${fmt(floor)}`);
      console.log(`- gzip -dc | tar -t, layer after layer: ${fmt(gzipSeq)}`);
      console.log(`- gzip -dc | tar -t, all layers at once: ${fmt(gzipPar)}`);
      console.log(
        `- assay image files, cold (--no-cache): ${fmt(cold)} = ${ratio(cold, floor)} the zlib floor, ${ratio(cold, gzipSeq)} gzip|tar sequential, ${ratio(cold, gzipPar)} parallel`,
      );
      console.log(`- assay image files, warm layer cache: ${fmt(warm)}`);
      console.log('');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }
}
