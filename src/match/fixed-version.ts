/**
 * The version that fixes a finding for the installed version's branch: among the ranges that
 * matched, the smallest `fixed` event above the installed version (OSV ranges can hold several
 * branches: `introduced 1.0, fixed 1.4.2, introduced 2.0, fixed 2.1.1`; someone on 2.0.3
 * needs 2.1.1, not 1.4.2).
 */

import { compareVersions, isAffected, isValidVersion, type SchemeId } from '../versioning/index.js';
import type { FixStatus } from '../vulndb/types.js';
import type { Candidate } from './candidates.js';

function above(scheme: SchemeId, candidate: string, version: string): boolean {
  return isValidVersion(scheme, candidate) && compareVersions(scheme, candidate, version) > 0;
}

function fixesOf(c: Candidate, scheme: SchemeId, version: string): string[] {
  const out: string[] = [];
  for (const range of c.entry.ranges) {
    const fixes = range.events.flatMap((e) => (e.fixed === undefined ? [] : [e.fixed]));
    if (fixes.length === 0) continue;
    let matched: boolean;
    try {
      matched = isAffected(scheme, [range], version);
    } catch {
      matched = false; // reported when the entry was evaluated
    }
    if (matched) out.push(...fixes.filter((f) => above(scheme, f, version)));
  }
  // An entry matched through `versions` alone, or whose ranges carry no fix, may still name one.
  if (out.length === 0 && c.entry.fixed !== undefined && above(scheme, c.entry.fixed, version))
    out.push(c.entry.fixed);
  return out;
}

export function fixedVersionOf(
  members: readonly Candidate[],
  scheme: SchemeId,
  version: string,
): string | undefined {
  let best: string | undefined;
  for (const c of members) {
    if (!c.affects) continue;
    for (const fix of fixesOf(c, scheme, version))
      if (best === undefined || compareVersions(scheme, fix, best) < 0) best = fix;
  }
  return best;
}

/** `fixed` with a fix; otherwise a vendor's decision (won't fix, end of life) over plain `affected`. */
export function statusOf(
  members: readonly Candidate[],
  fixedVersion: string | undefined,
): Exclude<FixStatus, 'not_affected'> {
  if (fixedVersion !== undefined) return 'fixed';
  const statuses = new Set(members.filter((c) => c.affects).map((c) => c.entry.status));
  if (statuses.has('will_not_fix')) return 'will_not_fix';
  if (statuses.has('end_of_life')) return 'end_of_life';
  return 'affected';
}
