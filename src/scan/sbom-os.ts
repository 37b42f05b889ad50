/**
 * The OS of an SBOM input: the document's operating-system element (CycloneDX component of type
 * `operating-system`, SPDX package with `primaryPackagePurpose: OPERATING_SYSTEM`), else the
 * `distro=` qualifier of its OS package purls. Producers spell both their own way:
 * - Assay and Syft: name = os-release `ID`, version = `VERSION_ID`; `distro=debian-12`.
 * - Trivy: name = its OS family (`debian`, `redhat`, `amazon`, `opensuse.leap`…), version = the
 *   most precise release (`12.5`, `7.6.1810`); `distro=debian-12.5` for deb/rpm but only the
 *   version for apk (`distro=3.19.1`), with the vendor as the purl namespace.
 * Names are mapped back to os-release `ID`s, which is what the matcher keys on.
 */
import { familyOfId } from '../catalog/analyzers/os-release/identify.js';
import type { Location } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';

/** Trivy family names and purl vendor namespaces → os-release `ID`. */
const ID_OF_NAME: Readonly<Record<string, string>> = {
  redhat: 'rhel',
  amazon: 'amzn',
  oracle: 'ol',
  'opensuse.leap': 'opensuse-leap',
  'opensuse.tumbleweed': 'opensuse-tumbleweed',
  'opensuse-leap': 'opensuse-leap',
  opensuse: 'opensuse-leap',
  suse: 'sles',
  'suse linux enterprise server': 'sles',
  'suse linux enterprise micro': 'sle-micro',
  'cbl-mariner': 'mariner',
};

export interface OsHint {
  name: string;
  version?: string;
  prettyName?: string;
  codename?: string;
}

export function osFromHint(hint: OsHint, location: Location): OsRelease | undefined {
  const id = osId(hint.name);
  if (!id) return undefined;
  const version = hint.version ?? '';
  const os: OsRelease = {
    family: familyOfId(id),
    id,
    version,
    versionId: versionIdOf(id, version),
    name: hint.prettyName ?? id,
    location,
  };
  if (hint.prettyName) os.prettyName = hint.prettyName;
  if (hint.codename) os.codename = hint.codename;
  return os;
}

/**
 * From a purl `distro=` qualifier and namespace: `debian-12` / `alpine-3.19.1` / `rhel-9.3`
 * (Assay, Syft, Trivy for deb/rpm) or `3.19.1` with the vendor as namespace (Trivy for apk).
 */
export function osHintFromDistro(distro: string, namespace: string | undefined): OsHint | undefined {
  if (/^\d/.test(distro)) return namespace ? { name: namespace, version: distro } : undefined;
  const m = /^(.+?)-(\d[\w.+~-]*)$/.exec(distro);
  if (m) return { name: m[1]!, version: m[2]! };
  // `debian-trixie`: a codename where there is no version yet.
  const dash = distro.indexOf('-');
  if (dash > 0) return { name: distro.slice(0, dash), codename: distro.slice(dash + 1) };
  return { name: distro };
}

function osId(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  if (!lower) return undefined;
  return ID_OF_NAME[lower] ?? lower.replace(/\s+/g, '-');
}

/**
 * os-release `VERSION_ID` is Debian's major release (`12`) while Trivy writes the point release
 * (`12.5`, from /etc/debian_version): keep the major so `Debian:12` is the namespace either way.
 */
function versionIdOf(id: string, version: string): string {
  if (id === 'debian') return /^\d+/.exec(version)?.[0] ?? version;
  return version;
}
