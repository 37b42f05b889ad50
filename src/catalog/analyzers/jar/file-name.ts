/**
 * Name and version from an archive's file name, the last resort when neither pom.properties nor
 * the manifest says them. Maven names artifacts `<artifactId>-<version>[-<classifier>].<ext>`,
 * and both halves may contain `-` and digits: `guava-31.1-jre`, `foo-bar-1.2.3-SNAPSHOT`,
 * `log4j-1.2-api-2.17.1`, `foo-1.0-20230101.123456-1` (a timestamped snapshot). The version
 * starts at the first `-`-separated segment that begins with a digit, unless a later segment
 * that begins with a letter is itself followed by one beginning with a digit: then that letter
 * segment belongs to the name (`log4j-1.2-api` is a name; `jre` in `31.1-jre` is a qualifier).
 */

/** Archive extensions the analyzer opens: Java EE/Jakarta (jar, war, ear), JBoss (par), Jenkins plugins (jpi, hpi). */
export const ARCHIVE_EXTENSIONS: readonly string[] = ['.jar', '.war', '.ear', '.par', '.jpi', '.hpi'];

export function isArchiveName(path: string): boolean {
  const lower = path.toLowerCase();
  const dot = lower.lastIndexOf('.');
  if (dot <= lower.lastIndexOf('/') + 1) return false;
  return ARCHIVE_EXTENSIONS.includes(lower.slice(dot));
}

export interface NameVersion {
  name: string;
  version: string;
}

/** `commons-lang3-3.12.0.jar` → commons-lang3 3.12.0; `plexus-utils.jar` → plexus-utils, no version. */
export function nameFromFileName(path: string): NameVersion | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  if (stem === '') return undefined;
  const segments = stem.split('-');
  const startsWithDigit = segments.map((s) => /^[0-9]/.test(s));
  // lastNameSegment: the last letter segment that a digit segment follows (it ends the name).
  let lastNameSegment = 0;
  let sawDigitAfter = false;
  for (let i = segments.length - 1; i >= 1; i--) {
    if (startsWithDigit[i]) sawDigitAfter = true;
    else if (sawDigitAfter) {
      lastNameSegment = i;
      break;
    }
  }
  for (let i = Math.max(1, lastNameSegment + 1); i < segments.length; i++) {
    if (!startsWithDigit[i]) continue;
    const name = segments.slice(0, i).join('-');
    if (name !== '') return { name, version: segments.slice(i).join('-') };
  }
  return { name: stem, version: '' };
}
