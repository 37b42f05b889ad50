/**
 * Go build info → Packages: the main module (`go-module`), every `dep` (`go-module`, under its
 * replacement's path and version when replaced), and the toolchain as `stdlib` (`go-stdlib`).
 * purl: `pkg:golang/<module path>@<version>`, the path's last segment as the name and the rest
 * as the namespace (PURL-TYPES "golang": https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst).
 * Go's own marker for "no version" is `(devel)` (a main module built from a checkout, a local
 * directory replacement); it is kept as the version so it is visible, and left out of the purl
 * because it is not a version anything can be matched against.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, type PackageType, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';
import type { GoModule, ModInfo } from './modinfo.js';

export const DEVEL_VERSION = '(devel)';

export interface GoPackages {
  packages: Package[];
  problems: Array<{ line: number; message: string }>;
}

export function goPackages(goVersion: string, info: ModInfo, location: Location): GoPackages {
  const out: GoPackages = { packages: [], problems: [] };
  const add = (module: GoModule, path: string, version: string): void => {
    if (isModulePath(path)) out.packages.push(goPackage('go-module', path, version, location));
    else
      out.problems.push({
        line: module.line,
        message: `invalid module path ${JSON.stringify(path.slice(0, 200))}`,
      });
  };
  if (info.main) add(info.main, info.main.path, versionOf(info.main.version));
  for (const dep of info.deps) {
    const { path, version } = effectiveModule(dep);
    add(dep, path, version);
  }
  const stdlib = stdlibVersion(goVersion);
  if (stdlib) out.packages.push(goPackage('go-stdlib', 'stdlib', stdlib, location));
  return out;
}

/** Module paths are slash-separated, never empty-segmented at the ends, without spaces (golang.org/x/mod/module.CheckPath, loosely). */
function isModulePath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.endsWith('/') && !/\s/.test(path);
}

/** What was compiled in: the replacement when there is one; a local directory has no version. */
export function effectiveModule(module: GoModule): { path: string; version: string } {
  const replace = module.replace;
  if (!replace) return { path: module.path, version: versionOf(module.version) };
  const local = replace.path.startsWith('.') || replace.path.startsWith('/') || !replace.version;
  return local
    ? { path: module.path, version: DEVEL_VERSION }
    : { path: replace.path, version: replace.version };
}

function versionOf(version: string): string {
  return version === '' ? DEVEL_VERSION : version;
}

/**
 * `go1.21.4` → `1.21.4`, `go1.20` → `1.20.0` (the first release of a minor line before Go 1.21
 * had no patch number; advisories write it as .0), `go1.21.4 X:boringcrypto` → `1.21.4`.
 * Anything else (`devel go1.22-abc…`) is kept as written.
 */
export function stdlibVersion(goVersion: string): string | undefined {
  const word = goVersion.trim().split(/\s+/)[0] ?? '';
  if (word === '') return undefined;
  const match = /^go(\d+\.\d+)(\.\d+)?(\S*)$/.exec(word);
  if (!match) return goVersion.trim();
  const [, minor, patch, rest] = match;
  return `${minor}${patch ?? (rest ? '' : '.0')}${rest}`;
}

function goPackage(type: PackageType, path: string, version: string, location: Location): Package {
  const slash = path.lastIndexOf('/');
  const purl = formatPurl({
    type: 'golang',
    namespace: slash === -1 ? undefined : path.slice(0, slash),
    name: path.slice(slash + 1),
    version: version === DEVEL_VERSION ? undefined : version,
  });
  return {
    id: packageId(type, path, version, location.path),
    type,
    name: path,
    version,
    purl,
    licenses: [],
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
}
