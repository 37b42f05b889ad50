/**
 * The analyzer contract. An analyzer declares the files it needs with a cheap, pure `wants`
 * (the walker buffers only those: Trivy's `requiredFiles`, Syft's globs → parser), and turns
 * the bytes of one layer's files into packages, an OS and located issues. It never sees other
 * layers or the final file system: `squash.ts` decides what survives, so results can be cached
 * per layer (key = diff-id + analyzer id + `version`, STYLE.md principle 9).
 */

import type { LayerRef } from '../image/types.js';
import type { FileContent } from '../image/walk/types.js';
import type { Issue, Location } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import type { Package } from '../model/package.js';

/** Closed vocabulary; the registry test checks that each folder under `analyzers/` is one of these. */
export const analyzerIds = [
  'os-release',
  'dpkg-status',
  'apk-installed',
  'rpm-db',
  'npm-package-json',
  'npm-lock',
  'yarn-lock',
  'pnpm-lock',
  'python-dist-info',
  'python-lock',
  'gemspec',
  'gemfile-lock',
  'composer',
  'dotnet-deps',
  'jar',
  'go-binary',
  'cargo-lock',
  'cargo-auditable',
] as const;
export type AnalyzerId = (typeof analyzerIds)[number];

/** One wanted file. Its `content` is readable only during the `analyze` call that receives it. */
export interface AnalyzerFile {
  path: string;
  content: FileContent;
}

export interface AnalyzerInput {
  layer: LayerRef;
  /** One file, or every file of this layer that shares a `groupOf` key, in tar order. */
  files: readonly AnalyzerFile[];
}

export interface AnalyzeContext {
  /** Names the layer for messages, e.g. `layer 3 (sha256:0123456789ab…)`. */
  label: string;
  signal?: AbortSignal;
}

/** Partial results are normal: whatever could be read, plus an issue for each thing that could not. */
export interface AnalyzerResult {
  packages: Package[];
  os?: OsRelease;
  issues: Issue[];
}
// inventory.ts has the same shape as a zod schema (for cached results), checked with `satisfies`.

export interface Analyzer {
  readonly id: AnalyzerId;
  /** Bump whenever the output for the same bytes changes: it invalidates cached layer results. */
  readonly version: number;
  /** Cheap, pure, no I/O: does this regular file (path as in the tar, no leading `/`) matter? */
  wants(path: string, size: number): boolean;
  /**
   * Files that must be analyzed together share a key (distroless `var/lib/dpkg/status.d/*`,
   * the OS release files of a layer); `undefined` or absent = each file on its own.
   */
  groupOf?(path: string): string | undefined;
  /** Never throws for bad input (that is an issue); a throw is reported as `analyzer-failed`. */
  analyze(input: AnalyzerInput, ctx: AnalyzeContext): Promise<AnalyzerResult>;
}

/** Where a fact from `path` in `layer` was read. */
export function locate(layer: LayerRef, path: string, evidence: Location['evidence'] = 'primary'): Location {
  return { layerDiffId: layer.diffId, layerIndex: layer.index, path, evidence };
}
