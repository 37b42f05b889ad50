/**
 * `META-INF/maven/<groupId>/<artifactId>/pom.properties`, written by Maven's archiver
 * (https://maven.apache.org/shared/maven-archiver/#pom-properties-content): a Java properties
 * file with `groupId`, `artifactId` and `version`. Read with the rules of
 * `java.util.Properties.load` that such files use
 * (https://docs.oracle.com/javase/8/docs/api/java/util/Properties.html#load-java.io.Reader-):
 * `#`/`!` comments, `=`, `:` or white space between key and value, a trailing backslash joins
 * the next line, and `\t \n \uXXXX` style escapes. Properties files are ISO 8859-1 by the spec;
 * Maven writes ASCII, so bytes are read as UTF-8 when valid and as Latin-1 otherwise.
 */
import { isUtf8 } from 'node:buffer';

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

export function parseProperties(bytes: Buffer): Map<string, string> {
  const text = bytes.toString(isUtf8(bytes) ? 'utf8' : 'latin1');
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').trimStart();
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    // An odd number of trailing backslashes continues the line (parts joined once: linear).
    const parts: string[] = [];
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      parts.push(line.slice(0, -1));
      i++;
      line = (lines[i] ?? '').trimStart();
    }
    parts.push(line);
    const split = splitKey(parts.join(''));
    out.set(unescapeProperty(split.key), unescapeProperty(split.value));
  }
  return out;
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

function splitKey(line: string): { key: string; value: string } {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') {
      let rest = line.slice(i).replace(/^[ \t\f]*/, '');
      if (rest[0] === '=' || rest[0] === ':') rest = rest.slice(1).replace(/^[ \t\f]*/, '');
      return { key: line.slice(0, i), value: rest };
    }
  }
  return { key: line, value: '' };
}

function unescapeProperty(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\(u[0-9a-fA-F]{4}|.?)/g, (_, seq: string) => {
    if (seq.length === 5) return String.fromCharCode(Number.parseInt(seq.slice(1), 16));
    return ESCAPES[seq] ?? seq;
  });
}
