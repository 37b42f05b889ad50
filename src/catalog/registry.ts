/**
 * Every analyzer, in one explicit list (Syft's `package_tasks.go`, trivy-db's `All = []VulnSrc{…}`):
 * no registration by import side effects. Adding an ecosystem = one folder under `analyzers/`
 * plus one line here; `registry.test.ts` fails when a folder is not listed.
 */
import type { Analyzer } from './analyzer.js';
import { apkInstalled } from './analyzers/apk-installed/analyzer.js';
import { cargoAuditable } from './analyzers/cargo-auditable/analyzer.js';
import { cargoLock } from './analyzers/cargo-lock/analyzer.js';
import { composer } from './analyzers/composer/analyzer.js';
import { dotnetDeps } from './analyzers/dotnet-deps/analyzer.js';
import { dpkgStatus } from './analyzers/dpkg-status/analyzer.js';
import { gemfileLock } from './analyzers/gemfile-lock/analyzer.js';
import { gemspec } from './analyzers/gemspec/analyzer.js';
import { goBinary } from './analyzers/go-binary/analyzer.js';
import { jar } from './analyzers/jar/analyzer.js';
import { npmLock } from './analyzers/npm-lock/analyzer.js';
import { npmPackageJson } from './analyzers/npm-package-json/analyzer.js';
import { osRelease } from './analyzers/os-release/analyzer.js';
import { pnpmLock } from './analyzers/pnpm-lock/analyzer.js';
import { pythonDistInfo } from './analyzers/python-dist-info/analyzer.js';
import { pythonLock } from './analyzers/python-lock/analyzer.js';
import { rpmDb } from './analyzers/rpm-db/analyzer.js';
import { yarnLock } from './analyzers/yarn-lock/analyzer.js';

export const analyzers = [
  osRelease,
  dpkgStatus,
  apkInstalled,
  rpmDb,
  pythonDistInfo,
  pythonLock,
  gemspec,
  gemfileLock,
  composer,
  dotnetDeps,
  npmPackageJson,
  npmLock,
  yarnLock,
  pnpmLock,
  jar,
  goBinary,
  cargoLock,
  cargoAuditable,
] satisfies readonly Analyzer[];

/** `{ 'dpkg-status': 1, … }`: what a layer-cache key must include so changed analyzers never serve stale results. */
export function analyzerVersions(list: readonly Analyzer[] = analyzers): Record<string, number> {
  return Object.fromEntries(list.map((analyzer) => [analyzer.id, analyzer.version]));
}
