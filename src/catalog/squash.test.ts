import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Issue } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import { type Package, type PackageType, packageId } from '../model/package.js';
import type { AnalyzerId } from './analyzer.js';
import { type AnalyzerRun, ImageInventorySchema, type LayerInventory } from './inventory.js';
import { type FinalFileSystem, squash } from './squash.js';

const STATUS = 'var/lib/dpkg/status';
const diff = (layer: number): string => `sha256:${String(layer).repeat(64).slice(0, 64)}`;
const at = (layer: number, path: string, evidence: 'primary' | 'supporting' = 'primary') =>
  ({ layerDiffId: diff(layer), layerIndex: layer, path, evidence }) as const;

function pkg(layer: number, spec: string, path = STATUS, type: PackageType = 'deb'): Package {
  const [nameArch = '', version = ''] = spec.split('@');
  const [name = '', arch] = nameArch.split(':');
  const p: Package = {
    id: packageId(type, name, version, path, arch),
    type,
    name,
    version,
    purl: `provisional:${name}`,
    licenses: [],
    locations: [at(layer, path)],
    introducedIn: { layerIndex: layer, layerDiffId: diff(layer) },
  };
  if (arch) p.arch = arch;
  return p;
}

function run(analyzer: AnalyzerId, paths: string[], result: Partial<AnalyzerRun['result']>): AnalyzerRun {
  return { analyzer, version: 1, paths, result: { packages: [], issues: [], ...result } };
}

function layer(index: number, ...runs: AnalyzerRun[]): LayerInventory {
  return { layerIndex: index, layerDiffId: diff(index), runs };
}

/** A dpkg database in `layer` listing `specs` (`name[:arch]@version`). */
function dpkgDb(index: number, specs: string[], path = STATUS): LayerInventory {
  return layer(index, run('dpkg-status', [path], { packages: specs.map((s) => pkg(index, s, path)) }));
}

const everything: FinalFileSystem = { has: () => true };
const without = (...paths: string[]): FinalFileSystem => ({ has: (p) => !paths.includes(p) });

function summary(packages: readonly Package[]): string[] {
  return packages.map((p) => `${p.name}@${p.version}<${p.introducedIn.layerIndex}`);
}

function os(
  index: number,
  path: string,
  id: string,
  versionId: string,
  evidence: 'primary' | 'supporting',
): OsRelease {
  return {
    family: 'debian',
    id,
    version: versionId,
    versionId,
    name: id,
    location: at(index, path, evidence),
  };
}

describe('squash: databases across layers', () => {
  it('a later database replaces an earlier one; introducedIn is where the exact version appeared', () => {
    const result = squash(
      [dpkgDb(0, ['a@1', 'b@1']), dpkgDb(1, ['a@1', 'b@2', 'c@1']), dpkgDb(2, ['a@1', 'c@1'])],
      everything,
    );
    assert.deepEqual(summary(result.packages), ['a@1<0', 'c@1<1']);
    assert.deepEqual(result.packages[0]!.locations, [at(2, STATUS)]);
    assert.ok(ImageInventorySchema.safeParse(result).success);
  });

  it('a package removed and re-installed was introduced by the re-installing layer', () => {
    const removed = squash(
      [dpkgDb(0, ['a@1', 'x@1']), dpkgDb(1, ['x@1']), dpkgDb(2, ['a@1', 'x@1'])],
      everything,
    );
    assert.deepEqual(summary(removed.packages), ['a@1<2', 'x@1<0']);
    const downgraded = squash([dpkgDb(0, ['a@1']), dpkgDb(1, ['a@2']), dpkgDb(3, ['a@1'])], everything);
    assert.deepEqual(summary(downgraded.packages), ['a@1<3']);
  });

  it('the architecture is part of what must match', () => {
    const result = squash([dpkgDb(0, ['a:amd64@1']), dpkgDb(1, ['a:i386@1', 'a:amd64@1'])], everything);
    assert.deepEqual(
      result.packages.map((p) => `${p.arch}<${p.introducedIn.layerIndex}`),
      ['amd64<0', 'i386<1'],
    );
  });

  it('an emptied database reports nothing, and layers may come in any order', () => {
    const emptied = squash([dpkgDb(1, []), dpkgDb(0, ['a@1'])], everything);
    assert.deepEqual(emptied.packages, []);
  });

  it('files the final file system does not hold are not reported (whiteouts, status.d)', () => {
    const d = (n: string): string => `var/lib/dpkg/status.d/${n}`;
    const layers = [
      layer(
        0,
        run('dpkg-status', [d('x'), d('y')], { packages: [pkg(0, 'x@1', d('x')), pkg(0, 'y@1', d('y'))] }),
      ),
      layer(1, run('dpkg-status', [d('z')], { packages: [pkg(1, 'z@1', d('z'))] })),
    ];
    const result = squash(layers, without(d('y')));
    assert.deepEqual(summary(result.packages), ['x@1<0', 'z@1<1']);
    assert.deepEqual(squash([dpkgDb(0, ['a@1'])], without(STATUS)).packages, []);
  });

  it('a database rewritten by a layer whose copy was not analyzed is flagged, older copy kept', () => {
    const fs: FinalFileSystem = { has: () => true, writtenIn: () => 5 };
    const result = squash([dpkgDb(0, ['a@1']), dpkgDb(2, ['a@1'])], fs);
    assert.deepEqual(summary(result.packages), ['a@1<0']);
    assert.deepEqual(
      result.issues.map((i) => [i.code, i.location?.layerIndex]),
      [['database-not-analyzed', 2]],
    );
  });
});

