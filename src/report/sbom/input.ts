/**
 * What the SBOM writers take: the image, its squashed inventory and the run's identity. The
 * writers are pure functions of this value (STYLE.md 7.1, report writers): the caller supplies
 * the clock (`timestamp`) and the randomness (`serial`), so tests and goldens are exact.
 */
import { createHash } from 'node:crypto';
import { formatPurl } from '../../catalog/purl.js';
import type { ImageDescription } from '../../image/types.js';
import { AssayError } from '../../model/errors.js';
import type { Issue } from '../../model/issue.js';
import type { OsRelease } from '../../model/os.js';
import type { Package } from '../../model/package.js';

export interface SbomTool {
  name: 'assay';
  version: string;
}

export interface SbomInput {
  image: ImageDescription;
  os?: OsRelease;
  packages: Package[];
  issues: Issue[];
  tool: SbomTool;
  /** ISO 8601 date-time of the run, e.g. `2026-01-02T03:04:05Z`. */
  timestamp: string;
  /** A random RFC 4122 UUID (lowercase, no `urn:uuid:`); without one the writers derive one from the input. */
  serial?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The document's UUID: the caller's `serial`, or one derived from a hash of the image id,
 * timestamp and tool version (shaped as an RFC 4122 name-based UUID: version nibble 5, variant
 * bits 10), so two runs over the same image at different times still get different documents.
 */
export function documentUuid(input: SbomInput): string {
  if (input.serial !== undefined) {
    if (!UUID.test(input.serial)) {
      throw new AssayError(
        'internal',
        `sbom: serial ${JSON.stringify(input.serial)} is not a lowercase UUID`,
      );
    }
    return input.serial;
  }
  const hex = createHash('sha256')
    .update(`${input.image.imageId}\u0000${input.timestamp}\u0000${input.tool.version}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The digest that names the image: the platform manifest's when the image came from one,
 * else the repo digest's, else the config digest (archives and root filesystems have no
 * manifest digest we can trust).
 */
export function imageDigest(image: ImageDescription): string {
  if (image.manifestDigest) return image.manifestDigest;
  const at = image.repoDigest?.lastIndexOf('@') ?? -1;
  if (image.repoDigest && at >= 0) return image.repoDigest.slice(at + 1);
  return image.imageId;
}

/** The image's display name: `registry/repository`, or the repository alone without a registry. */
export function imageName(image: ImageDescription): string {
  return image.registry ? `${image.registry}/${image.repository}` : image.repository;
}

/** One line per located issue, the same in both formats: `code: message (path:line, layer N)`. */
export function describeIssue(issue: Issue): string {
  const line = issue.line ? `:${issue.line}` : '';
  const where = issue.location ? ` (${issue.location.path}${line}, layer ${issue.location.layerIndex})` : '';
  return `${issue.code}: ${issue.message}${where}`;
}

/**
 * The image's purl, per PURL-TYPES `oci`: the name is the repository's last segment
 * (lowercase), the version is the manifest digest, and `repository_url` says where it lives.
 */
export function imagePurl(image: ImageDescription): string {
  const name = image.repository.split('/').filter(Boolean).at(-1) ?? image.repository;
  return formatPurl({
    type: 'oci',
    name: name.toLowerCase(),
    version: imageDigest(image),
    qualifiers: {
      repository_url: image.registry ? `${image.registry}/${image.repository}`.toLowerCase() : undefined,
      arch: image.platform.architecture,
      tag: image.tag,
    },
  });
}
