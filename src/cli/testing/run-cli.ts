/**
 * Runs the real `assay` entry point in a child process (through tsx, so no build is needed) with
 * a controlled environment: commands set `process.exitCode` and read `HOME`/`ASSAY_*`, so each
 * run needs a process of its own. Output is captured whole; `NO_COLOR` is on unless overridden.
 */
import { spawn } from 'node:child_process';

const BIN = new URL('../bin.ts', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` is the child's whole environment besides PATH and NO_COLOR (pass HOME explicitly). */
export function runAssay(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
