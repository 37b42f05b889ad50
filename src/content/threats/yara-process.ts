/**
 * Running the `yara`/`yarac` executables: a private work directory under the spool dir, bounded
 * output capture and a deadline on every process.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssayError, ioError } from '../../model/errors.js';

const INSTALL = 'install yara (Debian/Ubuntu: apt-get install yara)';
/** Output kept per stream; a match line is short, so this is thousands of matches. */
const MAX_OUTPUT = 16 * 1024 * 1024;

export interface YaraTools {
  yara: string;
  yarac: string;
  /** The private work directory; everything this engine writes is inside it. */
  dir: string;
  /** The compiled rule set. */
  compiled: string;
  remove(): Promise<void>;
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Output past MAX_OUTPUT was dropped: the result is incomplete. */
  truncated: boolean;
}

export async function yaraTools(spoolDir: string | undefined): Promise<YaraTools> {
  const tools = { yara: 'yara', yarac: 'yarac' };
  for (const tool of [tools.yara, tools.yarac]) {
    const r = await runTool(tool, ['--version'], 10_000);
    if (r.code !== 0)
      throw new AssayError('engine', `${tool} --version failed: ${r.stderr.trim()}; ${INSTALL}`);
  }
  const parent = spoolDir ?? tmpdir();
  let dir: string;
  try {
    await mkdir(parent, { recursive: true });
    dir = await mkdtemp(join(parent, 'assay-yara-'));
  } catch (err) {
    throw ioError(`cannot create a YARA work directory in ${parent}`, err);
  }
  return {
    ...tools,
    dir,
    compiled: join(dir, 'rules.yarc'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs `cmd`; a missing executable is an 'engine' error saying what to install. */
export function runTool(
  cmd: string,
  args: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out = capture();
    const err = capture();
    child.stdout.on('data', out.add);
    child.stderr.on('data', err.add);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') reject(new AssayError('engine', `${cmd} not found: ${INSTALL}`, { cause: e }));
      else if (e.name === 'AbortError') reject(new AssayError('aborted', `${cmd}: aborted`, { cause: e }));
      else reject(new AssayError('engine', `${cmd}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        truncated: out.full() || err.full(),
      });
    });
  });
}

function capture(): { add: (d: Buffer) => void; text: () => string; full: () => boolean } {
  const parts: Buffer[] = [];
  let size = 0;
  return {
    add: (d) => {
      if (size >= MAX_OUTPUT) return;
      parts.push(d);
      size += d.length;
    },
    text: () => Buffer.concat(parts).toString('utf8'),
    full: () => size >= MAX_OUTPUT,
  };
}

/** sha256 over `name\0content\0` pairs in the given (sorted) order. */
export function sha256Key(pairs: Array<[string, string]>): string {
  const h = createHash('sha256');
  for (const [name, text] of pairs) h.update(name).update('\0').update(text).update('\0');
  return h.digest('hex');
}
