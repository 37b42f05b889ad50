import { AssayError } from '../model/errors.js';

/** Version-scheme ids used by `compareVersions`/`isAffected`; see docs/versioning.md. */
export type SchemeId =
  | 'deb'
  | 'rpm'
  | 'apk'
  | 'pep440'
  | 'semver'
  | 'maven'
  | 'rubygems'
  | 'go'
  | 'nuget'
  | 'composer'
  | 'cargo';

export type ParseResult<V> = { ok: true; value: V } | { ok: false; reason: string };

/**
 * One ecosystem's version order. `parse` is the only step that can fail; `compare` is a total
 * order on parsed values and never guesses.
 */
export interface VersionScheme<V = unknown> {
  readonly id: SchemeId;
  /** The tool or spec that defines truth, e.g. "dpkg --compare-versions". */
  readonly reference: string;
  parse(input: string): ParseResult<V>;
  compare(a: V, b: V): -1 | 0 | 1;
}

export class InvalidVersionError extends AssayError {
  readonly scheme: string;
  readonly input: string;

  constructor(scheme: string, input: string, reason: string) {
    super('invalid-version', `invalid ${scheme} version ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidVersionError';
    this.scheme = scheme;
    this.input = input;
  }
}