describe('squash: OS and purls', () => {
  const osLayer = (index: number, o: OsRelease): LayerInventory =>
    layer(index, run('os-release', [o.location.path], { os: o }));

  it('os-release beats older release files; /etc beats /usr/lib; then the newest layer', () => {
    const primary = os(0, 'usr/lib/os-release', 'debian', '12', 'primary');
    const fallback = os(3, 'etc/debian_version', 'debian', '13', 'supporting');
    assert.equal(squash([osLayer(0, primary), osLayer(3, fallback)], everything).os?.versionId, '12');
    const etc = os(0, 'etc/os-release', 'alpine', '3.19.1', 'primary');
    const usr = os(2, 'usr/lib/os-release', 'debian', '12', 'primary');
    assert.equal(squash([osLayer(0, etc), osLayer(2, usr)], everything).os?.id, 'alpine');
    const newer = os(4, 'usr/lib/os-release', 'debian', '13', 'primary');
    assert.equal(squash([osLayer(2, usr), osLayer(4, newer)], everything).os?.versionId, '13');
    assert.equal(squash([osLayer(0, etc), osLayer(2, usr)], without('etc/os-release')).os?.id, 'debian');
  });

  it('rebuilds OS package purls with the final OS and sets EOL as of today', () => {
    const debian = os(0, 'usr/lib/os-release', 'debian', '10', 'primary');
    const npm = pkg(1, 'left-pad@1.3.0', 'app/node_modules/left-pad/package.json', 'npm');
    const layers = [
      osLayer(0, debian),
      layer(1, run('dpkg-status', [STATUS], { packages: [pkg(1, 'libc6:amd64@2.28-10')] })),
      layer(1, run('npm-lock', [npm.locations[0]!.path], { packages: [npm] })),
    ];
    const result = squash(layers, everything, { today: new Date('2026-11-30') });
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10', 'provisional:left-pad'],
    );
    assert.deepEqual([result.os?.eol, result.os?.eolDate], [true, '2024-06-30']);
    assert.equal(squash(layers, everything).os?.eol, undefined);
  });
});

describe('squash: issues', () => {
  const issue = (index: number, path: string, message: string): Issue => ({
    code: 'malformed-record',
    message,
    location: at(index, path),
  });

  it('keeps issues of the copies it reports and unlocated ones; drops those of bytes no longer there', () => {
    const layers = [
      layer(0, run('dpkg-status', [STATUS], { issues: [issue(0, STATUS, 'superseded')] })),
      layer(
        0,
        run('apk-installed', ['lib/apk/db/installed'], {
          issues: [issue(0, 'lib/apk/db/installed', 'deleted')],
        }),
      ),
      layer(1, run('dpkg-status', [STATUS], { issues: [issue(1, STATUS, 'current')] })),
      layer(
        1,
        run('os-release', ['etc/os-release'], { issues: [{ code: 'unknown-os', message: 'unlocated' }] }),
      ),
    ];
    const result = squash(layers, without('lib/apk/db/installed'));
    assert.deepEqual(result.issues.map((i) => i.message).sort(), ['current', 'unlocated']);
  });
});

describe('packages found inside archives', () => {
  const war = 'srv/app.war';
  const inner = `${war}!/WEB-INF/lib/slf4j-api-2.0.9.jar`;
  const inventory = layer(
    1,
    run('jar', [war], {
      packages: [pkg(1, 'app@1.0', war, 'java'), pkg(1, 'slf4j-api@2.0.9', inner, 'java')],
    }),
  );
  // The only file in the final file system is the war itself, never a `!/` path.
  const only = (...paths: string[]): FinalFileSystem => ({ has: (p) => paths.includes(p) });

  it('survive as long as the outer file does', () => {
    assert.deepEqual(summary(squash([inventory], only(war)).packages).sort(), [
      'app@1.0<1',
      'slf4j-api@2.0.9<1',
    ]);
  });

  it('go when a later layer deletes the outer file', () => {
    assert.deepEqual(squash([inventory], only()).packages, []);
  });
});
