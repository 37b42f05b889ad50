/**
 * Typed reads of validated header entries. A tag stored with a type its definition does not
 * allow (rpmtag.h gives each tag one type) is an `invalid-field` error naming tag and type,
 * never a guess.
 */
import type { HeaderEntry, ParsedHeader } from './header.js';
import { RpmDbFormatError } from './problems.js';
import { describeTag, RpmType, rpmTypeNames } from './tags.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The string value of a STRING tag, or the first (untranslated) string of an I18NSTRING tag,
 * which is what rpm returns when no locale matches. Undefined when the tag is absent.
 */
export function headerString(header: ParsedHeader, tag: number): string | undefined {
  const entry = header.entries.get(tag);
  if (entry === undefined) return undefined;
  if (entry.type !== RpmType.STRING && entry.type !== RpmType.I18NSTRING) throw wrongType(entry, 'STRING');
  const end = header.store.indexOf(0, entry.offset);
  return decodeText(header.store.subarray(entry.offset, end));
}

/** The first value of an integer tag (INT8/16/32 unsigned, INT64 when it fits a double exactly). */
export function headerNumber(header: ParsedHeader, tag: number): number | undefined {
  const entry = header.entries.get(tag);
  if (entry === undefined) return undefined;
  const store = header.store;
  switch (entry.type) {
    case RpmType.CHAR:
    case RpmType.INT8:
      return store.readUInt8(entry.offset);
    case RpmType.INT16:
      return store.readUInt16BE(entry.offset);
    case RpmType.INT32:
      return store.readUInt32BE(entry.offset);
    case RpmType.INT64: {
      const value = store.readBigUInt64BE(entry.offset);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new RpmDbFormatError('invalid-field', `tag ${describeTag(tag)}: ${value} is too large`);
      }
      return Number(value);
    }
    default:
      throw wrongType(entry, 'an integer type');
  }
}

/**
 * rpm writes strings as UTF-8; headers built before that rule (and some vendors' fields) carry
 * Latin-1, which is decoded as such rather than as replacement characters.
 */
function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

function wrongType(entry: HeaderEntry, expected: string): RpmDbFormatError {
  const actual = rpmTypeNames[entry.type] ?? String(entry.type);
  return new RpmDbFormatError(
    'invalid-field',
    `tag ${describeTag(entry.tag)} has type ${actual}, expected ${expected}`,
  );
}
