/**
 * `npm run bench [-- name…]`: runs every bench/*.bench.ts (or those whose name contains one of
 * the arguments) in turn. Each prints its own figures as ratios against a reference measured in
 * the same run; nothing here asserts timings.
 */
import { readdirSync } from 'node:fs';

const dir = new URL('./', import.meta.url);
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const f of files) {
  process.stdout.write(`\n## ${f.replace(/\.bench\.ts$/, '')}\n\n`);
  const mod: unknown = await import(new URL(f, dir).href);
  const run = typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
  if (typeof run !== 'function') throw new Error(`${f} has no default export function`);
  await run();
}
