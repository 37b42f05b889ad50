import type { ParseResult, VersionScheme } from '../../scheme.js';

/*
 * NuGet versions: SemVer 2.0.0 with up to four numeric parts, as documented in
 * https://learn.microsoft.com/en-us/nuget/concepts/package-versioning and implemented by
 * NuGet.Versioning (NuGetVersion.TryParse, VersionComparer.Default),
 * https://github.com/NuGet/NuGet.Client/tree/dev/src/NuGet.Core/NuGet.Versioning
 * No NuGet tool runs on this machine; the README lists the documented facts the tests encode.
 */

export interface NuGetVersion {
  /** Major, minor, patch and revision; missing parts are 0, so 1.0 == 1.0.0 == 1.0.0.0. */
  readonly parts: readonly [number, number, number, number];
  /** Dot-separated prerelease labels; empty for a release. */
  readonly labels: readonly string[];
}

type Order = -1 | 0 | 1;

/** .NET String.Trim() removes Char.IsWhiteSpace characters (not U+FEFF, unlike JS trim()). */
const DOTNET_SPACE = '[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${DOTNET_SPACE}+|${DOTNET_SPACE}+$`, 'g');
/** The version part ends at the first "-" or "+"; labels run to the first "+"; metadata follows. */
const SECTIONS = /^(?<version>[^+-]+)(?:-(?<labels>[^+]+))?(?:\+(?<metadata>.+))?$/s;
const INT32_MAX = 2147483647;
/** SemVer identifiers: ASCII letters, digits and hyphens, never empty. */
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

function invalid(reason: string): ParseResult<NuGetVersion> {
  return { ok: false, reason };
}

export function parseNuGet(input: string): ParseResult<NuGetVersion> {
  const sections = SECTIONS.exec(input.replace(TRIM, ''))?.groups;
  if (!sections?.version)
    return invalid('not a NuGet version (expected 1 to 4 numbers, then -labels and +metadata)');
  const numbers = sections.version.split('.');
  if (numbers.length > 4) return invalid('more than four version numbers');
  const parts: [number, number, number, number] = [0, 0, 0, 0];
  for (const [i, digits] of numbers.entries()) {
    // Leading zeros are allowed and dropped ("1.01" is 1.1), but each number is a .NET Int32.
    if (!/^[0-9]+$/.test(digits)) return invalid(`version number ${JSON.stringify(digits)} is not a number`);
    const value = Number(digits);
    if (value > INT32_MAX) return invalid(`version number ${digits} is larger than ${INT32_MAX}`);
    parts[i] = value;
  }
  const labels = sections.labels?.split('.') ?? [];
  for (const label of labels) {
    if (!IDENTIFIER.test(label))
      return invalid(`prerelease label ${JSON.stringify(label)} is not [0-9A-Za-z-]+`);
    if (/^0[0-9]+$/.test(label)) return invalid(`numeric prerelease label ${label} has a leading zero`);
  }
  // Build metadata is validated (leading zeros allowed) and then ignored by comparisons.
  for (const part of sections.metadata?.split('.') ?? []) {
    if (!IDENTIFIER.test(part))
      return invalid(`build metadata part ${JSON.stringify(part)} is not [0-9A-Za-z-]+`);
  }
  return { ok: true, value: { parts, labels } };
}

/** VersionComparer.CompareRelease treats a label as a number when .NET's int.TryParse accepts it. */
function labelNumber(label: string): number | undefined {
  if (!/^-?[0-9]+$/.test(label)) return undefined;
  const value = Number(label);
  return value >= -INT32_MAX - 1 && value <= INT32_MAX ? value : undefined;
}

function compareNumbers(a: number, b: number): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Numeric labels sort numerically and before alphanumeric ones; others compare with
 * StringComparer.OrdinalIgnoreCase (upper-cased UTF-16 units, then length). A label too large
 * for an Int32 is not numeric to NuGet and compares as text.
 */
function compareLabel(a: string, b: string): Order {
  const x = labelNumber(a);
  const y = labelNumber(b);
  if (x !== undefined && y !== undefined) return compareNumbers(x, y);
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function compareNuGet(a: NuGetVersion, b: NuGetVersion): Order {
  for (let i = 0; i < 4; i++) {
    const c = compareNumbers(a.parts[i]!, b.parts[i]!);
    if (c !== 0) return c;
  }
  // A release sorts after all of its prereleases.
  const aRelease = a.labels.length === 0;
  const bRelease = b.labels.length === 0;
  if (aRelease || bRelease) return aRelease === bRelease ? 0 : aRelease ? 1 : -1;
  const n = Math.max(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const l = a.labels[i];
    const r = b.labels[i];
    if (l === undefined) return -1;
    if (r === undefined) return 1;
    const c = compareLabel(l, r);
    if (c !== 0) return c;
  }
  return 0;
}

export const nuget = {
  id: 'nuget',
  reference: 'NuGet.Versioning VersionComparer.Default (documented rules; no NuGet tool here)',
  parse: parseNuGet,
  compare: compareNuGet,
} satisfies VersionScheme<NuGetVersion>;
