import { isAsciiAlnumCode, isDigitCode, stripZeros } from '../../digits.js';
import type { ParseResult } from '../../scheme.js';
import { type Segment, segments } from './rpmvercmp.js';

/** An rpm EVR (`[epoch:]version[-release]`) with its parts pre-split for rpmvercmp(). */
export interface RpmVersion {
  /** Digits without leading zeros; '' is epoch 0 (also when the epoch is absent). */
  readonly epoch: string;
  readonly version: string;
  /** undefined when the input has no `-release`. */
  readonly release: string | undefined;
  readonly versionSegments: readonly Segment[];
  readonly releaseSegments: readonly Segment[] | undefined;
}

// rpmbuild's ALLOWED_CHARS_VERREL without the macro characters `%{}` (an unexpanded macro is
// not a version) — https://github.com/rpm-software-management/rpm/blob/rpm-4.18.0-release/build/rpmbuild_internal.h
const ALLOWED = '._+~^';

function checkPart(part: string, what: string): string | undefined {
  if (part.length === 0) return `${what} is empty`;
  for (let i = 0; i < part.length; i++) {
    if (!isAsciiAlnumCode(part.charCodeAt(i)) && !ALLOWED.includes(part[i] ?? '')) {
      return `invalid character ${JSON.stringify(part[i])} in ${what}`;
    }
  }
  // rpmCharCheck() in build/parsePreamble.c rejects "..", so no package can carry it.
  if (part.includes('..')) return `illegal sequence ".." in ${what}`;
  return undefined;
}

/**
 * Splits like rpm's parseEVR()/rpmverParse(): leading digits followed by `:` are the epoch, the
 * last `-` starts the release. The parts must be what rpmbuild accepts in Epoch, Version and
 * Release, because every installed or advertised package went through that check.
 */
export function parseRpm(input: string): ParseResult<RpmVersion> {
  let i = 0;
  while (i < input.length && isDigitCode(input.charCodeAt(i))) i++;
  let epoch = '';
  let rest = input;
  if (input[i] === ':') {
    if (i === 0) return { ok: false, reason: 'epoch is empty' };
    epoch = stripZeros(input.slice(0, i));
    rest = input.slice(i + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const release = hyphen >= 0 ? rest.slice(hyphen + 1) : undefined;
  const bad =
    checkPart(version, 'version') ?? (release === undefined ? undefined : checkPart(release, 'release'));
  if (bad !== undefined) return { ok: false, reason: bad };
  return {
    ok: true,
    value: {
      epoch,
      version,
      release,
      versionSegments: segments(version),
      releaseSegments: release === undefined ? undefined : segments(release),
    },
  };
}
