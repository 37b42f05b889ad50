/**
 * One installed package as its rpmdb header describes it: the fields `rpm -q --qf` would print
 * for %{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM} %{LICENSE} %{VENDOR} %{SIZE}
 * %{MODULARITYLABEL}. NAME, VERSION and RELEASE are required (without them there is nothing to
 * match); a bad optional field is dropped with a problem and the rest of the record kept.
 * Optional strings are kept exactly as stored, empty ones included (rpm prints those as
 * empty, absent ones as `(none)`), so records compare equal to `rpm -qa` output.
 */
import type { ParsedHeader } from './header.js';
import { headerNumber, headerString } from './header-values.js';
import { problemFrom, RpmDbFormatError, type RpmDbProblem } from './problems.js';
import { describeTag, RpmTag } from './tags.js';

export interface RpmPackageRecord {
  /** Where the database keeps it: SQLite `hnum`, NDB package index, BerkeleyDB key. */
  key: number;
  name: string;
  /** Absent when the header has no EPOCH tag (rpm prints `(none)`). */
  epoch?: number;
  version: string;
  release: string;
  /** Absent for pseudo-packages such as `gpg-pubkey`. */
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  /** Installed size in bytes: LONGSIZE when present, else SIZE. */
  size?: number;
  modularityLabel?: string;
}

/** Optional string fields, set only when the header has the tag (so absent ≠ empty). */
const STRING_FIELDS = [
  ['arch', RpmTag.ARCH],
  ['sourceRpm', RpmTag.SOURCERPM],
  ['license', RpmTag.LICENSE],
  ['vendor', RpmTag.VENDOR],
  ['modularityLabel', RpmTag.MODULARITYLABEL],
] as const;

export interface RecordResult {
  record?: RpmPackageRecord;
  problems: RpmDbProblem[];
}

/** Reads the package fields of a parsed header; `context` names the record in problems. */
export function readRecord(header: ParsedHeader, key: number, context: string): RecordResult {
  const problems: RpmDbProblem[] = [];
  let required: Pick<RpmPackageRecord, 'name' | 'version' | 'release'>;
  try {
    required = {
      name: requiredString(header, RpmTag.NAME),
      version: requiredString(header, RpmTag.VERSION),
      release: requiredString(header, RpmTag.RELEASE),
    };
  } catch (err) {
    return { problems: [problemFrom(err, context, key)] };
  }
  const optional = <T>(read: () => T | undefined): T | undefined => {
    try {
      return read();
    } catch (err) {
      problems.push(problemFrom(err, `${context} (${required.name})`, key));
      return undefined;
    }
  };
  const record: RpmPackageRecord = { key, ...required };
  const epoch = optional(() => headerNumber(header, RpmTag.EPOCH));
  if (epoch !== undefined) record.epoch = epoch;
  for (const [field, tag] of STRING_FIELDS) {
    const value = optional(() => headerString(header, tag));
    if (value !== undefined) record[field] = value;
  }
  const size =
    optional(() => headerNumber(header, RpmTag.LONGSIZE)) ??
    optional(() => headerNumber(header, RpmTag.SIZE));
  if (size !== undefined) record.size = size;
  return { record, problems };
}

function requiredString(header: ParsedHeader, tag: number): string {
  const value = headerString(header, tag);
  if (value === undefined || value === '') {
    throw new RpmDbFormatError(
      'missing-field',
      `header has ${value === undefined ? 'no' : 'an empty'} ${describeTag(tag)}`,
    );
  }
  return value;
}
