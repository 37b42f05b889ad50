/**
 * An installed package's `package.json` → the fields Assay reports
 * (https://docs.npmjs.com/cli/v10/configuring-npm/package-json): `name`, `version`, the licence
 * in its current or legacy forms, and `private`. Pure; bad input is a problem, never a throw.
 */
import { isUtf8 } from 'node:buffer';
import { errorMessage } from '../../../model/errors.js';
import type { IssueList } from '../../issue-list.js';
import { asRecord, isNpmName, isReportableVersion, licensesOf } from './package.js';

/** A package.json is small; anything bigger is not a package manifest worth reading. */
export const MAX_PACKAGE_JSON_BYTES = 4 * 1024 * 1024;

export interface Manifest {
  name: string;
  version: string;
  licenses: string[];
  /** `private: true`: never published (a workspace root or an app), so not an npm package. */
  private: boolean;
}

export function parseManifest(bytes: Buffer, issues: IssueList): Manifest | undefined {
  const json = parseJsonFile(bytes, issues, MAX_PACKAGE_JSON_BYTES);
  if (json === undefined) return undefined;
  const doc = asRecord(json);
  if (!doc) {
    issues.add('malformed-record', 'not a JSON object');
    return undefined;
  }
  const { name, version } = doc;
  if (typeof name !== 'string' || name === '') {
    issues.add('missing-field', 'no "name"');
    return undefined;
  }
  if (!isNpmName(name)) {
    issues.add('invalid-field', `"name" ${JSON.stringify(name.slice(0, 100))} is not an npm package name`);
    return undefined;
  }
  if (typeof version !== 'string' || version === '') {
    issues.add('missing-field', `${name}: no "version"`);
    return undefined;
  }
  if (!isReportableVersion(version)) {
    issues.add('invalid-field', `${name}: "version" ${JSON.stringify(version.slice(0, 100))} unusable`);
    return undefined;
  }
  return { name, version, licenses: licensesOf(doc.license, doc.licenses), private: doc.private === true };
}

/**
 * A JSON file read without trusting it (shared with npm-lock): a size cap (JSON.parse is linear,
 * but a multi-hundred-megabyte lock is not one an image needs), invalid UTF-8 reported and read
 * with U+FFFD, a syntax error reported with its line instead of thrown. V8's JSON parser is
 * iterative, so deep nesting cannot overflow the stack.
 */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export function parseJsonFile(bytes: Buffer, issues: IssueList, maxBytes = MAX_JSON_BYTES): unknown {
  if (bytes.length > maxBytes) {
    issues.add('too-many-records', `${bytes.length} bytes, over the ${maxBytes}-byte limit; not read`);
    return undefined;
  }
  if (!isUtf8(bytes)) issues.add('invalid-utf8', 'invalid UTF-8 (read with replacement characters)');
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = errorMessage(err);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : undefined;
    issues.add('malformed-record', `not valid JSON: ${message.slice(0, 200)}`, line);
    return undefined;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
