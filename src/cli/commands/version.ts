import type { Command } from 'commander';
import { assayVersion } from '../../version.js';

export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description('print the Assay version, and the Node.js version it runs on')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { format: string }) => {
      const info = {
        version: assayVersion(),
        node: process.versions.node,
        platform: `${process.platform}/${process.arch}`,
      };
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(info)}\n`);
      else process.stdout.write(`assay ${info.version} (node ${info.node}, ${info.platform})\n`);
    });
}
