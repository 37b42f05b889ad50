/**
 * Purls of OS packages. The vendor namespace and the `distro=` qualifier come from the image's
 * OS, which an analyzer usually cannot know (os-release may sit in another layer), so analyzers
 * build a provisional purl with `os` undefined and `squash.ts` rebuilds it from the final OS.
 * Formats follow PURL-TYPES (https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst):
 * - deb: version includes the epoch (`pkg:deb/debian/attr@1:2.4.48-6?arch=amd64`);
 * - rpm: version is `version-release`, the epoch is the `epoch` qualifier;
 * - apk: version as apk writes it (`1.36.1-r15`).
 */
import type { OsRelease } from '../model/os.js';
import type { OsPackageType } from '../model/package.js';
import { formatPurl } from './purl.js';

export interface OsPurlInput {
  type: OsPackageType;
  name: string;
  /** The model's complete version (rpm `[epoch:]version-release`). */
  version: string;
  arch?: string;
  epoch?: number;
}

/** os-release `ID` → purl vendor namespace, where the two differ. */
const VENDOR_OF_ID: Readonly<Record<string, string>> = {
  rhel: 'redhat',
  ol: 'oracle',
  amzn: 'amazon',
  sles: 'suse',
  sled: 'suse',
  'sle-micro': 'suse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  'opensuse-leap-micro': 'opensuse',
};

/** Without a detected OS: the vendor that ships each format by default (rpm has none to assume). */
const DEFAULT_VENDOR: Readonly<Record<OsPackageType, string | undefined>> = {
  deb: 'debian',
  apk: 'alpine',
  rpm: undefined,
};

export function osPackagePurl(pkg: OsPurlInput, os: OsRelease | undefined): string {
  const namespace = os ? (VENDOR_OF_ID[os.id] ?? os.id) : DEFAULT_VENDOR[pkg.type];
  const qualifiers: Record<string, string | undefined> = { arch: pkg.arch, distro: distroQualifier(os) };
  let version = pkg.version;
  if (pkg.type === 'rpm' && pkg.epoch !== undefined) {
    qualifiers.epoch = String(pkg.epoch);
    version = stripEpoch(version);
  }
  return formatPurl({ type: pkg.type, namespace, name: pkg.name, version, qualifiers });
}

/** `debian-12`, `alpine-3.19.1`, `rhel-9.3`; the codename where there is no version (`debian-trixie`). */
export function distroQualifier(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  const version = os.versionId || os.codename;
  return version ? `${os.id}-${version}` : os.id;
}

function stripEpoch(version: string): string {
  const colon = version.indexOf(':');
  return colon > 0 && /^\d+$/.test(version.slice(0, colon)) ? version.slice(colon + 1) : version;
}
