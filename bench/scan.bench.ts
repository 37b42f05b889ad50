/**
 * `assay scan` (issue 6 "Measured") on the benchmark images as docker-archives, against the
 * full DB of `lib/bench-db.ts`, with references measured in the same run:
 * - cold scan (`--no-cache`) vs `assay sbom --no-cache` alone: the matching overhead;
 * - vs Trivy's SBOM of the same archive (Trivy cannot match offline without its DB download,
 *   so its catalog time is the comparable figure; same command line as sbom.bench.ts);
 * - `assay scan sbom:` of the CycloneDX SBOM that `assay sbom` wrote (matching without image
 *   reading; its findings must equal the image scan's);
 * - re-scan with a warm layer cache (goal < 0.5 s), with its in-process share (`durationMs`),
 *   and `node -e 0` and `assay --version` as the start-up floors;
 * - peak RSS of each (GNU time), findings, grade, and a check of the Debian findings against
 *   what the synthetic tracker says each source package must yield.
 * Nothing asserts timings. ASSAY_BENCH_RUNS (default 3) sets the best-of count of cold runs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageResult, ScanDocument, VulnerabilityFinding } from '../src/model/result.js';
import { vulnerabilityFindings } from '../src/model/result.js';
import { benchArchive } from './lib/archives.js';
import { assayCommand } from './lib/assay-cli.js';
import { benchDb, benchDbPlan } from './lib/bench-db.js';
import { type CpuTimed, timeCommandCpu } from './lib/cpu-time.js';
import { ratio } from './lib/measure.js';
import { type EntryKind, VULNERABLE, versionAbove } from './lib/synthetic-tracker.js';
import { trivyBinary } from './lib/trivy.js';

const RUNS = Number(process.env.ASSAY_BENCH_RUNS ?? 3) || 3;
const WARM_RUNS = 3;

/** The status a correct matcher gives each vulnerable kind of tracker entry. */
const STATUS: Partial<Record<EntryKind, VulnerabilityFinding['status']>> = {
  'fixed-above': 'fixed',
  open: 'affected',
  unimportant: 'affected',
  postponed: 'affected',
  'no-dsa-ignored': 'will_not_fix',
};

interface Figures {
  image: string;
  sbom: CpuTimed;
  scan: CpuTimed;
  trivy: CpuTimed;
  warm: CpuTimed;
  /** The warm run's own `durationMs` (reading the cached layers + matching), without process start-up. */
  warmInProcess: number;
  /** `assay scan sbom:` of the CycloneDX SBOM written by the timed `assay sbom` (matching alone). */
  fromSbom: CpuTimed;
  result: ImageResult;
}

async function readResult(file: string): Promise<ImageResult> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as ScanDocument;
  const r = doc.images[0];
  if (!r) throw new Error(`${file}: no image result`);
  return r;
}

function trivyCommand(trivy: string, archive: string, work: string): string {
  return `${trivy} image --input ${archive} --format cyclonedx --offline-scan --skip-db-update --skip-files '**/*.jar' --skip-files '**/*.war' --cache-dir ${join(work, 'trivy-cache')} -q -o ${join(work, 'trivy.cdx.json')}`;
}

