/**
 * Test support (no tests here): advisory records in the shapes the importers write (Debian
 * tracker: one advisory per CVE keyed by source package; Alpine secdb; OSV for language
 * ecosystems), as sink calls that fill a `MemoryDb` or, through `scriptedImporter`, a real
 * SQLite DB directory.
 */
import { buildDb } from '../../vulndb/build.js';
import { scoreCvss } from '../../vulndb/cvss.js';
import { MemoryDb } from '../../vulndb/testing/memory-db.js';
import { replay, type SinkCall, scriptedImporter } from '../../vulndb/testing/scripted-importer.js';
import type { AdvisoryRecord, AffectedRecord } from '../../vulndb/types.js';

export const VECTORS = {
  critical: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  high: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  medium: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
  low: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N',
} as const;

export function nvdScore(cve: string, vector: string): SinkCall {
  return {
    cvss: [
      {
        vulnId: cve,
        source: 'nvd',
        sourceName: 'nvd@nist.gov',
        version: '3.1',
        vector,
        baseScore: scoreCvss(vector)!.baseScore,
      },
    ],
  };
}

function affected(ecosystem: string, name: string, fixed: string | undefined): AffectedRecord {
  return {
    ecosystem,
    package: name,
    status: fixed ? 'fixed' : 'affected',
    ranges: [{ type: 'ECOSYSTEM', events: fixed ? [{ introduced: '0' }, { fixed }] : [{ introduced: '0' }] }],
    versions: [],
    ...(fixed ? { fixed } : {}),
  };
}

/** A Debian tracker entry: the CVE for one source package in one release. */
export function debianCve(cve: string, source: string, fixed: string | undefined, release = '12'): SinkCall {
  const record: AdvisoryRecord = {
    feed: 'debian-tracker',
    id: cve,
    aliases: [],
    references: [{ url: `https://security-tracker.debian.org/tracker/${cve}` }],
    cvss: [],
    summary: `${source} issue`,
    affected: [affected(`Debian:${release}`, source, fixed)],
  };
  return { advisory: record };
}

export function alpineCve(cve: string, origin: string, fixed: string, branch = 'v3.19'): SinkCall {
  return {
    advisory: {
      feed: 'alpine-secdb',
      id: cve,
      aliases: [],
      references: [],
      cvss: [],
      affected: [affected(`Alpine:${branch}`, origin, fixed)],
    },
  };
}

/** An OSV record (GHSA) for a language ecosystem, with its CVE alias and own vector. */
export function osvAdvisory(
  id: string,
  cve: string,
  ecosystem: string,
  name: string,
  fixed: string,
  vector: string,
): SinkCall {
  return {
    advisory: {
      feed: 'osv',
      id,
      aliases: [cve],
      references: [],
      cvss: [
        {
          vulnId: id,
          source: 'advisory',
          sourceName: 'GHSA',
          version: '3.1',
          vector,
          baseScore: scoreCvss(vector)!.baseScore,
        },
      ],
      affected: [
        {
          ...affected(ecosystem, name, fixed),
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        },
      ],
    },
  };
}

export function memoryDb(calls: readonly SinkCall[]): MemoryDb {
  const db = new MemoryDb();
  replay(calls, db);
  db.endImport();
  return db;
}

/** A real DB directory (`vulnerabilities.db`) holding `calls`, as `db import` would build it. */
export async function writeDbDir(dir: string, calls: readonly SinkCall[]): Promise<void> {
  await buildDb(dir, async (b) => {
    await b.importWith(scriptedImporter(calls), dir, { label: 'test advisories' });
  });
}

const FEEDS = ['debian-tracker.json', 'alpine-v3.19-main.json', 'GHSA-35jh-r3h4-6jhm.json', 'nvd-page.json'];

/**
 * A real DB directory imported, with format detection, from the real-format feed excerpts in
 * `testdata/feeds/` (Debian tracker JSON, Alpine secdb, an OSV/GHSA record, an NVD API page):
 * the same advisories as `debianAdvisories`/`alpineAdvisories` plus lodash.
 */
export async function importFeedsDbDir(dir: string): Promise<void> {
  await buildDb(dir, async (b) => {
    for (const name of FEEDS)
      await b.importFile(new URL(`../testdata/feeds/${name}`, import.meta.url).pathname);
  });
}
