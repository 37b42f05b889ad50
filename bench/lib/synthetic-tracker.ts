/**
 * A synthetic but realistic Debian security tracker JSON for the benchmark images: for each
 * source package installed in the image, 0–8 entries keyed by real CVE ids (so the DB's CVSS,
 * EPSS and KEV rows attach to them), in the tracker's `/tracker/data/json` shape
 * (https://security-team.debian.org/security_tracker.html): resolved below, at and above the
 * installed source version, open, unimportant, no-dsa ignored, postponed and never affected
 * (`fixed_version: "0"`). Deterministic for a given seed. It also returns the findings a correct
 * matcher must report for every binary package, so the scan bench can check them.
 */
import { compareVersions } from '../../src/versioning/index.js';

export const entryKinds = [
  'fixed-below',
  'fixed-equal',
  'fixed-above',
  'open',
  'unimportant',
  'no-dsa-ignored',
  'postponed',
  'not-affected',
] as const;
export type EntryKind = (typeof entryKinds)[number];

/** The kinds that leave the installed version vulnerable (a finding is due). */
export const VULNERABLE: ReadonlySet<EntryKind> = new Set([
  'fixed-above',
  'open',
  'unimportant',
  'no-dsa-ignored',
  'postponed',
]);

/** Relative frequency of each kind (the tracker is dominated by long-fixed and not-affected entries). */
const WEIGHTS: Record<EntryKind, number> = {
  'fixed-below': 30,
  'fixed-equal': 8,
  'fixed-above': 18,
  open: 12,
  unimportant: 10,
  'no-dsa-ignored': 8,
  postponed: 4,
  'not-affected': 10,
};

const URGENCIES = ['low', 'medium', 'high', 'not yet assigned'] as const;

export interface SourcePackage {
  name: string;
  /** The installed source version (what the tracker's fixed versions compare against). */
  version: string;
}

export interface CvePools {
  /** CVE ids in the KEV catalog (and in the CVE record set). */
  kev: readonly string[];
  /** CVE ids with at least one CVSS v3 score. */
  scored: readonly string[];
  /** Every other CVE id. */
  other: readonly string[];
}

export interface TrackerRelease {
  status: 'resolved' | 'open' | 'undetermined';
  repositories: Record<string, string>;
  fixed_version?: string;
  urgency: string;
  nodsa?: string;
  nodsa_reason?: string;
}

export interface TrackerEntry {
  description?: string;
  scope?: string;
  debianbug?: number;
  releases: Record<string, TrackerRelease>;
}

export type TrackerJson = Record<string, Record<string, TrackerEntry>>;

export interface SyntheticTracker {
  json: TrackerJson;
  /** Source package → CVE id → kind. */
  plan: Map<string, Map<string, EntryKind>>;
  counts: Record<EntryKind, number>;
}

/** mulberry32: a tiny seeded PRNG (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickKind(rand: () => number): EntryKind {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let r = rand() * total;
  for (const k of entryKinds) {
    r -= WEIGHTS[k];
    if (r < 0) return k;
  }
  return 'fixed-below';
}

/** Draws CVE ids without replacement: 10% from KEV, 75% scored, 15% any other. */
class IdDrawer {
  private readonly pools: string[][];
  constructor(
    pools: CvePools,
    private readonly rand: () => number,
  ) {
    this.pools = [
      shuffle([...pools.kev], rand),
      shuffle([...pools.scored], rand),
      shuffle([...pools.other], rand),
    ];
  }
  next(): string | undefined {
    const r = this.rand();
    const order = r < 0.1 ? [0, 1, 2] : r < 0.85 ? [1, 2, 0] : [2, 1, 0];
    for (const i of order) {
      const id = this.pools[i]!.pop();
      if (id) return id;
    }
    return undefined;
  }
}

