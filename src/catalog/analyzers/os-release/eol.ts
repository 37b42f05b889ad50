/**
 * End-of-life lookups against `eol-data.ts`. Applied at scan time (never cached with a layer's
 * result): the same image becomes end-of-life when the date passes, without being re-read.
 */
import type { OsRelease } from '../../../model/os.js';
import { centosStream, EOL_DATA, type EolTable, ROLLING } from './eol-data.js';

type EolSubject = Pick<OsRelease, 'family' | 'id' | 'versionId' | 'name'>;

/** `YYYY-MM-DD` when security support ends or ended; undefined when rolling or unknown. */
export function eolDateOf(os: EolSubject): string | undefined {
  const table = tableOf(os);
  if (!table || !os.versionId) return undefined;
  for (const cycle of cyclesOf(os.versionId)) {
    const date = table[cycle];
    if (date) return date;
  }
  return undefined;
}

/** True from the EOL date on; false for rolling releases; undefined when the release is unknown. */
export function isEol(os: EolSubject, today: Date): boolean | undefined {
  if (isRolling(os)) return false;
  const date = eolDateOf(os);
  return date === undefined ? undefined : isoDay(today) >= date;
}

/** `os` with `eol` and `eolDate` set from the table (left unset when unknown). */
export function withEol(os: OsRelease, today: Date): OsRelease {
  const { eol: _eol, eolDate: _eolDate, ...rest } = os;
  const eol = isEol(os, today);
  const eolDate = eolDateOf(os);
  return {
    ...rest,
    ...(eol === undefined ? {} : { eol }),
    ...(eolDate === undefined ? {} : { eolDate }),
  };
}

function isRolling(os: EolSubject): boolean {
  return ROLLING.has(os.family) || os.id === 'opensuse-tumbleweed';
}

function tableOf(os: EolSubject): EolTable | undefined {
  if (os.family === 'centos' && /stream/i.test(os.name)) return centosStream;
  return EOL_DATA[os.family];
}

/** `3.19.1` → `3.19.1`, `3.19`, `3`: the most specific cycle the table knows wins. */
function cyclesOf(versionId: string): string[] {
  const parts = versionId.split('.');
  const cycles = [versionId];
  if (parts.length > 2) cycles.push(`${parts[0]}.${parts[1]}`);
  if (parts.length > 1) cycles.push(parts[0]!);
  return cycles;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
