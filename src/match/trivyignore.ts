/**
 * `.trivyignore`-style text: one vulnerability id per line, optionally followed by
 * `exp:YYYY-MM-DD` (https://aquasecurity.github.io/trivy/latest/docs/configuration/filtering/#trivyignore).
 * A block of `#` comment lines is the reason for the ids right below it, up to the next blank
 * line or comment block; an id without one gets a reason saying so (exceptions need a reason).
 */
import { AssayError } from '../model/errors.js';
import { type ExceptionEntry, isExceptionDate } from '../model/exception.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

function fail(path: string, line: number, message: string): never {
  throw new AssayError('invalid-input', `ignore file ${path}, line ${line}: ${message}`);
}

function entryOf(path: string, lineNo: number, words: string[], comment: string[]): ExceptionEntry {
  const [target = '', ...rest] = words;
  if (!ID.test(target)) fail(path, lineNo, `${JSON.stringify(target)} is not a vulnerability id`);
  const entry: ExceptionEntry = {
    kind: 'vulnerability',
    target,
    reason: comment.length > 0 ? comment.join(' ') : `(no reason given in ${path})`,
  };
  for (const word of rest) {
    const exp = /^exp:(.*)$/.exec(word);
    if (!exp)
      fail(
        path,
        lineNo,
        `unexpected ${JSON.stringify(word)} after ${target} (only exp:YYYY-MM-DD may follow an id)`,
      );
    const date = exp[1] ?? '';
    if (!isExceptionDate(date)) fail(path, lineNo, `exp:${date} is not a date (YYYY-MM-DD)`);
    entry.expires = date;
  }
  return entry;
}

export function parseTrivyIgnore(path: string, text: string): ExceptionEntry[] {
  const entries: ExceptionEntry[] = [];
  let comment: string[] = [];
  let inComment = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      comment = [];
      inComment = false;
      return;
    }
    if (line.startsWith('#')) {
      if (!inComment) comment = [];
      inComment = true;
      const words = line.replace(/^#+/, '').trim();
      if (words) comment.push(words);
      return;
    }
    inComment = false;
    // A trailing `# note` on an id line is a comment too.
    const [body = '', trailing] = line.split(/\s+#/, 2);
    const reason = trailing?.trim() ? [...comment, trailing.trim()] : comment;
    entries.push(entryOf(path, i + 1, body.trim().split(/\s+/), reason));
  });
  return entries;
}
