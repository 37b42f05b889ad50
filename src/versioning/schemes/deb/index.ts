import type { VersionScheme } from '../../scheme.js';
import { compareDeb } from './compare.js';
import { type DebVersion, parseDeb } from './parse.js';

export type { DebVersion } from './parse.js';

/** Debian and Ubuntu package versions; see README.md for the rules and sources. */
export const deb = {
  id: 'deb',
  reference: 'dpkg --compare-versions (dpkg 1.21)',
  parse: parseDeb,
  compare: compareDeb,
} satisfies VersionScheme<DebVersion>;
