/**
 * Candidates that describe the same vulnerability become one group, keyed by its CVE id when
 * it has one. Advisories are linked through their aliases (GHSA-x ↔ PYSEC-y); CVE ids are the
 * key rather than a link, because one advisory can fix several CVEs (DSA-5400-1 → CVE-a and
 * CVE-b) and those stay separate vulnerabilities: such an advisory joins each CVE's group.
 * OSV `related` ids are never links (distinct vulnerabilities by definition).
 */
import { type Candidate, isCve } from './candidates.js';

export interface Group {
  /** The finding id: the CVE id, else the preferred advisory id of the linked set. */
  id: string;
  members: Candidate[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    this.parent.set(x, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller id becomes the root, so the result does not depend on input order.
    const [low, high] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(high, low);
  }
}

/** GHSA ids are the cross-ecosystem key of OSV's language data; otherwise the smallest id. */
function preferredId(ids: Iterable<string>): string {
  const sorted = [...ids].sort();
  return sorted.find((id) => id.startsWith('GHSA-')) ?? sorted[0] ?? '';
}

export function groupCandidates(candidates: readonly Candidate[]): Group[] {
  const uf = new UnionFind();
  const nonCve = (c: Candidate) => c.ids.filter((id) => !isCve(id)).map((id) => id.toUpperCase());
  for (const c of candidates) {
    const ids = nonCve(c);
    for (const id of ids.slice(1)) uf.union(ids[0] ?? id, id);
  }
  // Per linked set: its CVE ids and its member ids.
  const cvesOf = new Map<string, Set<string>>();
  const idsOf = new Map<string, Set<string>>();
  const rootOf = (c: Candidate) => {
    const first = nonCve(c)[0];
    return first === undefined ? undefined : uf.find(first);
  };
  for (const c of candidates) {
    const root = rootOf(c);
    if (root === undefined) continue;
    const cves = cvesOf.get(root) ?? new Set<string>();
    for (const id of c.ids) if (isCve(id)) cves.add(id.toUpperCase());
    cvesOf.set(root, cves);
    const ids = idsOf.get(root) ?? new Set<string>();
    for (const id of c.ids) if (!isCve(id)) ids.add(id);
    idsOf.set(root, ids);
  }
  const groups = new Map<string, Candidate[]>();
  const add = (key: string, c: Candidate) => groups.set(key, [...(groups.get(key) ?? []), c]);
  for (const c of candidates) {
    const root = rootOf(c);
    const own = c.ids.filter(isCve).map((id) => id.toUpperCase());
    const keys = own.length > 0 ? own : root === undefined ? [] : [...(cvesOf.get(root) ?? [])];
    if (keys.length > 0) for (const k of new Set(keys)) add(k, c);
    else if (root !== undefined) add(preferredId(idsOf.get(root) ?? [root]), c);
  }
  return [...groups].map(([id, members]) => ({ id, members }));
}