async function measure(which: 'debian' | 'big' | 'apps', db: string, trivy: string): Promise<Figures> {
  const archive = await benchArchive(which);
  const assay = assayCommand();
  const work = await mkdtemp(join(tmpdir(), 'assay-scan-bench-'));
  try {
    const scanCmd = (input: string, out: string, cache: string) =>
      `${assay} scan ${input} -p ${db} ${cache} --exit-code 0 --format json -o ${join(work, out)}`;
    const image = `docker-archive:${archive}`;
    const cdx = join(work, 'sbom.cdx.json');
    // Interleaved, best of RUNS each: the machine's load changes by the minute, and both sides should see the same.
    let sbom: CpuTimed | undefined;
    let scan: CpuTimed | undefined;
    for (let i = 0; i < RUNS; i++) {
      sbom = fastest(
        sbom,
        timeCommandCpu(`${assay} sbom ${image} --no-cache --format cyclonedx-json -o ${cdx}`),
      );
      scan = fastest(scan, timeCommandCpu(scanCmd(image, 'cold.json', '--no-cache')));
    }
    const t = timeCommandCpu(trivyCommand(trivy, archive, work));
    let fromSbom: CpuTimed | undefined;
    for (let i = 0; i < RUNS; i++)
      fromSbom = fastest(fromSbom, timeCommandCpu(scanCmd(`sbom:${cdx}`, 'from-sbom.json', '--no-cache')));
    const cache = `--cache-dir ${join(work, 'layer-cache')}`;
    timeCommandCpu(scanCmd(image, 'fill.json', cache));
    let warm: CpuTimed | undefined;
    let warmInProcess = Number.POSITIVE_INFINITY;
    for (let i = 0; i < WARM_RUNS; i++) {
      warm = fastest(warm, timeCommandCpu(scanCmd(image, 'warm.json', cache)));
      warmInProcess = Math.min(warmInProcess, (await readResult(join(work, 'warm.json'))).durationMs / 1000);
    }
    const result = await readResult(join(work, 'cold.json'));
    const differs = compareFindings(result, await readResult(join(work, 'warm.json')));
    if (differs) console.log(`- ${which}: WARM SCAN DIFFERS FROM COLD: ${differs}`);
    const viaSbom = compareFindings(result, await readResult(join(work, 'from-sbom.json')));
    if (viaSbom)
      console.log(`- ${which}: SCAN OF ITS CYCLONEDX SBOM DIFFERS FROM THE IMAGE SCAN: ${viaSbom}`);
    return {
      image: which,
      sbom: sbom!,
      scan: scan!,
      trivy: t,
      warm: warm!,
      warmInProcess,
      fromSbom: fromSbom!,
      result,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The least wall time, CPU time and peak RSS seen over the runs (each minimum on its own). */
function fastest(a: CpuTimed | undefined, b: CpuTimed): CpuTimed {
  if (!a) return b;
  return {
    seconds: Math.min(a.seconds, b.seconds),
    cpuSeconds: Math.min(a.cpuSeconds, b.cpuSeconds),
    rssMiB: Math.min(a.rssMiB ?? Number.POSITIVE_INFINITY, b.rssMiB ?? Number.POSITIVE_INFINITY),
  };
}

const findingKey = (f: VulnerabilityFinding) => `${f.package.name}@${f.package.version} ${f.id} ${f.status}`;

function compareFindings(a: ImageResult, b: ImageResult): string | undefined {
  const ka = new Set(vulnerabilityFindings(a.findings).map(findingKey));
  const kb = new Set(vulnerabilityFindings(b.findings).map(findingKey));
  const onlyA = [...ka].filter((k) => !kb.has(k));
  const onlyB = [...kb].filter((k) => !ka.has(k));
  if (onlyA.length === 0 && onlyB.length === 0) return undefined;
  return `${a.findings.length} vs ${b.findings.length} findings (packages ${a.packages.length} vs ${b.packages.length}); only first (${onlyA.length}): ${onlyA.slice(0, 5).join(', ')}; only second (${onlyB.length}): ${onlyB.slice(0, 5).join(', ')}`;
}

/**
 * Debian findings against the synthetic tracker: every binary package of a source with a
 * vulnerable entry must get that CVE, with the status the entry implies and, for an entry fixed
 * above the installed version, that fixed version; nothing else.
 */
function checkDebian(r: ImageResult, plan: Map<string, Map<string, EntryKind>>): string[] {
  const expected = new Map<string, { status: VulnerabilityFinding['status']; fixed?: string }>();
  for (const p of r.packages) {
    if (p.type !== 'deb') continue;
    for (const [id, kind] of plan.get(p.source?.name ?? p.name) ?? [])
      if (VULNERABLE.has(kind))
        expected.set(`${p.name}@${p.version} ${id}`, {
          status: STATUS[kind]!,
          ...(kind === 'fixed-above' ? { fixed: versionAbove(p.source?.version || p.version) } : {}),
        });
  }
  const found = new Map<string, VulnerabilityFinding>();
  for (const f of vulnerabilityFindings(r.findings))
    if (f.package.type === 'deb') found.set(`${f.package.name}@${f.package.version} ${f.id}`, f);
  const missing = [...expected.keys()].filter((k) => !found.has(k));
  const extra = [...found.keys()].filter((k) => !expected.has(k));
  const wrong: string[] = [];
  for (const [k, e] of expected) {
    const f = found.get(k);
    if (f && (f.status !== e.status || f.fixedVersion !== e.fixed))
      wrong.push(`${k} is ${f.status} ${f.fixedVersion ?? '-'}, expected ${e.status} ${e.fixed ?? '-'}`);
  }
  const out = [
    `deb findings ${found.size}, expected ${expected.size}: missing ${missing.length}, unexpected ${extra.length}, wrong status or fixed version ${wrong.length}`,
  ];
  if (missing.length) out.push(`missing: ${missing.slice(0, 8).join('; ')}`);
  if (extra.length) out.push(`unexpected: ${extra.slice(0, 8).join('; ')}`);
  if (wrong.length) out.push(`wrong: ${wrong.slice(0, 8).join('; ')}`);
  return out;
}

function summary(r: ImageResult): string {
  const s = r.summary;
  const bands = Object.entries(s.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const byType = new Map<string, number>();
  for (const f of vulnerabilityFindings(r.findings))
    byType.set(f.package.type, (byType.get(f.package.type) ?? 0) + 1);
  const types = [...byType].map(([t, n]) => `${t} ${n}`).join(', ');
  return `${r.status}, ${r.result} (max CVSS ${r.maxCvssV3 ?? 'N/A'}), ${s.findings} findings (${bands}; by type: ${types || 'none'}), fixable ${s.fixable}, KEV ${s.kev}, ${r.packages.length} packages, in-process ${(r.durationMs / 1000).toFixed(2)} s`;
}

function printTable(rows: Figures[], node: CpuTimed, floor: CpuTimed): void {
  console.log(
    `References: \`node -e 0\` ${both(node)}; \`assay --version\` (CLI start-up) ${both(floor)}, peak RSS ${mib(floor)}`,
  );
  console.log(
    'Cells: wall s / CPU s (user + system); the machine is shared, so CPU time is the steadier figure.',
  );
  console.log('');
  console.log(
    '| image | sbom cold | scan cold | scan/sbom wall, CPU | matching +CPU s | trivy sbom | scan/trivy wall | scan sbom: | warm re-scan | warm in-process (wall) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const f of rows)
    console.log(
      `| ${f.image} | ${both(f.sbom)} | ${both(f.scan)} | ${ratio(f.scan, f.sbom)}, ${cpuRatio(f.scan, f.sbom)} | ${(f.scan.cpuSeconds - f.sbom.cpuSeconds).toFixed(2)} | ${both(f.trivy)} | ${ratio(f.scan, f.trivy)} | ${both(f.fromSbom)} | ${both(f.warm)}${f.warm.seconds < 0.5 ? '' : ' (goal < 0.5 s)'} | ${f.warmInProcess.toFixed(2)} s |`,
    );
  console.log('');
  console.log('| image | peak RSS sbom | scan cold | scan sbom: | warm re-scan | trivy sbom |');
  console.log('|---|---|---|---|---|---|');
  for (const f of rows)
    console.log(
      `| ${f.image} | ${mib(f.sbom)} | ${mib(f.scan)} | ${mib(f.fromSbom)} | ${mib(f.warm)} | ${mib(f.trivy)} |`,
    );
  console.log('');
}

const both = (t: CpuTimed) => `${t.seconds.toFixed(2)} / ${t.cpuSeconds.toFixed(2)}`;
const mib = (t: CpuTimed) => `${(t.rssMiB ?? Number.NaN).toFixed(0)} MiB`;
const cpuRatio = (a: CpuTimed, b: CpuTimed) => `${(a.cpuSeconds / b.cpuSeconds).toFixed(2)}x`;

export default async function bench(): Promise<void> {
  const db = await benchDb();
  const plan = benchDbPlan();
  const trivy = await trivyBinary();
  let node: CpuTimed | undefined;
  let floor: CpuTimed | undefined;
  for (let i = 0; i < 3; i++) {
    node = fastest(node, timeCommandCpu(`${process.execPath} -e 0`));
    floor = fastest(floor, timeCommandCpu(`${assayCommand()} --version`));
  }
  const rows: Figures[] = [];
  for (const which of ['debian', 'big', 'apps'] as const) {
    const f = await measure(which, db, trivy);
    rows.push(f);
    console.log(`### ${which}`);
    console.log(`- ${summary(f.result)}`);
    for (const line of checkDebian(f.result, plan)) console.log(`- ${line}`);
    const issues = f.result.issues;
    if (issues.length)
      console.log(
        `- issues (${issues.length}): ${issues
          .slice(0, 3)
          .map((i) => `${i.code}: ${i.message}`)
          .join(' | ')}`,
      );
    console.log('');
  }
  printTable(rows, node!, floor!);
}
