/**
 * One package's DB entries → candidates: each entry with its advisory's ids, whether it
 * applies to the installed version, and whether it is a vendor's "not affected" statement.
 */
import type { Issue } from '../model/issue.js';
import { isAffected, type SchemeId } from '../versioning/index.js';
import { InvalidVersionError } from '../versioning/scheme.js';
import type { AdvisoryInfo, AffectedEntry, VulnDbReader } from '../vulndb/reader.js';

export interface Candidate {
  entry: AffectedEntry;
  advisory: AdvisoryInfo | undefined;
  /** The advisory id followed by its aliases. */
  ids: string[];
  /** The entry says the installed version is affected. */
  affects: boolean;
  /** The vendor checked and says this package is not affected (suppresses other feeds). */
  notAffected: boolean;
}

const CVE = /^CVE-\d{4}-\d+$/i;
export const isCve = (id: string): boolean => CVE.test(id);

/** Advisory look-ups repeat across packages (one DSA names many binaries): cached per image. */
export class AdvisoryCache {
  private readonly map = new Map<string, AdvisoryInfo | undefined>();
  constructor(private readonly db: VulnDbReader) {}

  get(feed: string, id: string): AdvisoryInfo | undefined {
    const key = `${feed}\u0000${id}`;
    if (!this.map.has(key)) this.map.set(key, this.db.advisory(feed, id));
    return this.map.get(key);
  }
}

/** Reports a feed's unparsable bound once per advisory: a DB problem, not the image's. */
export class FeedIssues {
  private readonly seen = new Set<string>();
  readonly issues: Issue[] = [];

  add(entry: AffectedEntry, err: InvalidVersionError): void {
    const key = `${entry.feed}\u0000${entry.advisoryId}\u0000${entry.ecosystem}\u0000${entry.package}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push({
      code: 'invalid-version',
      message: `${entry.feed} advisory ${entry.advisoryId} (${entry.ecosystem} ${entry.package}) has a version Assay cannot compare, so it was not applied: ${err.message}`,
    });
  }
}

function evaluate(entry: AffectedEntry, scheme: SchemeId, version: string, feedIssues: FeedIssues): boolean {
  try {
    return isAffected(scheme, entry.ranges, version, entry.versions);
  } catch (err) {
    // The installed version was validated before; what failed is one of the entry's bounds.
    if (err instanceof InvalidVersionError) {
      feedIssues.add(entry, err);
      return false;
    }
    throw err;
  }
}

export function toCandidates(
  entries: readonly AffectedEntry[],
  scheme: SchemeId,
  version: string,
  advisories: AdvisoryCache,
  feedIssues: FeedIssues,
): Candidate[] {
  const out: Candidate[] = [];
  for (const entry of entries) {
    const advisory = advisories.get(entry.feed, entry.advisoryId);
    if (advisory?.withdrawn) continue;
    const ids = [entry.advisoryId, ...(advisory?.aliases ?? []).filter((a) => a !== entry.advisoryId)];
    const notAffected = entry.status === 'not_affected';
    const affects = !notAffected && evaluate(entry, scheme, version, feedIssues);
    if (affects || notAffected) out.push({ entry, advisory, ids, affects, notAffected });
  }
  return out;
}
