/**
 * `assay sbom` against Trivy's SBOM on the same docker-archive, in the same run (issue 4
 * "Measured"): wall time and peak RSS of each (cold caches), and packages found per purl type
 * by each, with the purls only one of them found. Trivy reads jars only with its Java DB,
 * which it must download from ghcr.io on a first run (unreachable here), so jars are skipped for
 * Trivy and Java is not compared.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDockerArchive } from './lib/fixtures.js';
import { fmt, ratio, timeCommand } from './lib/measure.js';
import { trivyBinary } from './lib/trivy.js';

const ASSAY = `${process.execPath} ${new URL('../bin/assay', import.meta.url).pathname}`;

function purlType(purl: string): string {
  return /^pkg:([^/]+)\//.exec(purl)?.[1] ?? '?';
}

/**
 * Purls without qualifiers, decoded, so both tools' spellings compare (`+` vs `%2B`); a deb
 * epoch that Trivy puts in an `epoch=` qualifier moves into the version, where Assay keeps it
 * (the version string dpkg compares).
 */
function key(purl: string): string {
  const [base = purl, query = ''] = purl.split('?');
  const epoch = new URLSearchParams(query).get('epoch');
  const decoded = decodeURIComponent(base);
  if (!epoch || !decoded.startsWith('pkg:deb/')) return decoded;
  const at = decoded.lastIndexOf('@');
  return `${decoded.slice(0, at + 1)}${epoch}:${decoded.slice(at + 1)}`;
}

async function purlsOf(file: string, kind: 'assay' | 'cyclonedx'): Promise<Set<string>> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as {
    packages?: { purl: string }[];
    components?: { purl?: string }[];
  };
  const list =
    kind === 'assay'
      ? (doc.packages ?? []).map((p) => p.purl)
      : (doc.components ?? []).flatMap((c) => (c.purl ? [c.purl] : []));
  return new Set(list.map(key));
}

function byType(set: Set<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of set) m.set(purlType(p), (m.get(purlType(p)) ?? 0) + 1);
  return m;
}

export default async function bench(): Promise<void> {
  const trivy = await trivyBinary();
  for (const which of ['debian', 'big', 'apps'] as const) {
    const archive = await benchDockerArchive(which);
    const work = await mkdtemp(join(tmpdir(), 'assay-sbom-bench-'));
    try {
      const ours = join(work, 'assay.json');
      const theirs = join(work, 'trivy.cdx.json');
      const a = timeCommand(`${ASSAY} sbom docker-archive:${archive} --no-cache -o ${ours}`);
      const t = timeCommand(
        `${trivy} image --input ${archive} --format cyclonedx --offline-scan --skip-db-update --skip-files '**/*.jar' --skip-files '**/*.war' --cache-dir ${join(work, 'trivy-cache')} -q -o ${theirs}`,
      );
      const mine = await purlsOf(ours, 'assay');
      const other = await purlsOf(theirs, 'cyclonedx');
      console.log(`### ${which}`);
      console.log(`- assay sbom: ${fmt(a)}; trivy: ${fmt(t)}; assay/trivy = ${ratio(a, t)}`);
      const types = new Set([...byType(mine).keys(), ...byType(other).keys()]);
      for (const ty of [...types].sort())
        console.log(`- ${ty}: assay ${byType(mine).get(ty) ?? 0}, trivy ${byType(other).get(ty) ?? 0}`);
      const onlyTrivy = [...other].filter((p) => !mine.has(p));
      const onlyAssay = [...mine].filter((p) => !other.has(p));
      console.log(`- only trivy (${onlyTrivy.length}): ${onlyTrivy.slice(0, 15).join(' ')}`);
      console.log(`- only assay (${onlyAssay.length}): ${onlyAssay.slice(0, 15).join(' ')}`);
      console.log('');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
