/**
 * The package model: one schema (zod) is the single source; TypeScript types are inferred from
 * it, and the JSON Schema of the result document is generated from it. Layer caches and SBOM
 * inputs are validated against the same schema when read back.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LocationSchema } from './issue.js';

/** Package kinds, named after the ecosystem (purl types differ: `python` → `pypi`, `go-*` → `golang`). */
export const packageTypes = [
  'deb',
  'apk',
  'rpm',
  'npm',
  'python',
  'gem',
  'java',
  'go-module',
  'go-stdlib',
  'cargo',
  'composer',
  'nuget',
] as const;
export const PackageTypeSchema = z.enum(packageTypes);
export type PackageType = z.infer<typeof PackageTypeSchema>;

/** The OS package kinds, whose database is one file and whose version a distro feed judges. */
export const osPackageTypes = ['deb', 'apk', 'rpm'] as const satisfies readonly PackageType[];
export type OsPackageType = (typeof osPackageTypes)[number];

export function isOsPackageType(type: PackageType): type is OsPackageType {
  return (osPackageTypes as readonly PackageType[]).includes(type);
}

/** The package a binary was built from: dpkg `Source:`, rpm `SOURCERPM`, apk origin (`o:`). */
export const SourcePackageSchema = z.object({ name: z.string().min(1), version: z.string() });
export type SourcePackage = z.infer<typeof SourcePackageSchema>;

/** Per-format extras that no other part of the model has a place for; lean on purpose. */
export const DebMetadataSchema = z.object({
  kind: z.literal('deb'),
  /** `Multi-Arch:` (`same`, `foreign`, `allowed`, `no`), as written. */
  multiArch: z.string().optional(),
  /** The `Status:` want/flag/state triple, kept because more than `installed` may be reported. */
  status: z.string().optional(),
  maintainer: z.string().optional(),
  /** `Installed-Size:` in KiB. */
  installedSize: z.number().int().min(0).optional(),
});

export const ApkMetadataSchema = z.object({
  kind: z.literal('apk'),
  /** `C:` pull checksum (`Q1` + base64 SHA-1 of the control segment). */
  checksum: z.string().optional(),
  /** `c:` aports commit the package was built from. */
  commit: z.string().optional(),
  /** `t:` build time, seconds since the epoch. */
  buildTime: z.number().int().optional(),
  maintainer: z.string().optional(),
  url: z.string().optional(),
  /** `I:` installed size in bytes. */
  installedSize: z.number().int().min(0).optional(),
});

export const RpmMetadataSchema = z.object({
  kind: z.literal('rpm'),
  /** `SOURCERPM`, e.g. `openssl-3.0.7-27.el9.src.rpm` (parsed into `source`). */
  sourceRpm: z.string().optional(),
  /** `MODULARITYLABEL` (RHEL/Fedora modules), `name:stream:version:context`. */
  modularityLabel: z.string().optional(),
  vendor: z.string().optional(),
  /** `SIZE` in bytes. */
  installedSize: z.number().int().min(0).optional(),
});

export type DebMetadata = z.infer<typeof DebMetadataSchema>;
export type ApkMetadata = z.infer<typeof ApkMetadataSchema>;
export type RpmMetadata = z.infer<typeof RpmMetadataSchema>;

export const PackageMetadataSchema = z.discriminatedUnion('kind', [
  DebMetadataSchema,
  ApkMetadataSchema,
  RpmMetadataSchema,
]);
export type PackageMetadata = z.infer<typeof PackageMetadataSchema>;

/** The layer that put this package (at this exact version) into the image. */
export const IntroducedInSchema = z.object({
  layerIndex: z.number().int().min(0),
  layerDiffId: z.string(),
});
export type IntroducedIn = z.infer<typeof IntroducedInSchema>;

export const PackageSchema = z.object({
  /** Stable across scans and layers: see `packageId`. */
  id: z.string(),
  type: PackageTypeSchema,
  name: z.string().min(1),
  /**
   * The complete version exactly as the ecosystem's comparator takes it: deb
   * `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release`, apk `1.36.1-r15`.
   */
  version: z.string(),
  purl: z.string(),
  arch: z.string().optional(),
  source: SourcePackageSchema.optional(),
  /** Components for formats that store them apart (rpm), so no consumer re-splits `version`. */
  epoch: z.number().int().min(0).optional(),
  release: z.string().optional(),
  /** As the database states them (SPDX expressions where it uses them); empty when it says none. */
  licenses: z.array(z.string()),
  /** The first is the primary location: the database or file the package was read from. */
  locations: z.array(LocationSchema).min(1),
  introducedIn: IntroducedInSchema,
  metadata: PackageMetadataSchema.optional(),
});
export type Package = z.infer<typeof PackageSchema>;

/**
 * A package's id: a hash of what identifies it in one image (type, name, version, the path of
 * its primary location, and the architecture where there is one: dpkg and rpm can hold
 * `libc6:amd64` and `libc6:i386` at the same version in one database), never of the layer, so the
 * same package has the same id in every layer that lists it and in every scan of any image
 * that holds it at that path.
 */
export function packageId(
  type: PackageType,
  name: string,
  version: string,
  path: string,
  arch?: string,
): string {
  // NUL cannot occur in any of the parts (paths and database fields are NUL-free), so the join is unambiguous.
  const parts = arch ? [type, name, version, path, arch] : [type, name, version, path];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
