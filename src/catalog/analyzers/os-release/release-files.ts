/**
 * The release files older than os-release, read only when a layer has no os-release:
 * `/etc/lsb-release` (LSB, same KEY=VALUE syntax), `/etc/redhat-release` (one line,
 * "<name> release <version> (<codename>)"), `/etc/alpine-release` and `/etc/debian_version`
 * (one version line). Each yields what it can say, or undefined.
 */
import { familyOfId, type OsFacts, parenthesised, withoutParenthesised } from './identify.js';

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return (newline === -1 ? text : text.slice(0, newline)).trim();
}

/** `3.19.1`, also edge's `3.21.0_alpha20240807`. */
export function factsFromAlpineRelease(text: string): OsFacts | undefined {
  const version = firstLine(text);
  if (!/^\d+\.\d+/.test(version)) return undefined;
  return { family: 'alpine', id: 'alpine', version, versionId: version, name: 'Alpine Linux' };
}

/** `12.5` (a release: os-release's VERSION_ID is the major) or `trixie/sid` (testing, unstable). */
export function factsFromDebianVersion(text: string): OsFacts | undefined {
  const version = firstLine(text);
  const base = { family: 'debian', id: 'debian', name: 'Debian GNU/Linux' } as const;
  if (/^\d+(\.\d+)*$/.test(version)) return { ...base, version, versionId: version.split('.')[0]! };
  if (/^[a-z]+\/sid$/.test(version))
    return { ...base, version, versionId: '', codename: version.split('/')[0]! };
  return undefined;
}

/** Product names as they begin /etc/redhat-release, most specific first, with their os-release ID. */
const REDHAT_PRODUCTS: ReadonlyArray<readonly [prefix: string, id: string]> = [
  ['Red Hat Enterprise Linux', 'rhel'],
  ['CentOS', 'centos'],
  ['Rocky Linux', 'rocky'],
  ['AlmaLinux', 'almalinux'],
  ['Oracle Linux', 'ol'],
  ['Fedora', 'fedora'],
  ['Amazon Linux', 'amzn'],
];

/** `CentOS Linux release 7.9.2009 (Core)`, `Red Hat Enterprise Linux release 8.9 (Ootpa)`. */
export function factsFromRedhatRelease(text: string): OsFacts | undefined {
  const line = firstLine(text);
  const at = line.indexOf(' release ');
  if (at <= 0) return undefined;
  const name = line.slice(0, at).trim();
  const rest = line.slice(at + ' release '.length);
  const version = withoutParenthesised(rest).split(/\s/)[0] ?? '';
  if (!/^\d/.test(version)) return undefined;
  const id = REDHAT_PRODUCTS.find(([prefix]) => name.startsWith(prefix))?.[1] ?? 'other';
  // CentOS's os-release VERSION_ID is the major alone (`7` for 7.9.2009); the rebuilds keep major.minor.
  const versionId = id === 'centos' ? version.split('.')[0]! : version;
  const facts: OsFacts = { family: familyOfId(id), id, version, versionId, name };
  const codename = parenthesised(rest);
  if (codename) facts.codename = codename;
  return facts;
}

/** LSB's `DISTRIB_ID`/`DISTRIB_RELEASE`/`DISTRIB_CODENAME`/`DISTRIB_DESCRIPTION`. */
export function factsFromLsbRelease(fields: ReadonlyMap<string, string>): OsFacts | undefined {
  const distrib = fields.get('DISTRIB_ID');
  if (!distrib) return undefined;
  const id = distrib.toLowerCase();
  const versionId = fields.get('DISTRIB_RELEASE') ?? '';
  const facts: OsFacts = { family: familyOfId(id), id, version: versionId, versionId, name: distrib };
  const codename = fields.get('DISTRIB_CODENAME');
  const description = fields.get('DISTRIB_DESCRIPTION');
  if (codename) facts.codename = codename;
  if (description) facts.prettyName = description;
  return facts;
}
