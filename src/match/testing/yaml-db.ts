/**
 * Test support: a tiny YAML DB fixture → MemoryDb (STYLE principle 14: small YAML DB fixtures,
 * deliberately invalid entries included). Shorthands keep fixtures readable: an affected entry
 * with `fixed: X` and no `ranges` gets `[{introduced: 0}, {fixed: X}]`; one with neither (and no
 * `versions`) gets `[{introduced: 0}]` (unfixed); a CVSS row states only its vector and is scored like the
 * importers score it (`scoreCvss`); `references` may be plain URLs.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { OsvRange } from '../../versioning/osv-range.js';
import { scoreCvss } from '../../vulndb/cvss.js';
import { normalizePackageName } from '../../vulndb/names.js';
import { MemoryDb } from '../../vulndb/testing/memory-db.js';
import type {
  AdvisoryRecord,
  AffectedRecord,
  CvssRecord,
  CvssSource,
  EpssRecord,
  FixStatus,
  KevRecord,
} from '../../vulndb/types.js';

interface FixtureAffected {
  ecosystem: string;
  package: string;
  status?: FixStatus;
  fixed?: string;
  ranges?: OsvRange[];
  versions?: string[];
  vendorSeverity?: string;
}

interface FixtureCvss {
  vulnId: string;
  source: CvssSource;
  sourceName?: string;
  vector: string;
}

interface FixtureAdvisory extends Omit<AdvisoryRecord, 'affected' | 'aliases' | 'references' | 'cvss'> {
  aliases?: string[];
  references?: string[];
  cvss?: FixtureCvss[];
  affected?: FixtureAffected[];
}

interface Fixture {
  advisories?: FixtureAdvisory[];
  cvss?: FixtureCvss[];
  epss?: EpssRecord[];
  kev?: KevRecord[];
}

function toCvss(c: FixtureCvss): CvssRecord {
  const scored = scoreCvss(c.vector);
  if (!scored) throw new Error(`fixture: CVSS vector ${c.vector} does not score`);
  const out: CvssRecord = {
    vulnId: c.vulnId,
    source: c.source,
    version: scored.version,
    vector: scored.vector,
    baseScore: scored.baseScore,
  };
  if (c.sourceName) out.sourceName = c.sourceName;
  return out;
}

function toAffected(a: FixtureAffected): AffectedRecord {
  const status = a.status ?? (a.fixed ? 'fixed' : 'affected');
  const events = a.fixed ? [{ introduced: '0' }, { fixed: a.fixed }] : [{ introduced: '0' }];
  // Explicit `versions` alone (OSV's enumerated form) or a not-affected statement have no range.
  const rangeless = status === 'not_affected' || (a.versions !== undefined && !a.fixed);
  const ranges = a.ranges ?? (rangeless ? [] : [{ type: 'ECOSYSTEM', events }]);
  const out: AffectedRecord = {
    ecosystem: a.ecosystem,
    package: normalizePackageName(a.ecosystem, a.package),
    status,
    ranges,
    versions: a.versions ?? [],
  };
  if (a.fixed) out.fixed = a.fixed;
  if (a.vendorSeverity) out.vendorSeverity = a.vendorSeverity;
  return out;
}

function toAdvisory(a: FixtureAdvisory): AdvisoryRecord {
  return {
    ...a,
    aliases: a.aliases ?? [],
    references: (a.references ?? []).map((url) => ({ url })),
    cvss: (a.cvss ?? []).map(toCvss),
    affected: (a.affected ?? []).map(toAffected),
  };
}

export function loadYamlDb(...paths: string[]): MemoryDb {
  const db = new MemoryDb();
  for (const path of paths) {
    const fixture = parse(readFileSync(path, 'utf8')) as Fixture;
    for (const a of fixture.advisories ?? []) db.putAdvisory(toAdvisory(a));
    const scores = (fixture.cvss ?? []).map(toCvss);
    for (const id of new Set(scores.map((s) => s.vulnId)))
      db.putCvss(
        'fixture',
        id,
        scores.filter((s) => s.vulnId === id),
      );
    for (const e of fixture.epss ?? []) db.putEpss(e);
    for (const k of fixture.kev ?? []) db.putKev(k);
    db.endImport();
  }
  return db;
}
