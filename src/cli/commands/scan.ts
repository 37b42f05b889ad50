import type { Command } from 'commander';

/** `assay scan`: stub, replaced by the scan command. */
export function registerScanCommand(_program: Command): void {}
