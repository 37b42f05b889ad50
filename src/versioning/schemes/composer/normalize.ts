/*
 * Composer's VersionParser::normalize (composer/semver 3.x),
 * https://github.com/composer/semver/blob/main/src/VersionParser.php
 * It turns "v1.0.0-beta.5+foo" into "1.0.0.0-beta5", "1.x-dev" into
 * "1.9999999.9999999.9999999-dev" and "dev-main" into itself. PHP's PCRE runs on bytes here
 * (no /u), so \d and \s are ASCII and /i folds ASCII letters only, like JS regexes without /u.
 */

export type Normalized = { ok: true; normalized: string } | { ok: false; reason: string };

/** PCRE's \s without /u: space, \t, \n, \v, \f, \r (to be used inside a character class). */
const S = ' \\t\\n\\v\\f\\r';
/** PHP's trim() default characters. */
const PHP_TRIM = /^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g;
/**
 * PCRE's `$` also matches before a final newline; after the stability flag is cut off
 * ("1.0\n@dev") the version can end with one, so the later patterns allow it.
 */
const END = '\\n?$';
/** VersionParser::$modifierRegex: stability, its number, and a dev suffix. */
const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*)?)?([.-]?dev)?';

const ALIAS = new RegExp(`^([^,${S}]+) +as +([^,${S}]+)$`);
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const BUILD_METADATA = new RegExp(`^([^,+${S}]+)\\+[^${S}]+${END}`);
const CLASSICAL = new RegExp(`^v?([0-9]{1,5})(\\.[0-9]+)?(\\.[0-9]+)?(\\.[0-9]+)?${MODIFIER}${END}`, 'i');
const DATETIME = new RegExp(
  `^v?([0-9]{4}(?:[.:-]?[0-9]{2}){1,6}(?:[.:-]?[0-9]{1,3}){0,2})${MODIFIER}${END}`,
  'i',
);
// PCRE's `.` excludes only "\n"; JS's also excludes "\r", U+2028 and U+2029.
const DEV_SUFFIX = new RegExp(`^([^\\n]*?)[.-]?dev${END}`, 'i');
const NUMERIC_BRANCH = /^v?([0-9]+)(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?$/i;

/** VersionParser::expandStability. */
function expandStability(stability: string): string {
  const lower = stability.toLowerCase();
  const expanded: Readonly<Record<string, string>> = {
    a: 'alpha',
    b: 'beta',
    p: 'patch',
    pl: 'patch',
    rc: 'RC',
  };
  return expanded[lower] ?? lower;
}

/** VersionParser::normalizeBranch: "1.x" becomes "1.9999999.9999999.9999999-dev", others "dev-NAME". */
function normalizeBranch(name: string): string {
  const trimmed = name.replace(PHP_TRIM, '');
  const m = NUMERIC_BRANCH.exec(trimmed);
  if (!m) return `dev-${trimmed}`;
  const parts = [m[1], m[2] ?? '.x', m[3] ?? '.x', m[4] ?? '.x'].join('').replace(/[*X]/g, 'x');
  return `${parts.replaceAll('x', '9999999')}-dev`;
}

/** Appends the stability and dev suffix of a matched classical or date version. */
function withModifiers(version: string, stability = '', number = '', dev = ''): string {
  let out = version;
  if (stability !== '') {
    // Only the exact lower-case "stable" means "no suffix" (and drops a -dev too).
    if (stability === 'stable') return out;
    out += `-${expandStability(stability)}${number.replace(/^[.-]+/, '')}`;
  }
  return dev !== '' ? `${out}-dev` : out;
}

export function normalizeComposer(input: string): Normalized {
  const original = input.replace(PHP_TRIM, '');
  let version = ALIAS.exec(original)?.[1] ?? original;
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.slice(0, 4).toLowerCase() === 'dev-')
    return { ok: true, normalized: `dev-${version.slice(4)}` };
  version = BUILD_METADATA.exec(version)?.[1] ?? version;
  const classical = CLASSICAL.exec(version);
  if (classical) {
    const [, major, minor, patch, build, stability, number, dev] = classical;
    const numeric = `${major}${minor || '.0'}${patch || '.0'}${build || '.0'}`;
    return { ok: true, normalized: withModifiers(numeric, stability, number, dev) };
  }
  const date = DATETIME.exec(version);
  if (date) {
    const [, stamp = '', stability, number, dev] = date;
    return { ok: true, normalized: withModifiers(stamp.replace(/[^0-9]/g, '.'), stability, number, dev) };
  }
  const devSuffix = DEV_SUFFIX.exec(version);
  if (devSuffix) {
    // "1.x-dev" is a numeric branch and orderable; "feature-dev" would need a dev- prefix.
    const branch = normalizeBranch(devSuffix[1] ?? '');
    if (!branch.includes('dev-')) return { ok: true, normalized: branch };
  }
  return { ok: false, reason: `Invalid version string ${JSON.stringify(original)} (composer/semver)` };
}
