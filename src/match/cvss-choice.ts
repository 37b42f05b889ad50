/**
 * The finding's CVSS score (ARCHITECTURE "CVSS and severity"): the first available of NVD's
 * primary score, the CNA's, CISA ADP's, the advisory's own vector, the distro's; within one
 * source v3.1 before v3.0. Ties (two advisories of one group both carrying a vector) go to the
 * score stored under the finding's own id, then to the higher score, so the choice never
 * depends on DB row order.
 */
import type { Cvss } from '../model/result.js';
import { type CvssRecord, cvssSources } from '../vulndb/types.js';

const VERSION_RANK: Readonly<Record<string, number>> = { '3.1': 0, '3.0': 1, '4.0': 0 };

function better(a: CvssRecord, b: CvssRecord, id: string): boolean {
  const bySource = cvssSources.indexOf(a.source) - cvssSources.indexOf(b.source);
  if (bySource !== 0) return bySource < 0;
  const byVersion = (VERSION_RANK[a.version] ?? 9) - (VERSION_RANK[b.version] ?? 9);
  if (byVersion !== 0) return byVersion < 0;
  if ((a.vulnId === id) !== (b.vulnId === id)) return a.vulnId === id;
  if (a.baseScore !== b.baseScore) return a.baseScore > b.baseScore;
  return a.vector < b.vector;
}

function toCvss(r: CvssRecord): Cvss {
  const out: Cvss = { version: r.version, vector: r.vector, score: r.baseScore, source: r.source };
  if (r.sourceName) out.sourceName = r.sourceName;
  return out;
}

export function chooseCvss(
  records: readonly CvssRecord[],
  id: string,
  versions: readonly string[],
): Cvss | undefined {
  let best: CvssRecord | undefined;
  for (const r of records) {
    if (!versions.includes(r.version) || !Number.isFinite(r.baseScore)) continue;
    if (best === undefined || better(r, best, id)) best = r;
  }
  return best && toCvss(best);
}

export const chooseCvssV3 = (records: readonly CvssRecord[], id: string) =>
  chooseCvss(records, id, ['3.0', '3.1']);
export const chooseCvssV4 = (records: readonly CvssRecord[], id: string) => chooseCvss(records, id, ['4.0']);
