import { Command, CommanderError } from 'commander';
import { AssayError, errorMessage } from '../model/errors.js';
import { assayVersion } from '../version.js';
import { registerCacheCommands } from './commands/cache.js';
import { registerDbCommands } from './commands/db.js';
import { registerImageCommands } from './commands/image.js';
import { registerSbomCommand } from './commands/sbom.js';
import { registerScanCommand } from './commands/scan.js';
import { registerServerCommand } from './commands/server.js';
import { registerVersionCommand } from './commands/version.js';
import { normalizeArgv } from './config.js';
import { EXIT } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command('assay')
    .description(
      'Container image assurance: read any image, catalog its packages, match known vulnerabilities, grade and report.',
    )
    .version(assayVersion(), '--version', 'print the version and exit')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Image sources (every command that reads an image takes one of these):
  registry:REF              pull from a registry (Distribution API v2), e.g. registry:alpine:3.20
  docker:REF | podman:REF   export from the local engine over its API socket (DOCKER_HOST)
  docker-archive:PATH       a \`docker save\` tarball
  oci-archive:PATH[:TAG]    a tar of an OCI image layout
  oci-dir:PATH[:TAG]        an OCI image layout directory
  dir:PATH                  a root filesystem directory
  NAME[:TAG|@DIGEST]        the local engine if it has the image, else the registry

Examples:
  assay image inspect registry:debian:12
  assay image files docker-archive:app.tar --layer 3
  assay sbom registry:alpine:3.20 --format cyclonedx-json -o alpine.cdx.json
  assay cache clean

Docs: docs/ in the source tree; issues and help: https://github.com/assay-dev/assay`,
    );
  program.exitOverride();
  // Root options only before the command name: `db search --version V` must reach the
  // subcommand instead of the root's own `--version`.
  program.enablePositionalOptions();
  registerVersionCommand(program);
  registerScanCommand(program);
  registerImageCommands(program);
  registerSbomCommand(program);
  registerDbCommands(program);
  registerCacheCommands(program);
  registerServerCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(normalizeArgv(argv));
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed the message (or the help/version text).
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    )
      return EXIT.ok;
    return EXIT.usageOrScanError;
  }
  if (err instanceof AssayError) {
    process.stderr.write(`assay: ${err.message}\n`);
    return EXIT.usageOrScanError;
  }
  process.stderr.write(`assay: internal error: ${errorMessage(err)}\n`);
  if (process.env.ASSAY_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT.usageOrScanError;
}
