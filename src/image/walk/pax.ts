/**
 * PAX extended header records: `"%d %s=%s\n"`, the length counting the whole record.
 * https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html#tag_20_94_13_03
 */

/** The keywords that change what we report; the rest (xattrs, atime, uname…) are ignored. */
export interface PaxFields {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
}

export type PaxResult = { ok: true; fields: PaxFields } | { ok: false; reason: string };

const SPACE = 0x20;
const NEWLINE = 0x0a;
const EQUALS = 0x3d;

export function parsePax(data: Buffer): PaxResult {
  const fields: PaxFields = {};
  let pos = 0;
  while (pos < data.length) {
    // Some writers pad the data with NULs after the last record.
    if (data[pos] === 0) break;
    const space = data.indexOf(SPACE, pos);
    if (space < 0) return { ok: false, reason: `record at byte ${pos} has no length` };
    const length = Number(data.toString('latin1', pos, space));
    const end = pos + length;
    if (
      !Number.isInteger(length) ||
      length <= space - pos ||
      end > data.length ||
      data[end - 1] !== NEWLINE
    ) {
      return { ok: false, reason: `record at byte ${pos} has a bad length` };
    }
    const equals = data.indexOf(EQUALS, space + 1);
    if (equals < 0 || equals >= end) return { ok: false, reason: `record at byte ${pos} has no "="` };
    const problem = applyRecord(fields, data.toString('utf8', space + 1, equals), data, equals + 1, end - 1);
    if (problem) return { ok: false, reason: problem };
    pos = end;
  }
  return { ok: true, fields };
}

function applyRecord(
  fields: PaxFields,
  key: string,
  data: Buffer,
  start: number,
  end: number,
): string | undefined {
  switch (key) {
    case 'path':
      fields.path = data.toString('utf8', start, end);
      return undefined;
    case 'linkpath':
      fields.linkpath = data.toString('utf8', start, end);
      return undefined;
    case 'size':
    case 'uid':
    case 'gid': {
      const value = decimal(data.toString('latin1', start, end));
      if (value === undefined) return `"${key}" is not a decimal number`;
      fields[key] = value;
      return undefined;
    }
    case 'mtime': {
      // Seconds with an optional fraction, possibly negative (before 1970).
      const value = Number(data.toString('latin1', start, end));
      if (Number.isFinite(value)) fields.mtime = value;
      return undefined;
    }
    default:
      return undefined;
  }
}

function decimal(text: string): number | undefined {
  if (!/^\d{1,16}$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
