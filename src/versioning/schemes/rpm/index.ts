import { compareNormalized, type Order } from '../../digits.js';
import type { VersionScheme } from '../../scheme.js';
import { parseRpm, type RpmVersion } from './parse.js';
import { compareSegments } from './rpmvercmp.js';

export type { RpmVersion } from './parse.js';

/**
 * rpm.labelCompare() of python3-rpm 4.18: epochs (absent = 0), then versions, then releases,
 * each with rpmvercmp(); an absent release sorts below any release (compare_values() in
 * python/rpmmodule.c), which keeps the order total.
 */
function compareRpm(a: RpmVersion, b: RpmVersion): Order {
  const e = compareNormalized(a.epoch, b.epoch);
  if (e !== 0) return e;
  const v = compareSegments(a.versionSegments, b.versionSegments);
  if (v !== 0) return v;
  if (a.releaseSegments === undefined || b.releaseSegments === undefined) {
    if (a.releaseSegments === b.releaseSegments) return 0;
    return a.releaseSegments === undefined ? -1 : 1;
  }
  return compareSegments(a.releaseSegments, b.releaseSegments);
}

/** RPM package versions (Red Hat, Rocky, Alma, SUSE, Photon, ...); see README.md. */
export const rpm = {
  id: 'rpm',
  reference: 'python3-rpm 4.18 rpm.labelCompare()',
  parse: parseRpm,
  compare: compareRpm,
} satisfies VersionScheme<RpmVersion>;
