/**
 * From os-release fields to an OS: `ID` → family, with the cases where `ID` alone misleads
 * (distroless images say `ID=debian`; CentOS Stream says `ID=centos`). Defaults per the
 * os-release spec: `NAME=Linux`, `ID=linux` when absent.
 */
import type { OsFamily, OsRelease } from '../../../model/os.js';

/** An OS before it is tied to a file. */
export type OsFacts = Omit<OsRelease, 'location' | 'eol' | 'eolDate'>;

const FAMILY_OF_ID: Readonly<Record<string, OsFamily>> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  rhel: 'rhel',
  centos: 'centos',
  rocky: 'rocky',
  almalinux: 'almalinux',
  ol: 'oracle',
  amzn: 'amazon',
  fedora: 'fedora',
  sles: 'sles',
  sled: 'sles',
  'sle-micro': 'sles',
  opensuse: 'opensuse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  'opensuse-leap-micro': 'opensuse',
  photon: 'photon',
  azurelinux: 'azurelinux',
  mariner: 'mariner',
};

export function familyOfId(id: string): OsFamily {
  return FAMILY_OF_ID[id] ?? 'other';
}

export function factsFromOsRelease(fields: ReadonlyMap<string, string>): OsFacts {
  const id = (fields.get('ID') || 'linux').toLowerCase();
  const name = fields.get('NAME') || 'Linux';
  const versionId = fields.get('VERSION_ID') ?? '';
  const rawVersion = fields.get('VERSION') ?? '';
  const prettyName = fields.get('PRETTY_NAME');
  const codename = codenameOf(fields, rawVersion);
  const idLike = (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean);
  const facts: OsFacts = {
    family: isDistroless(id, fields) ? 'distroless' : familyOfId(id),
    id,
    version: versionOf(rawVersion, name) || versionId,
    versionId,
    name,
  };
  if (idLike.length > 0) facts.idLike = idLike;
  if (codename) facts.codename = codename;
  if (prettyName) facts.prettyName = prettyName;
  return facts;
}

/** `12 (bookworm)` → `12`; distroless's `Debian GNU/Linux 12 (bookworm)` → `12` too. */
function versionOf(rawVersion: string, name: string): string {
  const version = withoutParenthesised(rawVersion);
  return version.startsWith(`${name} `) ? version.slice(name.length + 1).trim() : version;
}

/**
 * `VERSION_CODENAME` when the file has the key, even empty (Fedora sets `VERSION_CODENAME=""`
 * and `VERSION="39 (Container Image)"`: the parenthesis is a variant, not a codename); else
 * Ubuntu's own key; else the parenthesis of `VERSION` (RHEL's `9.3 (Plow)`, older Debians).
 */
function codenameOf(fields: ReadonlyMap<string, string>, rawVersion: string): string | undefined {
  if (fields.has('VERSION_CODENAME')) return fields.get('VERSION_CODENAME') || undefined;
  return fields.get('UBUNTU_CODENAME') || parenthesised(rawVersion);
}

/**
 * Google's distroless images ship a Debian os-release with `PRETTY_NAME="Distroless"` and the
 * distroless project as `HOME_URL` (https://github.com/GoogleContainerTools/distroless).
 */
function isDistroless(id: string, fields: ReadonlyMap<string, string>): boolean {
  if (id !== 'debian') return false;
  return fields.get('PRETTY_NAME') === 'Distroless' || /\/distroless\b/.test(fields.get('HOME_URL') ?? '');
}

/** Splits `12 (bookworm)` into `12` and `bookworm` (no regex: values come from the image, keep it linear). */
function splitParenthesised(text: string): { before: string; inside?: string } {
  const trimmed = text.trim();
  const open = trimmed.lastIndexOf('(');
  if (!trimmed.endsWith(')') || open === -1) return { before: trimmed };
  return { before: trimmed.slice(0, open).trim(), inside: trimmed.slice(open + 1, -1).trim() || undefined };
}

/** `12 (bookworm)` → `bookworm`. */
export function parenthesised(text: string): string | undefined {
  return splitParenthesised(text).inside;
}

/** `12 (bookworm)` → `12`; `22.04.3 LTS (Jammy Jellyfish)` → `22.04.3 LTS`. */
export function withoutParenthesised(text: string): string {
  return splitParenthesised(text).before;
}