function shuffle<T>(list: T[], rand: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

const EPOCH = /^(\d+):(.*)$/;

function splitEpoch(v: string): [string, string] {
  const m = EPOCH.exec(v);
  return m ? [`${m[1]}:`, m[2]!] : ['', v];
}

/** A later version the way the security team numbers bookworm updates (`+deb12u1`, `+deb12u2`…). */
export function versionAbove(v: string): string {
  const stable = /\+deb(\d+)u(\d+)$/.exec(v);
  const next = stable ? v.replace(/\d+$/, String(Number(stable[2]) + 1)) : `${v}+deb12u1`;
  return compareVersions('deb', next, v) > 0 ? next : `${v}+deb12u1`;
}

/** An earlier version: the previous stable update, revision or upstream number, else a `~` pre-release. */
export function versionBelow(v: string): string {
  const [epoch, rest] = splitEpoch(v);
  const candidates: string[] = [];
  const stable = /\+deb(\d+)u(\d+)$/.exec(rest);
  if (stable)
    candidates.push(
      Number(stable[2]) > 1
        ? rest.replace(/\d+$/, String(Number(stable[2]) - 1))
        : rest.slice(0, stable.index),
    );
  const dash = rest.lastIndexOf('-');
  const upstream = dash > 0 ? rest.slice(0, dash) : rest;
  const revision = dash > 0 ? rest.slice(dash) : '';
  const rev = /^-(\d+)$/.exec(revision);
  if (rev && Number(rev[1]) > 1) candidates.push(`${upstream}-${Number(rev[1]) - 1}`);
  const lastNum = /(\d+)(\D*)$/.exec(upstream);
  if (lastNum && Number(lastNum[1]) > 0 && !/^0\d/.test(lastNum[1]!))
    candidates.push(
      `${upstream.slice(0, lastNum.index)}${Number(lastNum[1]) - 1}${lastNum[2]}${revision || ''}`,
    );
  candidates.push(`${upstream}~1${revision}`);
  for (const c of candidates) {
    const full = `${epoch}${c}`;
    if (c && safeCompare(full, v) < 0) return full;
  }
  return `${epoch}${upstream}~1${revision}`;
}

function safeCompare(a: string, b: string): number {
  try {
    return compareVersions('deb', a, b);
  } catch {
    return Number.NaN;
  }
}

function release(kind: EntryKind, installed: string, codename: string, rand: () => number): TrackerRelease {
  const repositories = { [codename]: installed };
  const urgency = URGENCIES[Math.floor(rand() * URGENCIES.length)]!;
  switch (kind) {
    case 'fixed-below':
      return { status: 'resolved', repositories, fixed_version: versionBelow(installed), urgency };
    case 'fixed-equal':
      return { status: 'resolved', repositories, fixed_version: installed, urgency };
    case 'fixed-above':
      return { status: 'resolved', repositories, fixed_version: versionAbove(installed), urgency };
    case 'open':
      return { status: 'open', repositories, urgency };
    case 'unimportant':
      return { status: 'open', repositories, urgency: 'unimportant' };
    case 'no-dsa-ignored':
      return { status: 'open', repositories, urgency: 'low', nodsa: 'Minor issue', nodsa_reason: 'ignored' };
    case 'postponed':
      return { status: 'open', repositories, urgency, nodsa: 'Minor issue', nodsa_reason: 'postponed' };
    case 'not-affected':
      return { status: 'resolved', repositories, fixed_version: '0', urgency: 'unimportant' };
  }
}

/** The next upload to unstable: Debian revision + 1 (`1.2-3` → `1.2-4`), or `.1` appended to a native version. */
function nextUpload(v: string): string {
  const rev = /-(\d+)$/.exec(v);
  return rev ? `${v.slice(0, rev.index)}-${Number(rev[1]) + 1}` : `${v}.1`;
}

/** Sid's view of the same entry: fixed in a later upload, or still open. */
function sidRelease(kind: EntryKind, installed: string, rand: () => number): TrackerRelease {
  const sid = installed.replace(/\+deb\d+u\d+$/, '');
  const repositories = { sid };
  if (kind === 'not-affected')
    return { status: 'resolved', repositories, fixed_version: '0', urgency: 'unimportant' };
  if (kind === 'open' && rand() < 0.5) return { status: 'open', repositories, urgency: 'not yet assigned' };
  const fixed = nextUpload(sid);
  return {
    status: 'resolved',
    repositories,
    fixed_version: safeCompare(fixed, sid) > 0 ? fixed : versionAbove(sid),
    urgency: 'not yet assigned',
  };
}

export function syntheticTracker(
  sources: readonly SourcePackage[],
  pools: CvePools,
  codename: string,
  describe: (id: string) => string | undefined,
  seed = 20261130,
): SyntheticTracker {
  const rand = prng(seed);
  const ids = new IdDrawer(pools, rand);
  const json: TrackerJson = {};
  const plan = new Map<string, Map<string, EntryKind>>();
  const counts = Object.fromEntries(entryKinds.map((k) => [k, 0])) as Record<EntryKind, number>;
  for (const src of [...sources].sort((a, b) => a.name.localeCompare(b.name))) {
    const n = Math.floor(rand() * 9);
    const entries: Record<string, TrackerEntry> = {};
    const kinds = new Map<string, EntryKind>();
    for (let i = 0; i < n; i++) {
      const id = ids.next();
      if (!id) break;
      const kind = pickKind(rand);
      // Key order as the tracker writes it: description, scope, debianbug, releases.
      const entry: TrackerEntry = { releases: {} };
      const description = describe(id);
      const head: Omit<TrackerEntry, 'releases'> = description ? { description } : {};
      head.scope = rand() < 0.6 ? 'remote' : 'local';
      if (rand() < 0.4) head.debianbug = 900000 + Math.floor(rand() * 190000);
      entry.releases[codename] = release(kind, src.version, codename, rand);
      entry.releases.sid = sidRelease(kind, src.version, rand);
      entries[id] = { ...head, releases: entry.releases };
      kinds.set(id, kind);
      counts[kind]++;
    }
    if (kinds.size === 0) continue;
    json[src.name] = entries;
    plan.set(src.name, kinds);
  }
  return { json, plan, counts };
}
