/**
 * The content scanners' cost and results (issue 11 "Measured"):
 * - on the ~1 GB `big` image, `assay scan --scanners secret,threat` against `assay sbom` (the
 *   catalog alone) in the same run: the goal is total ≤ 1.5x, i.e. the content scanners add at
 *   most half the catalog's time; peak RSS of both; and Trivy `--scanners secret` on the same
 *   docker-archive;
 * - on an image with planted secrets and decoys (generated here, never stored), which planted
 *   files each tool reports and which decoys it reports (a decoy reported is a false positive).
 * Cold layer cache for every run (`--no-cache`), best of 3.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ociInput } from '../src/scan/testing/images.js';
import { plantedImage } from '../src/scan/testing/planted.js';
import { benchDb } from './lib/bench-db.js';
import { benchDockerArchive } from './lib/fixtures.js';
import { best, fmt, ratio, timeCommand } from './lib/measure.js';
import { trivyBinary } from './lib/trivy.js';

const ASSAY = `${process.execPath} ${new URL('../bin/assay', import.meta.url).pathname}`;

const trivySecret = (trivy: string, archive: string, cache: string, out: string) =>
  `${trivy} image --input ${archive} --scanners secret --format json --offline-scan --skip-db-update --cache-dir ${cache} -q -o ${out}`;

export default async function bench(): Promise<void> {
  const [trivy, db] = await Promise.all([trivyBinary(), benchDb()]);
  const work = await mkdtemp(join(tmpdir(), 'assay-content-bench-'));
  try {
    const archive = await benchDockerArchive('big');
    const input = `docker-archive:${archive}`;
    const sbom = best(3, () =>
      timeCommand(`${ASSAY} sbom ${input} --no-cache -o ${join(work, 'sbom.json')}`),
    );
    const scan = (scanners: string) =>
      best(3, () =>
        timeCommand(
          `${ASSAY} scan ${input} --no-cache --skip-db-update -p ${db} --scanners ${scanners} --exit-code 0 --format json -o ${join(work, 'scan.json')}`,
        ),
      );
    const content = scan('secret,threat');
    const all = scan('vuln,secret,threat,config');
    const t = best(3, () =>
      timeCommand(trivySecret(trivy, archive, join(work, 'tc'), join(work, 'trivy.json'))),
    );
    console.log('### big image (~1 GB, 6 layers), cold cache, best of 3');
    console.log(`- assay sbom (catalog only): ${fmt(sbom)}`);
    console.log(
      `- assay scan --scanners secret,threat: ${fmt(content)}; / sbom = ${ratio(content, sbom)} (goal ≤ 1.5)`,
    );
    console.log(
      `- assay scan --scanners vuln,secret,threat,config: ${fmt(all)}; / sbom = ${ratio(all, sbom)}`,
    );
    console.log(`- trivy --scanners secret: ${fmt(t)}; assay secret,threat / trivy = ${ratio(content, t)}`);
    const found = JSON.parse(await readFile(join(work, 'scan.json'), 'utf8')) as {
      images: {
        findings: { kind: string; id: string; location?: { path?: string } }[];
        summary: { content?: unknown };
      }[];
    };
    const image = found.images[0];
    console.log(`- assay findings on big: ${JSON.stringify(image?.summary.content)}`);
    for (const f of image?.findings.filter((x) => x.kind !== 'vulnerability').slice(0, 12) ?? [])
      console.log(`  - ${f.kind} ${f.id} ${f.location?.path ?? ''}`);
    console.log('');
    await plantedComparison(trivy, db, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const PLANTED = ['app/.env', 'app/config.json', 'app/stripe.txt', 'app/db.conf', 'app/id_rsa'];
const DECOYS = ['app/docs/example.env', 'app/template.env', 'usr/share/doc/libfoo-dev/examples/test-key.pem'];

async function plantedComparison(trivy: string, db: string, work: string): Promise<void> {
  const { spec } = plantedImage();
  const { input } = await ociInput(work, 'planted', spec);
  const layout = input.replace(/^oci-dir:/, '').replace(/:v1$/, '');
  const archive = join(work, 'planted.docker.tar');
  execFileSync('skopeo', ['copy', '-q', `oci:${layout}:v1`, `docker-archive:${archive}:bench/planted:v1`]);
  const ours = join(work, 'planted.json');
  timeCommand(
    `${ASSAY} scan docker-archive:${archive} --no-cache --skip-db-update -p ${db} --scanners secret -o ${ours}`,
  );
  const doc = JSON.parse(await readFile(ours, 'utf8')) as {
    images: { findings: { kind: string; location: { source: string; path?: string } }[] }[];
  };
  const assayPaths = new Set(
    (doc.images[0]?.findings ?? []).map((f) =>
      f.location.source === 'file' ? f.location.path : `${f.location.source}:${f.location.path}`,
    ),
  );
  const theirs = join(work, 'planted-trivy.json');
  timeCommand(trivySecret(trivy, archive, join(work, 'tp'), theirs));
  const trivyDoc = JSON.parse(await readFile(theirs, 'utf8')) as {
    Results?: { Target: string; Secrets?: unknown[] }[];
  };
  const trivyPaths = new Set(
    (trivyDoc.Results ?? [])
      .filter((r) => (r.Secrets ?? []).length > 0)
      .map((r) => r.Target.replace(/^\//, '')),
  );
  console.log('### planted secrets and decoys (secret scanner only)');
  console.log('| file | kind | assay | trivy |');
  console.log('| --- | --- | --- | --- |');
  for (const p of PLANTED)
    console.log(
      `| ${p} | planted | ${assayPaths.has(p) ? 'found' : 'MISSED'} | ${trivyPaths.has(p) ? 'found' : 'MISSED'} |`,
    );
  for (const p of ['env:GITHUB_TOKEN'])
    console.log(
      `| ${p} | planted (image config) | ${assayPaths.has(p) ? 'found' : 'MISSED'} | ${trivyPaths.has(p) ? 'found' : 'n/a'} |`,
    );
  for (const p of DECOYS)
    console.log(
      `| ${p} | decoy | ${assayPaths.has(p) ? 'REPORTED' : 'quiet'} | ${trivyPaths.has(p) ? 'REPORTED' : 'quiet'} |`,
    );
  const other = [...trivyPaths].filter((p) => !PLANTED.includes(p) && !DECOYS.includes(p));
  if (other.length > 0) console.log(`- trivy also reported: ${other.join(', ')}`);
}
