/**
 * `poetry.lock` (https://python-poetry.org/docs/basic-usage/#installing-with-poetrylock): TOML
 * with one `[[package]]` table per locked release (`name`, `version`, and `category`/`groups`,
 * `optional`, `[package.source]`, …), all of which are read: every group can end up installed.
 * A file TOML rejects (truncated, hand-edited) is still worth something: after one located
 * issue, its `[[package]]` tables are read line by line for their `name` and `version`.
 */
import { parse, TomlError } from 'smol-toml';
import { errorMessage } from '../../../model/errors.js';
import { splitLines } from '../../text-lines.js';
import {
  decodeDocument,
  isObject,
  type LockProblem,
  type LockRecord,
  type ParsedLock,
  PYTHON_NAME,
} from './records.js';

/** poetry.lock nests three tables deep; anything far deeper is hostile. */
const MAX_TOML_DEPTH = 32;

export function parsePoetryLock(bytes: Buffer): ParsedLock {
  const problems: LockProblem[] = [];
  const text = decodeDocument(bytes, problems);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text, { maxDepth: MAX_TOML_DEPTH });
  } catch (err) {
    const line = err instanceof TomlError && err.line > 0 ? err.line : undefined;
    const message = `not valid TOML (${errorMessage(err).split('\n')[0]}); [[package]] tables read line by line`;
    problems.push(
      line === undefined
        ? { code: 'malformed-record', message }
        : { code: 'malformed-record', message, line },
    );
    return { records: scanPackages(bytes), problems };
  }
  const list = doc.package;
  const records: LockRecord[] = [];
  if (list === undefined) return { records, problems };
  if (!Array.isArray(list)) {
    problems.push({ code: 'invalid-field', message: '"package" is not an array of tables' });
    return { records, problems };
  }
  list.forEach((entry: unknown, index) => {
    const where = `package #${index + 1}`;
    if (!isObject(entry)) {
      problems.push({ code: 'malformed-record', message: `${where} is not a table` });
      return;
    }
    const { name, version } = entry;
    if (typeof name !== 'string' || typeof version !== 'string' || version === '') {
      problems.push({ code: 'missing-field', message: `${where}: no string name and version` });
    } else if (!PYTHON_NAME.test(name) || /\s/.test(version)) {
      problems.push({
        code: 'invalid-field',
        message: `${where}: ${JSON.stringify(name)} ${JSON.stringify(version)}`,
      });
    } else {
      records.push({ name, version });
    }
  });
  return { records, problems };
}

const TABLE = /^\s*\[/;
const KEY = /^\s*(name|version)\s*=\s*"([^"\\]*)"\s*(#.*)?$/;

/** The fallback: `name = "…"` and `version = "…"` directly under each `[[package]]` header. */
function scanPackages(bytes: Buffer): LockRecord[] {
  const records: LockRecord[] = [];
  let current: { line: number; name?: string; version?: string } | undefined;
  const flush = (): void => {
    if (current?.name && current.version && PYTHON_NAME.test(current.name) && !/\s/.test(current.version)) {
      records.push({ name: current.name, version: current.version, line: current.line });
    }
    current = undefined;
  };
  for (const line of splitLines(bytes)) {
    if (line.problem && line.problem !== 'invalid-utf8') continue;
    if (TABLE.test(line.text)) {
      flush();
      if (line.text.trim() === '[[package]]') current = { line: line.number };
      continue;
    }
    const match = current ? KEY.exec(line.text) : null;
    if (current && match) current[match[1] === 'name' ? 'name' : 'version'] = match[2];
  }
  flush();
  return records;
}
