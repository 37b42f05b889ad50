/**
 * Content scanning (issue 11): the contract between the pure detectors (`secrets/`, `threats/`,
 * `config/`), the layer walk that feeds them every layer's files (`layer-scan.ts`) and the scan
 * that turns their hits into located findings (`findings.ts`). Detectors never see layers, the
 * tree or the result model; hits carry only what the bytes say.
 */
import type { Severity } from '../model/result.js';

/** A detection in one file's bytes (or in a member of an archive file). */
export interface ContentHit {
  kind: 'secret' | 'threat';
  /** Rule id (`aws-access-key-id`), threat id (`eicar`, `reverse-shell`, `clamav:Win.Test.EICAR_HDB-1`). */
  id: string;
  title: string;
  category: string;
  severity: Severity;
  /** Threats only: which detector. */
  engine?: 'builtin' | 'hash-list' | 'yara' | 'clamav';
  /** Inside an archive: the member path, nested members joined by `!/`. */
  member?: string;
  line?: number;
  column?: number;
  /** Secrets: the redacted value. Never the value itself. */
  match?: string;
  /** Lower-case hex SHA-256 of the file or member, when hashed. */
  sha256?: string;
  /** A short, non-secret excerpt or reason (pool host, signature name, deny-list note). */
  evidence?: string;
  /** Secrets: sha256(rule NUL value), to recognise one secret in several places; never output. */
  fingerprint?: string;
}

/**
 * A pluggable threat engine run on file bytes during the walk (ClamAV through clamd, YARA).
 * An engine that fails on one file reports it as an error for that file; the walk goes on.
 */
export interface ThreatEngine {
  readonly id: 'clamav' | 'yara';
  /** Goes into the layer-cache key: a new signature set or rule set must not reuse old results. */
  readonly cacheKey: string;
  /** Cheap and pure: which regular files to hand to `scan`. */
  wants(path: string, size: number): boolean;
  /** Hits for one file's bytes; throws an AssayError naming the engine endpoint on failure. */
  scan(path: string, bytes: Buffer, signal?: AbortSignal): Promise<ContentHit[]>;
  close(): Promise<void>;
}

/** SHA-256 deny-list entries: lower-case hex → what the list says about it. */
export interface DenyListEntry {
  /** A name or note from the list (`Mirai dropper`), when the format has one. */
  name?: string;
  /** Where the entry came from: the file path, or `db:<source id>` for a deny-list imported into the DB. */
  source: string;
}
export type DenyList = ReadonlyMap<string, DenyListEntry>;
