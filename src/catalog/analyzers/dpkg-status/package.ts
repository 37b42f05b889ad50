/**
 * dpkg stanza → Package. Which stanzas are packages on disk is decided here, deliberately:
 * dpkg's `Status: <want> <flag> <state>` (dpkg(1) "Package states") says whether the files are
 * present. They are for `installed`, `triggers-pending`, `triggers-awaited` (configured except
 * for triggers), `half-configured` and `unpacked` (files unpacked, configuration not finished)
 * and `half-installed` (an install or removal that stopped midway: some files may be there). A
 * scanner must not miss code that is on disk, so all of those are reported, with the state kept
 * in `metadata.status`. `not-installed` and `config-files` (only conffiles left) are not
 * packages. The want (`deinstall`, `purge`, `hold`) and the flag (`reinstreq`) do not change
 * what is on disk and are ignored.
 * Licences are not in the status database (they live in /usr/share/doc/<pkg>/copyright, whose
 * machine-readable form is optional); reading them is out of scope, so `licenses` stays empty.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { osPackagePurl } from '../../os-purl.js';
import type { Stanza } from './parse.js';

const ON_DISK = new Set([
  'installed',
  'triggers-pending',
  'triggers-awaited',
  'half-configured',
  'unpacked',
  'half-installed',
]);
const NOT_ON_DISK = new Set(['not-installed', 'config-files']);

export type StanzaVerdict =
  | { kind: 'package'; pkg: Package }
  | { kind: 'not-installed' }
  | { kind: 'invalid'; code: 'missing-field' | 'invalid-field'; message: string };

/** `statusRequired`: the main database always has `Status`; distroless status.d files may not. */
export function stanzaToPackage(stanza: Stanza, location: Location, statusRequired: boolean): StanzaVerdict {
  const get = (name: string): string | undefined => stanza.fields.get(name) || undefined;
  const name = get('package');
  if (!name) return { kind: 'invalid', code: 'missing-field', message: 'stanza without Package' };
  const status = get('status');
  const state = status?.split(/\s+/)[2];
  if (status && (!state || !(ON_DISK.has(state) || NOT_ON_DISK.has(state)))) {
    return {
      kind: 'invalid',
      code: 'invalid-field',
      message: `${name}: unknown Status ${JSON.stringify(status)}`,
    };
  }
  if (state && NOT_ON_DISK.has(state)) return { kind: 'not-installed' };
  if (!status && statusRequired)
    return { kind: 'invalid', code: 'missing-field', message: `${name}: no Status` };
  const version = get('version');
  if (!version) return { kind: 'invalid', code: 'missing-field', message: `${name}: no Version` };
  return { kind: 'package', pkg: buildPackage(name, version, stanza, location) };
}

function buildPackage(name: string, version: string, stanza: Stanza, location: Location): Package {
  const arch = stanza.fields.get('architecture') || undefined;
  const pkg: Package = {
    id: packageId('deb', name, version, location.path, arch),
    type: 'deb',
    name,
    version,
    purl: osPackagePurl({ type: 'deb', name, version, arch }, undefined),
    source: sourceOf(stanza.fields.get('source'), name, version),
    licenses: [],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
    metadata: metadataOf(stanza),
  };
  if (arch) pkg.arch = arch;
  return pkg;
}

/** `Source: openssl (3.0.11-1~deb12u2)` or `Source: openssl`; absent = the binary's own name and version. */
export function sourceOf(field: string | undefined, name: string, version: string): Package['source'] {
  if (!field) return { name, version };
  const open = field.indexOf('(');
  if (open === -1) return { name: field.trim(), version };
  const close = field.indexOf(')', open);
  const sourceVersion = field.slice(open + 1, close === -1 ? undefined : close).trim();
  return { name: field.slice(0, open).trim() || name, version: sourceVersion || version };
}

function metadataOf(stanza: Stanza): Package['metadata'] {
  const metadata: NonNullable<Package['metadata']> = { kind: 'deb' };
  const multiArch = stanza.fields.get('multi-arch');
  const status = stanza.fields.get('status');
  const maintainer = stanza.fields.get('maintainer');
  const size = Number.parseInt(stanza.fields.get('installed-size') ?? '', 10);
  if (multiArch) metadata.multiArch = multiArch;
  if (status) metadata.status = status;
  if (maintainer) metadata.maintainer = maintainer;
  if (Number.isSafeInteger(size) && size >= 0) metadata.installedSize = size;
  return metadata;
}
