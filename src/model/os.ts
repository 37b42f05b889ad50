/**
 * The detected operating system. `id` and `versionId` are os-release's `ID` and `VERSION_ID`
 * (https://www.freedesktop.org/software/systemd/man/latest/os-release.html), which is what
 * distro feeds and purl `distro=` qualifiers key on; `family` is the product, a closed list.
 */
import { z } from 'zod';
import { LocationSchema } from './issue.js';

export const osFamilies = [
  'debian',
  'ubuntu',
  'alpine',
  'wolfi',
  'chainguard',
  'rhel',
  'centos',
  'rocky',
  'almalinux',
  'oracle',
  'amazon',
  'fedora',
  'sles',
  'opensuse',
  'photon',
  'azurelinux',
  'mariner',
  /** Google's distroless images: Debian packages without a package manager (`ID=debian`). */
  'distroless',
  /** Detected, but not a family Assay knows (its `id` still says what it is). */
  'other',
] as const;
export const OsFamilySchema = z.enum(osFamilies);
export type OsFamily = z.infer<typeof OsFamilySchema>;

export const OsReleaseSchema = z.object({
  family: OsFamilySchema,
  /** os-release `ID` (`debian`, `rhel`, `ol`, `amzn`, `sles`, `opensuse-leap`, …), lowercase. */
  id: z.string().min(1),
  /** os-release `ID_LIKE`, in order; lets a consumer reason about `other`. */
  idLike: z.array(z.string()).optional(),
  /** The most precise version the image states (`VERSION` without a codename, or a release file's). */
  version: z.string(),
  /** os-release `VERSION_ID`; empty where the distro publishes none (Debian testing/sid). */
  versionId: z.string(),
  codename: z.string().optional(),
  /** os-release `NAME` (`Debian GNU/Linux`, `Alpine Linux`, …). */
  name: z.string(),
  prettyName: z.string().optional(),
  /** Filled in at scan time from the EOL table (never cached with a layer: dates move on). */
  eol: z.boolean().optional(),
  /** ISO date `YYYY-MM-DD` when security support ends or ended. */
  eolDate: z.string().optional(),
  location: LocationSchema,
});
export type OsRelease = z.infer<typeof OsReleaseSchema>;
