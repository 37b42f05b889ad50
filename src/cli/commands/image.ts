import type { Command } from 'commander';
import { type InspectDocument, inspectDocument } from '../../image/inspect.js';
import { formatPlatform } from '../../image/platform.js';
import type { ImageDescription } from '../../image/types.js';
import { AssayError, errorMessage } from '../../model/errors.js';
import type { OsRelease } from '../../model/os.js';
import { addImageOptions, type ImageCommandOptions, resolveImageOptions } from '../common.js';
import { EXIT } from '../exit-codes.js';
import { formatBytes, formatTable, styler, useColor, writeOut } from '../output.js';

export function registerImageCommands(program: Command): void {
  const image = program
    .command('image')
    .description('look inside an image: its manifest, config, layers and files')
    .addHelpText('after', '\nSOURCE is any image source; see `assay --help` for the syntax.');

  addImageOptions(
    image.command('inspect').argument('<source...>', 'image source(s), e.g. registry:alpine:3.20'),
  )
    .description(
      "print an image's identity (registry, repository, tag, digests), platform, config, labels and layers with the commands that made them",
    )
    .option('--format <format>', 'text or json (one source: an object; several: an array)', 'text')
    .option('--no-os', 'do not read the layers to detect the distribution (manifest and config only)')
    .addHelpText(
      'after',
      '\nThe distribution is detected from the layers (os-release and friends), which are read for that;\nthe layer cache makes it free the next time. --no-os reads manifest and config only.\n\nSeveral sources are inspected independently: one that fails is reported on stderr (exit 2)\nand the others are still printed.\n\nExamples:\n  assay image inspect registry:debian:12\n  assay image inspect oci-dir:./layout:v1 --format json | jq .layers',
    )
    .action(async (sources: string[], _opts: unknown, cmd: Command) => {
      const format = checkFormat(cmd.opts().format, ['text', 'json']);
      const opts = resolveImageOptions(cmd);
      const detectOs = cmd.opts().os !== false;
      const docs: InspectDocument[] = [];
      let failed = 0;
      let printed = 0;
      for (const input of sources) {
        try {
          const { desc, distro } = await inspectSource(input, opts, detectOs);
          if (format === 'json') docs.push(inspectDocument(desc, distro));
          else await writeOut(process.stdout, (printed++ > 0 ? '\n' : '') + inspectText(desc, distro));
        } catch (err) {
          failed++;
          process.stderr.write(`assay: ${errorMessage(err)}\n`);
        }
      }
      if (format === 'json' && docs.length > 0) {
        await writeOut(process.stdout, `${JSON.stringify(sources.length === 1 ? docs[0] : docs, null, 2)}\n`);
      }
      process.exitCode = failed > 0 ? EXIT.usageOrScanError : EXIT.ok;
    });

  addImageOptions(image.command('files').argument('<source>', 'image source'))
    .description(
      'list the final file tree (path, type, size, mode, and the index of the layer that last wrote it), like a layer explorer',
    )
    .option('--layer <n>', 'only the entries layer N (0-based) adds, changes or deletes')
    .option('--format <format>', 'text or json (one JSON object per line)', 'text')
    .addHelpText(
      'after',
      '\nExamples:\n  assay image files registry:alpine:3.20\n  assay image files docker-archive:app.tar --layer 2 | sort -k3 -n',
    )
    .action(async (source: string, _opts: unknown, cmd: Command) => {
      const format = checkFormat(cmd.opts().format, ['text', 'json']);
      const layerText: unknown = cmd.opts().layer;
      const layer = layerText === undefined ? undefined : Number(layerText);
      if (layer !== undefined && (!Number.isInteger(layer) || layer < 0)) {
        throw new AssayError('usage', `--layer must be a layer index (0, 1, …), got ${String(layerText)}`);
      }
      const opts = resolveImageOptions(cmd);
      // Loaded on use: the walker and the sources are most of the start-up cost of other commands.
      const { listImageFiles } = await import('./image-files.js');
      process.exitCode = await listImageFiles(source, opts, {
        layer,
        format: format === 'json' ? 'json' : 'text',
      });
    });
}

/**
 * Describes an image and, unless told not to, detects its distribution with the os-release
 * analyzer alone (through the layer cache). A layer that cannot be read only loses the
 * distribution, with a warning: inspecting is how users debug broken images.
 */
async function inspectSource(
  input: string,
  opts: ImageCommandOptions,
  detectOs: boolean,
): Promise<{ desc: ImageDescription; distro: OsRelease | null }> {
  const { openSource } = await import('../../image/source.js');
  const src = await openSource(input, opts.source);
  try {
    const desc = await src.describe();
    if (!detectOs) return { desc, distro: null };
    const [{ catalogImage }, { osRelease }] = await Promise.all([
      import('../../catalog/catalog-image.js'),
      import('../../catalog/analyzers/os-release/analyzer.js'),
    ]);
    const catalog = await catalogImage(src, desc, {
      analyzers: [osRelease],
      cache: opts.cache,
      spillDir: opts.source.spoolDir,
    });
    for (const { error } of catalog.walk.errors) {
      process.stderr.write(`assay: warning: ${input}: distribution not detected: ${error.message}\n`);
    }
    return { desc, distro: catalog.complete ? (catalog.inventory.os ?? null) : null };
  } finally {
    await src.close();
  }
}

function checkFormat(value: unknown, allowed: string[]): string {
  const v = String(value);
  if (!allowed.includes(v))
    throw new AssayError('usage', `--format must be one of ${allowed.join(', ')}, got ${v}`);
  return v;
}

function inspectText(d: ImageDescription, distro: OsRelease | null): string {
  const st = styler(useColor(process.stdout));
  const kv: string[][] = [
    ['Reference', d.input],
    ['Registry', d.registry || '(none)'],
    ['Repository', d.repository || '(none)'],
    ['Tag', d.tag ?? ''],
    ['Repo digest', d.repoDigest ?? ''],
    ['Manifest', d.manifestDigest ?? ''],
    ['Image ID', d.imageId],
    ['Platform', formatPlatform(d.platform)],
    [
      'Distribution',
      distro
        ? `${distro.prettyName ?? `${distro.name} ${distro.version}`}${distro.eol ? ' (end of life)' : ''}`
        : '',
    ],
    ['Created', d.created ?? ''],
    ['Size', formatBytes(d.size)],
    ['User', d.config.User || '(root)'],
  ].filter((r) => r[1] !== '');
  const labels = Object.entries(d.labels).map(([k, v]) => [`  ${k}`, v]);
  const layerRows = [['#', 'SIZE', 'DIFF ID', 'CREATED BY'].map(st.bold)];
  for (const l of d.layers)
    layerRows.push([String(l.index), formatBytes(l.size), shortDigest(l.diffId), oneLine(l.createdBy ?? '')]);
  const empty = d.history.filter((h) => h.emptyLayer).length;
  return [
    formatTable(kv.map(([k, v]) => [st.bold(k!), v!])),
    labels.length ? `${st.bold('Labels')}\n${formatTable(labels)}` : '',
    `${st.bold('Layers')} (${d.layers.length}; ${empty} history entries without a layer)`,
    formatTable(layerRows),
    '',
  ]
    .filter((s, i, a) => s !== '' || i === a.length - 1)
    .join('\n');
}

function shortDigest(d: string): string {
  return d ? d.replace(/^sha256:/, '').slice(0, 12) : '-';
}

function oneLine(s: string): string {
  const t = s
    .replace(/\s+/g, ' ')
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, '')
    .trim();
  return t.length > 100 ? `${t.slice(0, 99)}…` : t;
}
