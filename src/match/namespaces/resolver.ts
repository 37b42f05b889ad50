/**
 * What varies per distro or ecosystem, and nothing else (STYLE 7.1): which DB namespaces a
 * package is looked up in, under which name, at which version. The matching loop itself
 * (`match-image.ts`) is the same for all of them.
 */
import type { OsRelease } from '../../model/os.js';
import type { Package, PackageType } from '../../model/package.js';

/** The namespaces a resolver found in the DB for this image, and what it looked for. */
export interface NamespaceChoice {
  /** Every DB namespace to query (empty when the DB has no data for it). */
  found: string[];
  /** The namespace it wanted, for messages: `Debian:13`, `Ubuntu:24.04`, `PyPI`. */
  wanted: string;
  /** A readable label: `Debian 13`, `PyPI`. */
  label: string;
}

/** The name and version one package is looked up by; undefined = this package cannot be matched. */
export interface LookupKey {
  name: string;
  version: string;
}

export interface NamespaceResolver {
  readonly id: string;
  readonly types: readonly PackageType[];
  /** True for distro resolvers: their packages make the image `unsupported_os` when no feed exists. */
  readonly os: boolean;
  /** Whether it serves this image's OS (language resolvers serve every image). */
  appliesTo(os: OsRelease | undefined): boolean;
  /** Called once per image with the DB's namespaces (sorted). */
  namespaces(os: OsRelease | undefined, available: readonly string[]): NamespaceChoice;
  key(pkg: Package): LookupKey | undefined;
  /** The feed to name in the "no data" hint (`assay db update --source …`). */
  readonly feedHint: string;
}

/** The major.minor of a version id (`3.19.1` → `3.19`), or undefined. */
export function majorMinor(versionId: string): string | undefined {
  return /^(\d+)\.(\d+)/.exec(versionId)?.slice(1, 3).join('.');
}

/** The major of a version id (`9.3` → `9`), or undefined. */
export function majorOf(versionId: string): string | undefined {
  return /^(\d+)/.exec(versionId)?.[1];
}

/** A choice holding `wanted` when the DB has it. */
export function exactly(wanted: string, label: string, available: readonly string[]): NamespaceChoice {
  return { found: available.includes(wanted) ? [wanted] : [], wanted, label };
}
