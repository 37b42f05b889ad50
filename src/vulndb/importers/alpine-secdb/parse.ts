/**
 * One Alpine secdb document (https://secdb.alpinelinux.org/, e.g. `v3.19/main.json`) → one
 * AdvisoryRecord per vulnerability id, with an affected entry per package that lists it. Pure:
 * the document in, records and located issues out. Mapping decisions are in README.md.
 */
import { z } from 'zod';
import { parseCached, schemeFor } from '../../../versioning/parse-cache.js';
import type { ImportIssue } from '../../importer.js';
import { normalizePackageName } from '../../names.js';
import type { AdvisoryRecord, AffectedRecord } from '../../types.js';
import { idsOf } from './ids.js';

/**
 * The feed (and snapshot scope) of one secdb file: `alpine-secdb:v3.19/main`. Advisories are
 * keyed by (feed, id) and the secdb is one file per release and repository, each imported on its
 * own: under one `alpine-secdb` feed, importing v3.20 would replace the v3.19 rows of every CVE
 * both list (and main would replace community's), losing those releases' entries.
 */
export function secdbFeed(distroversion: string, reponame: string): string {
  return `alpine-secdb:${distroversion}/${reponame}`;
}

const documentSchema = z.object({
  distroversion: z.string().regex(/^(v\d+\.\d+|edge)$/, 'expected a release like v3.19'),
  reponame: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a repository name like main'),
  packages: z.array(z.unknown()),
});

const packageSchema = z.object({
  pkg: z.object({
    name: z.string().trim().min(1),
    secfixes: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/** What one id says about one package: the versions that fix it, or `0` (never affected). */
interface PackageFacts {
  fixed: string[];
  notAffected: boolean;
}

interface IdFacts {
  aliases: Set<string>;
  packages: Map<string, PackageFacts>;
}

export interface SecdbResult {
  /** The file's feed and snapshot scope (`secdbFeed`). */
  feed: string;
  advisories: AdvisoryRecord[];
  issues: Omit<ImportIssue, 'file'>[];
  /** Entries reported and not used (a package, a version key, an id string). */
  skipped: number;
}

type Issue = (record: string, message: string) => void;

function note(facts: Map<string, IdFacts>, id: string, aliases: string[], pkg: string, version: string) {
  let f = facts.get(id);
  if (!f) {
    f = { aliases: new Set(), packages: new Map() };
    facts.set(id, f);
  }
  for (const a of aliases) f.aliases.add(a);
  let p = f.packages.get(pkg);
  if (!p) {
    p = { fixed: [], notAffected: false };
    f.packages.set(pkg, p);
  }
  if (version === '0') p.notAffected = true;
  else p.fixed.push(version);
}

/**
 * One secfixes string. With exactly one CVE, the other ids in the string name the same flaw
 * (`CVE-2017-12122 TALOS-2017-0488`) and become its aliases; otherwise each id stands alone.
 */
function addEntry(facts: Map<string, IdFacts>, entry: string, pkg: string, version: string, issue: Issue) {
  const { cves, others, junk } = idsOf(entry);
  const where = `${pkg} ${version}`;
  if (junk.length > 0) {
    const kept = [...cves, ...others];
    const tail = kept.length > 0 ? ` (kept ${kept.join(', ')})` : '';
    issue(where, `unrecognised id ${JSON.stringify(junk.join(' '))} in ${JSON.stringify(entry)}${tail}`);
  }
  const [single] = cves;
  if (cves.length === 1 && single) note(facts, single, others, pkg, version);
  else for (const id of [...cves, ...others]) note(facts, id, [], pkg, version);
  return cves.length + others.length > 0;
}

function addPackage(facts: Map<string, IdFacts>, raw: unknown, index: number, issue: Issue): number {
  const parsed = packageSchema.safeParse(raw);
  if (!parsed.success) {
    issue(`packages[${index}]`, `not a secdb package entry: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return 1;
  }
  const { name, secfixes } = parsed.data.pkg;
  let skipped = 0;
  for (const [version, list] of Object.entries(secfixes ?? {})) {
    if (version !== '0' && !parseCached('apk', version).ok) {
      issue(`${name} ${version}`, `fixed version ${JSON.stringify(version)} is not an apk version`);
      skipped++;
      continue;
    }
    if (!Array.isArray(list)) {
      issue(`${name} ${version}`, `expected a list of ids, got ${list === null ? 'null' : typeof list}`);
      skipped++;
      continue;
    }
    for (const entry of list) {
      const ok = typeof entry === 'string' && addEntry(facts, entry, name, version, issue);
      if (typeof entry !== 'string')
        issue(`${name} ${version}`, `id ${JSON.stringify(entry)} is not a string`);
      if (!ok) skipped++;
    }
  }
  return skipped;
}

/** The highest of the fixed versions under the apk scheme (an id listed twice was fixed again). */
function highest(versions: readonly string[]): string | undefined {
  const apk = schemeFor('apk');
  let best: { text: string; value: unknown } | undefined;
  for (const text of versions) {
    const parsed = parseCached('apk', text);
    if (parsed.ok && (!best || apk.compare(parsed.value, best.value) > 0))
      best = { text, value: parsed.value };
  }
  return best?.text;
}

function affectedOf(ecosystem: string, name: string, p: PackageFacts): AffectedRecord {
  const fixed = highest(p.fixed);
  const base = { ecosystem, package: normalizePackageName(ecosystem, name), versions: [] };
  if (fixed === undefined) {
    // secfixes `0`: the package was never affected (the flaw does not apply to Alpine's build).
    return {
      ...base,
      status: 'not_affected',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
    };
  }
  return {
    ...base,
    status: 'fixed',
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
    fixed,
  };
}

function toAdvisory(id: string, f: IdFacts, ecosystem: string, feed: string): AdvisoryRecord {
  return {
    feed,
    id,
    aliases: [...f.aliases],
    references: id.startsWith('CVE-')
      ? [{ type: 'ADVISORY', url: `https://security.alpinelinux.org/vuln/${id}` }]
      : [],
    cvss: [],
    affected: [...f.packages].map(([name, p]) => affectedOf(ecosystem, name, p)),
  };
}

export type ParseSecdb = { ok: true; result: SecdbResult } | { ok: false; error: string };

export function parseSecdb(doc: unknown): ParseSecdb {
  const top = documentSchema.safeParse(doc);
  if (!top.success) {
    const first = top.error.issues[0];
    return {
      ok: false,
      error: `not a secdb document: ${first?.path.join('.') || 'document'}: ${first?.message}`,
    };
  }
  const { distroversion, reponame, packages } = top.data;
  const issues: SecdbResult['issues'] = [];
  const issue: Issue = (record, message) => issues.push({ record, message });
  const facts = new Map<string, IdFacts>();
  let skipped = 0;
  packages.forEach((raw, index) => {
    skipped += addPackage(facts, raw, index, issue);
  });
  const ecosystem = `Alpine:${distroversion}`;
  const feed = secdbFeed(distroversion, reponame);
  const advisories = [...facts].map(([id, f]) => toAdvisory(id, f, ecosystem, feed));
  return { ok: true, result: { feed, advisories, issues, skipped } };
}
