/**
 * The query API the matcher and `db search` depend on (STYLE principle 10: the narrowest
 * interface, not the SQLite handle). The SQLite implementation lives in `store.ts`; tests
 * use `testing/memory-db.ts`, which implements the same contract.
 */
import type { DenyList, DenyListEntry } from '../content/types.js';
import type {
  AdvisoryRecord,
  AffectedRecord,
  CvssRecord,
  EpssRecord,
  KevRecord,
  SourceInfo,
} from './types.js';
import { DB_SCHEMA_VERSION } from './types.js';

/** An affected entry together with the advisory it belongs to. */
export interface AffectedEntry extends AffectedRecord {
  feed: string;
  advisoryId: string;
}

/** An advisory without its affected list (fetched per package instead). */
export type AdvisoryInfo = Omit<AdvisoryRecord, 'affected'>;

export interface DbInfo {
  schemaVersion: number;
  /** When the DB file was last written by an update or import (ISO time). */
  builtAt?: string;
  sources: SourceInfo[];
}

export interface VulnDbReader {
  /** Every entry for one package in one namespace; `name` already normalised. */
  affected(ecosystem: string, name: string): readonly AffectedEntry[];
  advisory(feed: string, id: string): AdvisoryInfo | undefined;
  /** Advisories whose id or one of whose aliases is `id` (CVE → its GHSA/DSA/…; GHSA → itself). */
  advisoriesFor(id: string): readonly AdvisoryInfo[];
  /** Every score stored for these ids (CVE ids and advisory ids alike). */
  cvss(ids: readonly string[]): readonly CvssRecord[];
  epss(cve: string): EpssRecord | undefined;
  kev(cve: string): KevRecord | undefined;
  /** The namespaces holding at least one affected entry (`Debian:12`, `npm`…): decides `unsupported_os`. */
  ecosystems(): readonly string[];
  /**
   * Every SHA-256 threat deny-list entry imported into the DB (`db import` of a hash list), its
   * `source` `db:<source id>`. A hash on several lists appears once: a named entry before an
   * unnamed one, then the first source id. Loads them all: ask once per scan.
   */
  threatHashes(): DenyList;
  /** One hash's entry (hex in any case), chosen like `threatHashes`; one index seek. */
  threatHash(sha256: string): DenyListEntry | undefined;
  /** Distinct hashes on the imported lists: 0 means a scan need not hash files for them. */
  threatHashCount(): number;
  info(): DbInfo;
}

/**
 * A reader with no data, for scans that match nothing (`--scanners` without `vuln`) on a machine
 * without a DB: content scanners need no vulnerability data, only the DB's deny-lists if any.
 */
export const emptyDbReader: VulnDbReader = {
  affected: () => [],
  advisory: () => undefined,
  advisoriesFor: () => [],
  cvss: () => [],
  epss: () => undefined,
  kev: () => undefined,
  ecosystems: () => [],
  threatHashes: () => new Map(),
  threatHash: () => undefined,
  threatHashCount: () => 0,
  info: () => ({ schemaVersion: DB_SCHEMA_VERSION, sources: [] }),
};
