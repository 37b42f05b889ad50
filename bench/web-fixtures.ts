/**
 * The web UI bench's data: the manager bench's bulk-loaded fleet (seeded once, reusable across
 * runs) and one large image with 2,000 findings over 500 packages in five layers, built on the
 * manager tests' `imageResult` (which has no packages and two layers, so both are filled in here
 * to match the findings' package ids and layer diff ids) and posted through the API.
 */
import {
  type ImageResult,
  type ResultLayer,
  type VulnerabilityFinding,
  vulnerabilityFindings,
} from '../src/model/result.js';
import { createToken } from '../src/server/services/tokens.js';
import { migrate } from '../src/server/store/migrate.js';
import { openPg } from '../src/server/store/pg-driver.js';
import { createStore } from '../src/server/store/store.js';
import { createTestDatabase } from '../src/server/testing/backends.js';
import { digest, type FindingSpec, imageResult } from '../src/server/testing/fixtures.js';
import { seedFleet } from './lib/manager-fixtures.js';

const LAYERS = 5;

/** `finding()` names layer i's diff id this way; the layers below must agree. */
const diffId = (i: number) => `sha256:${String(i).repeat(64).slice(0, 64)}`;

export function bigImage(findings = 2000, packages = 500, repository = 'bench/big'): ImageResult {
  const layerOf = (p: number) => p % LAYERS;
  const specs: FindingSpec[] = Array.from({ length: findings }, (_, j) => {
    const p = j % packages;
    return {
      id: `CVE-2025-${String(10_000 + j)}`,
      cvss: ((j * 37) % 101) / 10,
      pkg: `lib${p}`,
      version: `1.${p % 7}.${p % 13}-1`,
      epss: ((j * 17) % 100) / 100,
      kev: j % 150 === 0,
      layer: layerOf(p),
      ...(j % 3 === 0 ? { fixed: `1.${p % 7}.${(p % 13) + 1}-1` } : {}),
    };
  });
  const r = imageResult({
    digest: digest('web-bench-2000'),
    repository,
    tags: ['2000-findings'],
    findings: specs,
  });
  const layers: ResultLayer[] = Array.from({ length: LAYERS }, (_, i) => ({
    index: i,
    digest: `sha256:${String.fromCharCode(97 + i).repeat(64)}`,
    diffId: diffId(i),
    createdBy: i === 0 ? 'ADD rootfs.tar.xz /' : `RUN apt-get install -y lib${i}-stack # layer ${i}`,
    size: 5_000_000 * (LAYERS - i),
    base: i === 0,
  }));
  const seen = new Map<string, VulnerabilityFinding['package']>();
  for (const f of vulnerabilityFindings(r.findings)) seen.set(f.package.id, f.package);
  return {
    ...r,
    layers,
    packages: [...seen.values()].map((p) => ({
      id: p.id,
      type: p.type,
      name: p.name,
      version: p.version,
      purl: p.purl,
      licenses: ['GPL-2.0-or-later'],
      locations: [
        {
          layerDiffId: p.layerDiffId,
          layerIndex: p.layerIndex,
          path: '/var/lib/dpkg/status',
          evidence: 'primary',
        },
      ],
      introducedIn: { layerIndex: p.layerIndex, layerDiffId: p.layerDiffId },
    })),
  };
}

/** A few small siblings in the same repository, so the details page's digest selector has choices. */
export function siblings(repository = 'bench/big', n = 3): ImageResult[] {
  return Array.from({ length: n }, (_, i) =>
    imageResult({
      digest: digest(`web-bench-sibling-${i}`),
      repository,
      tags: [`sibling-${i}`],
      findings: [{ id: `CVE-2025-${i + 1}`, cvss: 5 + i, pkg: 'openssl' }],
    }),
  );
}

/**
 * The database: a fresh one (dropped afterwards unless ASSAY_BENCH_WEB_KEEP is set, which prints
 * its URL), or ASSAY_BENCH_WEB_DATABASE, kept, so a re-run skips the bulk load.
 */
export async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  const given = process.env.ASSAY_BENCH_WEB_DATABASE;
  if (given) return { url: given, drop: async () => {} };
  const db = await createTestDatabase();
  if (!process.env.ASSAY_BENCH_WEB_KEEP) return db;
  console.log(`- keeping the database: ASSAY_BENCH_WEB_DATABASE=${db.url} reuses it`);
  return { url: db.url, drop: async () => {} };
}

/** Migrates and bulk-loads the fleet unless the database already holds one; an admin token. */
export async function seed(
  url: string,
  images: number,
  perImage: number,
): Promise<{ token: string; images: number; loadMs?: number }> {
  const sql = openPg(url, 4);
  try {
    await migrate(sql);
    const store = createStore(sql, 'postgres');
    const count = async () =>
      Number((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM images')).rows[0]?.n);
    let loadMs: number | undefined;
    if ((await count()) === 0) {
      const t0 = performance.now();
      await seedFleet(store, sql, images, perImage);
      loadMs = performance.now() - t0;
    } else console.log(`- reusing the database's ${(await count()).toLocaleString('en')} images`);
    const token = (await createToken(store, 'admin', 'web-bench')).token;
    return { token, images: await count(), ...(loadMs === undefined ? {} : { loadMs }) };
  } finally {
    await sql.close();
  }
}

/** The 2,000-finding image and its siblings, through the API as `assay scan` would post them. */
export async function submit(base: string, token: string, big: ImageResult): Promise<void> {
  for (const doc of [big, ...siblings()]) {
    const r = await fetch(`${base}/api/v1/scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    if (!r.ok) throw new Error(`POST /api/v1/scans ${doc.image.id}: ${r.status} ${await r.text()}`);
  }
}
