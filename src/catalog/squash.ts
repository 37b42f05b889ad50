/**
 * Per-layer inventories → the image's inventory: what the FINAL file system holds.
 * - A database (or any analyzed file) is identified by analyzer + path. Its newest analyzed copy
 *   replaces every older one, so packages a later database dropped disappear; a file that is not
 *   in the final file system (whiteout, opaque directory, replaced by a directory) contributes
 *   nothing. Paths are as written in the layer tars, symlinks not resolved.
 * - `introducedIn` is the earliest layer of the unbroken run of copies, ending at the newest,
 *   that list the same type + name + version + arch. A package removed and later re-installed at
 *   the same version was introduced again by the re-installing layer (Trivy's
 *   `lookupOriginLayerForPkg` takes the earliest copy overall and would blame the old layer).
 * - Issues located in a chosen copy, or located nowhere, are kept; issues about bytes the final
 *   image does not hold (superseded copies, deleted files) describe nothing that is reported.
 * - OS package purls are rebuilt with the final OS (vendor namespace and `distro=`).
 */
import type { Issue } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import { isOsPackageType, type Package } from '../model/package.js';
import { withEol } from './analyzers/os-release/eol.js';
import type { AnalyzerRun, ImageInventory, LayerInventory } from './inventory.js';
import { osPackagePurl } from './os-purl.js';

export interface FinalFileSystem {
  /** Is `path` a regular file of the image's final file system? */
  has(path: string): boolean;
  /** The layer that last wrote `path`, when known (`FileTree.get(path)?.layer`). */
  writtenIn?(path: string): number | undefined;
}

export interface SquashOptions {
  /** Sets `os.eol`/`os.eolDate` from the EOL table as of this day; omitted = left unset. */
  today?: Date;
}

interface Copy {
  layerIndex: number;
  layerDiffId: string;
  packages: Package[];
  os: OsRelease[];
  issues: Issue[];
  identities?: Set<string>;
}

/** Every analyzed copy of one file, oldest first. */
interface Tracked {
  path: string;
  copies: Copy[];
}

export function squash(
  layers: readonly LayerInventory[],
  fs: FinalFileSystem,
  opts: SquashOptions = {},
): ImageInventory {
  const ordered = [...layers].sort((a, b) => a.layerIndex - b.layerIndex);
  const { tracked, unlocated } = collect(ordered);
  const packages: Package[] = [];
  const osCandidates: Array<{ os: OsRelease; layerIndex: number }> = [];
  const issues: Issue[] = [...unlocated];
  for (const file of tracked.values()) {
    if (!fs.has(file.path)) continue;
    const newest = file.copies[file.copies.length - 1]!;
    issues.push(...newest.issues);
    const writer = fs.writtenIn?.(file.path);
    if (writer !== undefined && writer > newest.layerIndex)
      issues.push(notAnalyzed(file.path, writer, newest));
    for (const pkg of newest.packages) packages.push(withOrigin(pkg, file.copies));
    for (const os of newest.os) osCandidates.push({ os, layerIndex: newest.layerIndex });
  }
  const found = chooseOs(osCandidates);
  const os = found && opts.today ? withEol(found, opts.today) : found;
  const final = packages.map((pkg) => (isOsPackageType(pkg.type) ? withPurl(pkg, os) : pkg));
  final.sort(byIdentity);
  issues.sort((a, b) => (a.location?.layerIndex ?? -1) - (b.location?.layerIndex ?? -1));
  return os ? { os, packages: final, issues } : { packages: final, issues };
}

function collect(layers: readonly LayerInventory[]): { tracked: Map<string, Tracked>; unlocated: Issue[] } {
  const tracked = new Map<string, Tracked>();
  const unlocated: Issue[] = [];
  for (const layer of layers) {
    const copies = new Map<string, Copy>();
    const copyOf = (run: AnalyzerRun, path: string): Copy => {
      const key = `${run.analyzer}\u0000${path}`;
      let copy = copies.get(key);
      if (!copy) {
        copy = {
          layerIndex: layer.layerIndex,
          layerDiffId: layer.layerDiffId,
          packages: [],
          os: [],
          issues: [],
        };
        copies.set(key, copy);
        const file = tracked.get(key) ?? { path, copies: [] };
        file.copies.push(copy);
        tracked.set(key, file);
      }
      return copy;
    };
    for (const run of layer.runs) {
      for (const path of run.paths) copyOf(run, path);
      for (const pkg of run.result.packages)
        copyOf(run, containingFile(pkg.locations[0]!.path)).packages.push(pkg);
      if (run.result.os) copyOf(run, run.result.os.location.path).os.push(run.result.os);
      for (const issue of run.result.issues) {
        if (issue.location) copyOf(run, issue.location.path).issues.push(issue);
        else unlocated.push(issue);
      }
    }
  }
  return { tracked, unlocated };
}

/**
 * The image file a location lives in: a package found inside an archive is located as
 * `outer.war!/WEB-INF/lib/inner.jar` (the jar analyzer's convention), and it survives exactly
 * as long as `outer.war` does.
 */
export function containingFile(path: string): string {
  const bang = path.indexOf('!/');
  return bang < 0 ? path : path.slice(0, bang);
}

function identity(pkg: Package): string {
  return [pkg.type, pkg.name, pkg.version, pkg.arch ?? ''].join('\u0000');
}

/** Sets `introducedIn` to the earliest copy of the unbroken run, ending at the newest, that lists `pkg`. */
function withOrigin(pkg: Package, copies: Copy[]): Package {
  const wanted = identity(pkg);
  let origin = copies[copies.length - 1]!;
  for (let i = copies.length - 2; i >= 0; i--) {
    const copy = copies[i]!;
    copy.identities ??= new Set(copy.packages.map(identity));
    if (!copy.identities.has(wanted)) break;
    origin = copy;
  }
  return { ...pkg, introducedIn: { layerIndex: origin.layerIndex, layerDiffId: origin.layerDiffId } };
}

/**
 * os-release files beat the older release files (`supporting` evidence); `/etc/os-release` beats
 * `/usr/lib/os-release` (https://www.freedesktop.org/software/systemd/man/latest/os-release.html);
 * then the newest layer wins.
 */
function chooseOs(candidates: Array<{ os: OsRelease; layerIndex: number }>): OsRelease | undefined {
  const rank = (os: OsRelease): number =>
    (os.location.evidence === 'primary' ? 0 : 2) + (os.location.path === 'etc/os-release' ? 0 : 1);
  const sorted = [...candidates].sort((a, b) => rank(a.os) - rank(b.os) || b.layerIndex - a.layerIndex);
  return sorted[0]?.os;
}

function withPurl(pkg: Package, os: OsRelease | undefined): Package {
  if (!isOsPackageType(pkg.type)) return pkg;
  return { ...pkg, purl: osPackagePurl({ ...pkg, type: pkg.type }, os) };
}

function notAnalyzed(path: string, writer: number, newest: Copy): Issue {
  return {
    code: 'database-not-analyzed',
    message: `${path} was last written by layer ${writer}, which was not analyzed; reporting its copy from layer ${newest.layerIndex}`,
    location: { layerDiffId: newest.layerDiffId, layerIndex: newest.layerIndex, path, evidence: 'primary' },
  };
}

function byIdentity(a: Package, b: Package): number {
  const ka = [a.type, a.name, a.version, a.arch ?? '', a.locations[0]!.path].join('\u0000');
  const kb = [b.type, b.name, b.version, b.arch ?? '', b.locations[0]!.path].join('\u0000');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
