import type { Command } from 'commander';
import { registerDbUpdateCommand } from './db-update.js';

/** `assay db …`: build, update, import, inspect and search the local vulnerability DB. */
export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('build, update, import and query the local vulnerability database');
  registerDbUpdateCommand(db);
}
