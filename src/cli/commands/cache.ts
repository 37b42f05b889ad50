import type { Command } from 'commander';
import { AssayError } from '../../model/errors.js';
import { resolveCacheOptions } from '../common.js';
import { formatBytes } from '../output.js';

export function registerCacheCommands(program: Command): void {
  const cache = program
    .command('cache')
    .description(
      'manage the layer cache (per-layer results reused across scans of images that share layers)',
    );

  const common = (cmd: Command) =>
    cmd
      .option('--config <file>', 'config file (YAML, keys = long option names)')
      .option(
        '-p, --vulnerability_db_path <dir>',
        'vulnerability DB directory; the layer cache is its sibling "cache"',
      )
      .option('--cache-dir <dir>', 'layer cache directory (default: <db path>/../cache)');

  common(cache.command('info').description('print the cache location, entry count and size'))
    .option('--format <format>', 'text or json', 'text')
    .action(async (_opts: unknown, cmd: Command) => {
      const { cache: c, cacheDir } = resolveCacheOptions(cmd);
      const usage = await c.usage();
      if (cmd.opts().format === 'json')
        process.stdout.write(`${JSON.stringify({ dir: cacheDir, ...usage })}\n`);
      else process.stdout.write(`${cacheDir}: ${usage.entries} entries, ${formatBytes(usage.bytes)}\n`);
    });

  common(cache.command('clean').description('remove every cached layer result'))
    .option(
      '--max-size <bytes>',
      'instead of emptying, evict least recently used entries down to this size (e.g. 500M, 2G)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const { cache: c, cacheDir } = resolveCacheOptions(cmd);
      const max = cmd.opts().maxSize;
      const r = typeof max === 'string' ? await c.prune(parseSize(max)) : await c.clean();
      process.stderr.write(`removed ${r.removed} entries (${formatBytes(r.bytes)}) from ${cacheDir}\n`);
    });
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m)
    throw new AssayError(
      'usage',
      `invalid size ${JSON.stringify(text)}: use a number with an optional K, M, G or T suffix`,
    );
  const power = ' kmgt'.indexOf((m[2] ?? '').toLowerCase() || ' ');
  return Math.floor(Number(m[1]) * 1024 ** power);
}
