import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ImageCatalog } from '../../catalog/catalog-image.js';
import type { ImageDescription } from '../../image/types.js';
import { AssayError } from '../../model/errors.js';
import { assayVersion } from '../../version.js';
import { addImageOptions, resolveImageOptions } from '../common.js';
import { EXIT } from '../exit-codes.js';
import { Progress, writeOut } from '../output.js';

const FORMATS = ['json', 'cyclonedx-json', 'spdx-json'] as const;
type SbomFormat = (typeof FORMATS)[number];
const ALIASES: Record<string, SbomFormat> = { cyclonedx: 'cyclonedx-json', spdx: 'spdx-json' };

export function registerSbomCommand(program: Command): void {
  addImageOptions(program.command('sbom').argument('<source>', 'image source, e.g. registry:debian:12'))
    .description(
      'list every OS and language package in an image, with the layer that brought it in, as an SBOM',
    )
    .option('--format <format>', `${FORMATS.join(', ')} (aliases: cyclonedx, spdx)`, 'json')
    .option('-o, --output <file>', 'write the document to FILE instead of stdout')
    .addHelpText(
      'after',
      '\nA layer that cannot be read makes the SBOM partial: it is still written, with the error on\nstderr, `complete: false` in the json format, and exit code 2.\n\nExamples:\n  assay sbom registry:debian:12 --format cyclonedx-json -o debian.cdx.json\n  assay sbom docker-archive:app.tar | jq \'.packages[] | select(.type=="npm") | .purl\'',
    )
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const format = parseFormat(String(cmd.opts().format));
      const output: unknown = cmd.opts().output;
      const opts = resolveImageOptions(cmd);
      const [{ openSource }, { catalogImage }] = await Promise.all([
        import('../../image/source.js'),
        import('../../catalog/catalog-image.js'),
      ]);
      const source = await openSource(input, opts.source);
      const progress = new Progress();
      try {
        const desc = await source.describe();
        let done = 0;
        const catalog = await catalogImage(source, desc, {
          cache: opts.cache,
          spillDir: opts.source.spoolDir,
          onLayer: () => progress.update(`cataloging layers: ${++done}/${desc.layers.length}`),
        });
        progress.done();
        const text = `${JSON.stringify(await render(format, desc, catalog), null, 2)}\n`;
        if (typeof output === 'string') await writeFile(output, text);
        else await writeOut(process.stdout, text);
        for (const { error } of catalog.walk.errors)
          process.stderr.write(`assay: ${input}: ${error.message}\n`);
        process.exitCode = catalog.complete ? EXIT.ok : EXIT.usageOrScanError;
      } finally {
        progress.done();
        await source.close();
      }
    });
}

function parseFormat(value: string): SbomFormat {
  const f = ALIASES[value] ?? value;
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new AssayError(
      'usage',
      `--format must be one of ${FORMATS.join(', ')} (or cyclonedx, spdx), got ${value}`,
    );
  }
  return f as SbomFormat;
}

async function render(format: SbomFormat, desc: ImageDescription, catalog: ImageCatalog): Promise<unknown> {
  const created = new Date().toISOString();
  if (format === 'json') {
    const { sbomDocument } = await import('../../catalog/sbom-document.js');
    return sbomDocument(desc, catalog, assayVersion(), created);
  }
  const input = {
    image: desc,
    ...(catalog.inventory.os ? { os: catalog.inventory.os } : {}),
    packages: catalog.inventory.packages,
    issues: catalog.inventory.issues,
    tool: { name: 'assay' as const, version: assayVersion() },
    timestamp: created,
  };
  if (format === 'cyclonedx-json')
    return (await import('../../report/sbom/cyclonedx.js')).writeCycloneDx(input);
  return (await import('../../report/sbom/spdx.js')).writeSpdx(input);
}
