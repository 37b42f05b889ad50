/**
 * `META-INF/MANIFEST.MF`, main section only (the JAR File Specification, "JAR Manifest":
 * https://docs.oracle.com/en/java/javase/17/docs/specs/jar/jar.html#jar-manifest):
 * `Name: value` headers, names case-insensitive; lines end in CR LF, LF or CR; a line starting
 * with exactly one space continues the previous one (the space is dropped, no newline is
 * added: writers wrap at 72 bytes mid-word, even mid-character); the first empty line ends the main section (the
 * per-entry sections after it describe single classes). Pure, linear, never throws.
 */
import { isUtf8 } from 'node:buffer';

export interface Manifest {
  /** Main-section headers keyed by lowercase name; the last of a repeated header wins. */
  headers: Map<string, string>;
  problems: string[];
  invalidUtf8: boolean;
}

/** Lines longer than this are not a manifest a JVM wrote (the spec caps lines at 72 bytes). */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Works on bytes, decoding each header only after its continuation lines are joined: writers
 * wrap at 72 bytes, not characters, and split multi-byte UTF-8 sequences across lines (Maven
 * Central's maven-resolver-api 1.9.18 splits the `é` of a developer's name).
 */
export function parseManifest(bytes: Buffer): Manifest {
  const parts = new Map<string, Buffer[]>();
  const problems: string[] = [];
  let current: Buffer[] | undefined;
  let lineNumber = 0;
  for (const line of byteLines(bytes)) {
    lineNumber++;
    if (line.length === 0) {
      // A trailing newline at the end of the file is not the end of a section with more after it.
      if (parts.size > 0) break;
      continue;
    }
    if (line.length > MAX_LINE_BYTES) {
      problems.push(`line ${lineNumber}: longer than ${MAX_LINE_BYTES} bytes, skipped`);
      current = undefined;
    } else if (line[0] === 0x20) {
      if (current) current.push(line.subarray(1));
      else problems.push(`line ${lineNumber}: continuation line outside a header`);
    } else {
      const colon = line.indexOf(': ');
      const bare = colon === -1 && line[line.length - 1] === 0x3a ? line.length - 1 : colon;
      if (bare <= 0) {
        problems.push(`line ${lineNumber}: not "Name: value"`);
        current = undefined;
        continue;
      }
      current = [line.subarray(bare + 2)];
      parts.set(line.subarray(0, bare).toString('latin1').toLowerCase(), current);
    }
  }
  const headers = new Map<string, string>();
  let invalidUtf8 = false;
  for (const [name, value] of parts) {
    const joined = Buffer.concat(value);
    if (!isUtf8(joined)) invalidUtf8 = true;
    headers.set(name, joined.toString('utf8'));
  }
  return { headers, problems, invalidUtf8 };
}

/** Lines ending in CR LF, LF or CR, as views of `bytes`. */
function* byteLines(bytes: Buffer): Generator<Buffer> {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    yield bytes.subarray(start, i);
    if (byte === 0x0d && bytes[i + 1] === 0x0a) i++;
    start = i + 1;
  }
  if (start < bytes.length) yield bytes.subarray(start);
}

/** The trimmed value of the first present, non-empty header among `names` (lowercase). */
export function firstHeader(manifest: Manifest, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = manifest.headers.get(name)?.trim();
    if (value) return value;
  }
  return undefined;
}
