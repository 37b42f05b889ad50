/**
 * `Pipfile.lock` (pipenv, https://pipenv.pypa.io/en/latest/pipfile.html#pipfile-lock): JSON with
 * `default` (runtime) and `develop` (dev) objects mapping each name to `{"version": "==1.2.3",
 * "hashes": […], "markers": …}`. Both sections are read: what is locked is what an image built
 * from it can hold, and a scanner should rather over-report dev tools than miss them.
 * Entries without a version that point at a VCS checkout, a path or a file (`git`, `path`,
 * `file`, `editable`) are not releases of a registry package and are skipped deliberately.
 * JSON.parse is native and all-or-nothing: a corrupt file yields one located issue.
 */
import { errorMessage } from '../../../model/errors.js';
import {
  decodeDocument,
  isObject,
  type LockProblem,
  type LockRecord,
  type ParsedLock,
  PYTHON_NAME,
} from './records.js';

const SECTIONS = ['default', 'develop'] as const;
const NOT_FROM_A_REGISTRY = ['git', 'hg', 'svn', 'bzr', 'path', 'file', 'editable'];
const EXACT = /^===?\s*([A-Za-z0-9._+!-]+)$/;

export function parsePipfileLock(bytes: Buffer): ParsedLock {
  const records: LockRecord[] = [];
  const problems: LockProblem[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(decodeDocument(bytes, problems));
  } catch (err) {
    problems.push({ code: 'malformed-record', message: `not valid JSON: ${errorMessage(err)}` });
    return { records, problems };
  }
  if (!isObject(doc)) {
    problems.push({ code: 'malformed-record', message: 'not a JSON object' });
    return { records, problems };
  }
  for (const section of SECTIONS) {
    const entries = doc[section];
    if (entries === undefined) continue;
    if (!isObject(entries)) {
      problems.push({ code: 'invalid-field', message: `"${section}" is not an object` });
      continue;
    }
    for (const [name, entry] of Object.entries(entries)) {
      const result = readEntry(`${section}.${name}`, name, entry);
      if (result === undefined) continue;
      if ('code' in result) problems.push(result);
      else records.push(result);
    }
  }
  return { records, problems };
}

function readEntry(where: string, name: string, entry: unknown): LockRecord | LockProblem | undefined {
  if (!isObject(entry)) return { code: 'malformed-record', message: `${where} is not an object` };
  if (!PYTHON_NAME.test(name)) return { code: 'invalid-field', message: `${where}: not a PEP 508 name` };
  const version = entry.version;
  if (version === undefined) {
    if (NOT_FROM_A_REGISTRY.some((key) => key in entry)) return undefined;
    return { code: 'missing-field', message: `${where}: no version` };
  }
  const exact = typeof version === 'string' ? EXACT.exec(version.trim()) : null;
  if (!exact)
    return { code: 'invalid-field', message: `${where}: version ${JSON.stringify(version)} is not "==X"` };
  return { name, version: exact[1]! };
}
