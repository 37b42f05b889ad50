import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { Order } from '../digits.js';
import type { Pair } from './corpus.js';

/**
 * Test support: runs the ecosystems' own tools. A missing tool is an error naming the Debian
 * package to install — the differential tests must fail, never skip, without their reference.
 */

function toOrder(line: string): Order {
  const n = Number(line);
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function requireDpkg(): void {
  const r = spawnSync('dpkg', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      'dpkg --compare-versions is the reference for the deb scheme: install the Debian package "dpkg"',
    );
  }
}

// One shell loop per worker: dpkg is a process per comparison, so batching saves node's spawn cost.
const DPKG_LOOP = `tab=$(printf '\\t')
while IFS="$tab" read -r a b; do
  if dpkg --compare-versions "$a" lt "$b"; then echo -1
  elif dpkg --compare-versions "$a" eq "$b"; then echo 0
  else echo 1
  fi
done`;

function runLoop(pairs: readonly Pair[]): Promise<{ results: Order[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', DPKG_LOOP], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', () => resolve({ results: out.split('\n').filter(Boolean).map(toOrder), stderr: err }));
    child.stdin.end(pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
  });
}

/**
 * `dpkg --compare-versions` on every pair (no tabs or newlines inside versions; none may start
 * with `-`, which dpkg would read as an option). `stderr` carries dpkg's warnings and errors.
 */
export async function dpkgCompare(
  pairs: readonly Pair[],
  workers = 4,
): Promise<{ results: Order[]; stderr: string }> {
  requireDpkg();
  const size = Math.ceil(pairs.length / workers);
  const chunks = Array.from({ length: workers }, (_, i) => pairs.slice(i * size, (i + 1) * size));
  const parts = await Promise.all(chunks.map(runLoop));
  return { results: parts.flatMap((p) => p.results), stderr: parts.map((p) => p.stderr).join('') };
}

/** What dpkg says about one version: accepted silently, with a warning, or rejected. */
export function dpkgVerdict(version: string): 'valid' | 'warning' | 'error' {
  requireDpkg();
  // As the second operand, a version starting with "-" is not taken for an option.
  const r = spawnSync('dpkg', ['--compare-versions', '0', 'lt', version], { encoding: 'utf8' });
  if (r.stderr.includes('error')) return 'error';
  return r.stderr.includes('warning') ? 'warning' : 'valid';
}

const PYTHONS = ['/usr/bin/python3', 'python3'];

function findRpmPython(): string {
  for (const python of PYTHONS) {
    const r = spawnSync(python, ['-c', 'import rpm'], { encoding: 'utf8' });
    if (r.error === undefined && r.status === 0) return python;
  }
  throw new Error(
    'python3-rpm (rpm.labelCompare) is the reference for the rpm scheme: install the Debian package "python3-rpm"',
  );
}

// Reads JSON lines; "evr" splits each string with rpm.ver() (rpm's own parser) and compares the
// (epoch, version, release) tuples with rpm.labelCompare(); "raw" compares two bare version
// strings with labelCompare, which exercises rpmvercmp() on any input.
const RPM_SCRIPT = `
import json, sys, rpm
mode = sys.argv[1]
out = []
for line in sys.stdin:
    a, b = json.loads(line)
    if mode == "evr":
        x, y = rpm.ver(a), rpm.ver(b)
        out.append(rpm.labelCompare((x.e, x.v, x.r), (y.e, y.v, y.r)))
    elif mode == "split":
        x = rpm.ver(a)
        out.append(json.dumps([x.e, x.v, x.r]))
    else:
        out.append(rpm.labelCompare(("0", a, "1"), ("0", b, "1")))
print("\\n".join(str(o) for o in out))
`;

function runRpm(mode: 'evr' | 'raw' | 'split', pairs: readonly Pair[]): string[] {
  const python = findRpmPython();
  const input = pairs.map((p) => JSON.stringify(p)).join('\n');
  const r = spawnSync(python, ['-c', RPM_SCRIPT, mode], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python3-rpm failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

/** rpm.labelCompare() on two EVR strings split by rpm.ver(). */
export function rpmLabelCompare(pairs: readonly Pair[]): Order[] {
  return runRpm('evr', pairs).map(toOrder);
}

/** rpmvercmp() (through labelCompare) on two bare version strings. */
export function rpmVercmp(pairs: readonly Pair[]): Order[] {
  return runRpm('raw', pairs).map(toOrder);
}

/** rpm.ver()'s split of each EVR: [epoch or null, version, release or null]. */
export function rpmSplit(values: readonly string[]): Array<[string | null, string, string | null]> {
  return runRpm(
    'split',
    values.map((v) => [v, v] as const),
  ).map((l) => JSON.parse(l) as [string | null, string, string | null]);
}

/**
 * A runner for `describeIndexedDifferential` (differential.ts): `command args…` with the input on stdin,
 * failing the test (naming the Debian package to install) when the tool does not run.
 */
export function spawnReference(
  command: string,
  args: readonly string[],
  debianPackage: string,
): (input: string) => string {
  return (input) => {
    const run = spawnSync(command, args, { input, maxBuffer: 1 << 26 });
    if (run.error || run.status !== 0) {
      assert.fail(
        `the reference tool did not run (install the Debian package ${debianPackage}): ${run.error?.message ?? run.stderr}`,
      );
    }
    return run.stdout.toString();
  };
}
