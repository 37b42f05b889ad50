import type { Command } from 'commander';

/** `assay db update`: stub, replaced by the updater. */
export function registerDbUpdateCommand(_db: Command): void {}
