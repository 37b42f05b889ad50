/**
 * YARA as a threat engine, through Debian's `yara`/`yarac` 4.2 command-line tools: the rules are
 * compiled once (`yarac`, so a broken rule fails at open, naming its file and line), files are
 * written to a private directory under the spool dir and scanned with `yara -C --scan-list`.
 *
 * Why the CLI and not the YARA-X npm package (@virustotal/yara-x 1.20, WebAssembly): measured here,
 * each `scan()` of the WASM build costs ~25 ms whatever the size (1 byte or 1 MiB) and blocks the
 * event loop, while one `yara` process scans a list of 1000 small files in ~0.2 s and needs no new
 * dependency. Files queued while a process runs go into the next one (up to BATCH_FILES /
 * BATCH_BYTES), so concurrent callers share process start-ups; a lone caller pays one (~15 ms).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AssayError, errorMessage } from '../../model/errors.js';
import type { ThreatEngine } from '../types.js';
import { parseCompileError } from './yara-output.js';
import { runTool, sha256Key, type YaraTools, yaraTools } from './yara-process.js';
import { YaraRunner } from './yara-runner.js';

export interface YaraOptions {
  /** Where the compiled rules and the files being scanned are written (default: the OS temp dir). */
  spoolDir?: string;
  /** Largest file scanned (default 25 MiB). */
  maxFileBytes?: number;
  /** Per file (yara's `-a`, rounded up to whole seconds; default 30 s). */
  timeoutMs?: number;
  /** Concurrent `yara` processes (default: CPUs, at most 4). */
  concurrency?: number;
}

const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const COMPILE_TIMEOUT_MS = 120_000;
const RULE_FILE = /\.(yar|yara)$/i;

/** Compiles every `*.yar`/`*.yara` file directly in `rulesDir` into one rule set. */
export async function openYara(rulesDir: string, opts: YaraOptions = {}): Promise<ThreatEngine> {
  const files = await ruleFiles(rulesDir);
  const tools = await yaraTools(opts.spoolDir);
  try {
    await compile(tools, files);
    const runner = new YaraRunner(tools, {
      label: `yara (rules in ${rulesDir})`,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      concurrency: Math.max(1, opts.concurrency ?? Math.min(4, availableParallelism())),
    });
    const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    return {
      id: 'yara',
      cacheKey: sha256Key(files.map((f) => [f.name, f.text])),
      wants: (_path, size) => size > 0 && size <= maxFileBytes,
      scan: (_path, bytes, signal) => runner.scan(bytes, signal),
      close: () => runner.close(),
    };
  } catch (err) {
    await tools.remove();
    throw err;
  }
}

interface RuleFile {
  name: string;
  path: string;
  text: string;
}

async function ruleFiles(dir: string): Promise<RuleFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => RULE_FILE.test(n)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : String(code);
    throw new AssayError('invalid-input', `YARA rules directory ${dir} ${why}`, { cause: err });
  }
  const files: RuleFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).isFile()) files.push({ name, path, text: await readFile(path, 'utf8') });
    } catch (err) {
      throw new AssayError('invalid-input', `cannot read YARA rule file ${path}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
  if (files.length === 0)
    throw new AssayError('invalid-input', `YARA rules directory ${dir} has no *.yar or *.yara files`);
  return files;
}

/**
 * `default:` before each path: yarac reads `NAMESPACE:FILE`, so a path holding a colon would
 * otherwise be split. One namespace: a rule name defined twice is a compile error, which keeps
 * `yara:<rule>` ids unique.
 */
async function compile(tools: YaraTools, files: RuleFile[]): Promise<void> {
  const args = ['-w', ...files.map((f) => `default:${f.path}`), tools.compiled];
  const r = await runTool(tools.yarac, args, COMPILE_TIMEOUT_MS);
  if (r.code === 0) return;
  const e = parseCompileError(r.stderr);
  const where = e.file ? `${e.file}${e.line ? ` line ${e.line}` : ' at end of file'}: ` : '';
  throw new AssayError('invalid-input', `YARA rules do not compile: ${where}${e.message}`);
}
