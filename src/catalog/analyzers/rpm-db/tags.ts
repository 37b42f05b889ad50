/**
 * The rpm header tags and data types this analyzer reads, in one table. Numbers are rpm's ABI
 * (https://github.com/rpm-software-management/rpm/blob/master/include/rpm/rpmtag.h, enums
 * `rpmTag_e` and `rpmTagType_e`); the type descriptions follow docs/manual/format.md there.
 */

/** `rpmTagType_e`: how the bytes of an index entry's data are laid out. */
export const RpmType = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  /** One NUL-terminated string; `count` must be 1. */
  STRING: 6,
  BIN: 7,
  /** `count` NUL-terminated strings back to back. */
  STRING_ARRAY: 8,
  /** Like STRING_ARRAY, one string per locale of the header's I18NTABLE. */
  I18NSTRING: 9,
} as const;
export type RpmTypeId = (typeof RpmType)[keyof typeof RpmType];

export const rpmTypeNames: Readonly<Record<number, string>> = {
  0: 'NULL',
  1: 'CHAR',
  2: 'INT8',
  3: 'INT16',
  4: 'INT32',
  5: 'INT64',
  6: 'STRING',
  7: 'BIN',
  8: 'STRING_ARRAY',
  9: 'I18NSTRING',
};

/** Bytes per item for the fixed-size types; the string types have none (NUL-terminated). */
export const fixedTypeSize: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 };

/**
 * Region tags. A header read from a package keeps its signed part as an "immutable region":
 * the first index entry carries one of these tags and points at a trailer entry whose negative
 * offset gives the region's size (docs/manual/hregions.md). Entries after the region
 * ("dribbles", added at install time) replace region entries with the same tag.
 */
export const REGION_TAGS: ReadonlySet<number> = new Set([61, 62, 63]); // HEADERIMAGE, HEADERSIGNATURES, HEADERIMMUTABLE
/** Tags below this are reserved for regions and the locale table; no package data lives there. */
export const FIRST_DATA_TAG = 100; // HEADERI18NTABLE

/** The package tags the catalog reads. */
export const RpmTag = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  /** 64-bit SIZE, written instead of SIZE for packages of 4 GiB and more. */
  LONGSIZE: 5009,
  MODULARITYLABEL: 5096,
} as const;
export type RpmTagId = (typeof RpmTag)[keyof typeof RpmTag];

const tagNames: ReadonlyMap<number, string> = new Map(
  Object.entries(RpmTag).map(([name, tag]) => [tag, name]),
);

/** `NAME (1000)`, or just the number for a tag outside the table. */
export function describeTag(tag: number): string {
  const name = tagNames.get(tag);
  return name === undefined ? String(tag) : `${name} (${tag})`;
}

/**
 * Sanity limits from rpm's lib/header.c (`hdrchkTags`, `hdrchkData`): at most 0xffff index
 * entries and 0x0fffffff bytes of data per header. A blob claiming more is rejected before
 * anything is read or allocated.
 */
export const HEADER_MAX_ENTRIES = 0xffff;
export const HEADER_MAX_DATA = 0x0fffffff;
