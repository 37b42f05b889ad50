/**
 * The importer contract. One module per feed format under `importers/<feed>/`, listed once in
 * `importers/registry.ts`. An importer streams its input, validates every record, writes good
 * ones to the sink and reports bad ones with the file and record id through `ctx.issue` — it
 * never aborts a whole feed for one bad record. Importing the same input twice leaves the same DB.
 */
import type { AdvisoryRecord, CvssRecord, EpssRecord, KevRecord, ThreatHashRecord } from './types.js';

export const importerIds = [
  'osv',
  'debian-tracker',
  'alpine-secdb',
  'nvd',
  'cve5',
  'epss',
  'kev',
  'threat-hashes',
] as const;
export type ImporterId = (typeof importerIds)[number];

export interface AdvisorySink {
  /**
   * Declares that this import is a complete snapshot of `scope` (`osv:Go`, `alpine-secdb:v3.19/main`,
   * `debian-tracker`, `epss`, `kev`, `threat-hashes:<file>`): every row an earlier import wrote under the same scope is
   * removed, so records withdrawn upstream disappear. Call it before writing records; without it,
   * records are upserted by (feed, id) and nothing else is removed (NVD increments, single files).
   */
  snapshot(scope: string): void;
  /**
   * Upserts by (feed, id): an advisory written by an earlier import is replaced, affected and
   * CVSS entries included. Within ONE import, writing the same (feed, id) again merges: its
   * affected entries, aliases, references and scores are added to the first write (feeds keyed
   * by package, like Debian's tracker, meet one CVE under several packages).
   */
  putAdvisory(record: AdvisoryRecord): void;
  /**
   * Replaces every standalone score (not tied to an advisory row) that `feed` stored for
   * `vulnId` with `records`: NVD and CVE records state all of a CVE's scores at once, so a score
   * withdrawn upstream, or a CVE rejected (an empty list), disappears on the next import.
   */
  putCvss(feed: string, vulnId: string, records: readonly CvssRecord[]): void;
  putEpss(record: EpssRecord): void;
  putKev(record: KevRecord): void;
  /**
   * One deny-list entry, stored under the scope declared by `snapshot` (the list's source id,
   * which the reader reports as `db:<scope>`): each list keeps its own rows, so two lists
   * holding the same hash both keep it and re-importing one list replaces only its own.
   * Throws when no scope was declared: an entry must belong to a list.
   */
  putThreatHash(record: ThreatHashRecord): void;
}

export interface ImportIssue {
  /** The file the record came from (inside an archive: `all.zip!GHSA-xxxx.json`). */
  file: string;
  /** The record's id when it could be read, else a position (`line 12`, `entry 3`). */
  record?: string;
  message: string;
}

export interface ImportContext {
  /** How the input is named in messages (the path the user gave, or the feed URL). */
  label: string;
  issue(issue: ImportIssue): void;
  /** Called now and then with the number of records written so far (progress bars). */
  progress?(records: number): void;
  signal?: AbortSignal;
  /** Records bigger than this (bytes of JSON) are reported and skipped. */
  maxRecordBytes: number;
}

export interface ImportStats {
  records: number;
  /** Records reported through `ctx.issue` and not written. */
  skipped: number;
  /** What the data says about itself (EPSS score date, KEV catalog version). */
  dataDate?: string;
  /** The scope passed to `sink.snapshot`, if any. */
  scope?: string;
}

export interface AdvisoryImporter {
  readonly id: ImporterId;
  /** Bumped when the rows it writes change for the same input. */
  readonly version: number;
  /**
   * True when the input looks like this importer's format, for `assay db import` to pick the
   * importer: `head` is the first 64 KiB of the file, gunzipped when it is gzip, decoded as
   * UTF-8 (may end mid-record); for a directory `head` is empty and `path` ends with `/`;
   * for a zip, `head` is the name list of its first entries joined by `\n`, `path` ends `.zip`.
   */
  detect(head: string, path: string): boolean;
  /**
   * Reads `path` (a file, `.gz` where the format is published gzipped, a zip, or a directory
   * where the importer takes one) and writes records to `sink`. Throws only when the input as
   * a whole cannot be read (missing, not this format, truncated archive); record-level problems
   * go to `ctx.issue`.
   */
  import(path: string, sink: AdvisorySink, ctx: ImportContext): Promise<ImportStats>;
}

/** 64 MiB: far above any real advisory (the largest OSV records are a few MiB). */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
