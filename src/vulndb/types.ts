/**
 * The vulnerability DB's records, as importers write them and the matcher reads them. One shape
 * for every feed: an OSV record, a Debian tracker entry and an Alpine secfix all become an
 * `AdvisoryRecord` with `AffectedRecord`s whose ranges are OSV ranges, so ONE range evaluator
 * (`versioning/osv-range.ts`) serves every ecosystem.
 */
import type { OsvRange } from '../versioning/osv-range.js';

/** Bumped with every schema change; a DB of another version is rebuilt, never misread. */
export const DB_SCHEMA_VERSION = 3;

/**
 * What a feed says about a package: `fixed` (ranges end in a fixed version), `affected`
 * (no fix yet), `will_not_fix` (the vendor decided not to fix: Debian `ignored`/`no-dsa`
 * with a reason, Alpine/Wolfi `fix-not-planned`), `end_of_life` (the release is no longer
 * supported), `not_affected` (the vendor checked: kept so `db search` and VEX can say so;
 * the matcher never reports it).
 */
export const fixStatuses = ['fixed', 'affected', 'will_not_fix', 'end_of_life', 'not_affected'] as const;
export type FixStatus = (typeof fixStatuses)[number];

/**
 * Who scored a CVSS vector, in the order the scan prefers them (ARCHITECTURE "CVSS and
 * severity"): NVD's primary score, the CNA's own (NVD `Secondary` or the CVE record's CNA
 * container), CISA's ADP container, the advisory's own vector (GHSA/OSV `severity`), the distro.
 */
export const cvssSources = ['nvd', 'cna', 'adp', 'advisory', 'distro'] as const;
export type CvssSource = (typeof cvssSources)[number];

export const cvssVersions = ['2.0', '3.0', '3.1', '4.0'] as const;
export type CvssVersion = (typeof cvssVersions)[number];

export interface CvssRecord {
  /** The id the score belongs to: a CVE id for NVD/CNA/ADP, the advisory id for `advisory`. */
  vulnId: string;
  source: CvssSource;
  /** Who exactly: `nvd@nist.gov`, the CNA's e-mail or short name, `GHSA`, `Debian`… */
  sourceName?: string;
  version: CvssVersion;
  vector: string;
  /** Computed from the vector (see `cvss.ts`), never copied from a feed unchecked. */
  baseScore: number;
}

export interface Reference {
  type?: string;
  url: string;
}

export interface AffectedRecord {
  /** The namespace, an OSV ecosystem string: `Debian:12`, `Alpine:v3.19`, `npm`, `PyPI`, `Maven`… */
  ecosystem: string;
  /** The package name, normalised with `normalizePackageName(ecosystem, name)`. */
  package: string;
  purl?: string;
  status: FixStatus;
  /**
   * OSV ranges that `isAffected` evaluates (ECOSYSTEM or SEMVER; GIT ranges are dropped at
   * import). An unfixed or won't-fix entry is `[{type: 'ECOSYSTEM', events: [{introduced: '0'}]}]`.
   */
  ranges: OsvRange[];
  /** Explicit affected versions (OSV `versions`), matched exactly. */
  versions: string[];
  /** The version that fixes it, for display; with several ranges the matcher picks the one that applies. */
  fixed?: string;
  /** The vendor's own rating for this package (Debian urgency, GHSA severity label…). */
  vendorSeverity?: string;
}

export interface AdvisoryRecord {
  /** The feed that stated it: `osv`, `debian-tracker`, `alpine-secdb`, `nvd`, `cve5`. */
  feed: string;
  /** The advisory's own id: `GHSA-…`, `GO-2024-0001`, `DSA-5400-1`, `CVE-2024-1234`. */
  id: string;
  /** Other ids for the same vulnerability (OSV `aliases`; CVE ids of a DSA). */
  aliases: string[];
  /** Ids of related but distinct vulnerabilities (OSV `related`); never merged into one finding. */
  related?: string[];
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  references: Reference[];
  /** The weaknesses it names, as CWE ids (`CWE-79`), each once: CVE records' `problemTypes`. */
  cwes?: string[];
  /** The advisory's overall rating when it has one (GHSA `database_specific.severity`). */
  vendorSeverity?: string;
  /** The advisory's own vectors (OSV `severity[]`); stored with `vulnId = id`, source `advisory`/`distro`. */
  cvss: CvssRecord[];
  affected: AffectedRecord[];
}

export interface EpssRecord {
  cve: string;
  /** Probability of exploitation activity in the next 30 days, 0–1. */
  score: number;
  percentile: number;
  /** The score date (`YYYY-MM-DD`) from the file's header, when it has one. */
  date?: string;
  modelVersion?: string;
}

export interface KevRecord {
  cve: string;
  vendorProject?: string;
  product?: string;
  name?: string;
  dateAdded: string;
  dueDate?: string;
  requiredAction?: string;
  /** `Known` or `Unknown` in the catalog. */
  knownRansomwareCampaignUse: boolean;
  notes?: string;
}

/** One entry of a SHA-256 threat deny-list (`importers/threat-hashes`), stored under its list's source id. */
export interface ThreatHashRecord {
  /** Lower-case hex. */
  sha256: string;
  /** The list's name or note for it (`Mirai dropper`), when it has one. */
  name?: string;
}

/** One row of import metadata: what was imported from where, when, and how much. */
export interface SourceInfo {
  /** The scope key (see `AdvisorySink.snapshot`) or feed name: `osv:Go`, `epss`, `kev`, `nvd`… */
  id: string;
  importer: string;
  url?: string;
  etag?: string;
  lastModified?: string;
  records: number;
  issues: number;
  importedAt: string;
  /** The data's own date when it states one (EPSS score date, KEV catalog version, NVD cursor). */
  dataDate?: string;
  /** Importer-specific resume point, e.g. NVD's `lastModStartDate` for the next incremental run. */
  cursor?: string;
}
