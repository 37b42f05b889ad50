/**
 * What each rpmdb backend hands to the header parser: the raw header blob of every package it
 * could locate, keyed as the database keys it, plus problems for the ones it could not.
 */
import type { RpmDbProblem } from './problems.js';

export type RpmDbFormat = 'sqlite' | 'ndb' | 'bdb';

export interface RpmBlob {
  /** SQLite `hnum`, NDB package index, BerkeleyDB key (the header instance number). */
  key: number;
  /** File offset of the blob (or of its first page), where the format has one. */
  offset?: number;
  bytes: Buffer;
}

export interface BlobScan {
  blobs: RpmBlob[];
  problems: RpmDbProblem[];
}
