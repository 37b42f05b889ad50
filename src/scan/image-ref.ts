/**
 * The `image` object of a result (ARCHITECTURE "Image identity"): an image is its manifest
 * digest within a repository; without a registry origin it is keyed by its config digest (image
 * id), with the repository from the reference or archive tag. `id` is the manifest digest where
 * known, else the image id; for an SBOM that states neither, the document's own digest.
 */

import { parseReference } from '../image/reference.js';
import { parseSourceInput } from '../image/source.js';
import type { ImageDescription } from '../image/types.js';
import type { ImageIdentity } from '../match/exceptions.js';
import type { OsRelease } from '../model/os.js';
import type { ImageRef } from '../model/result.js';
import { SBOM_PREFIX, type SbomImage } from './sbom-input.js';

export function imageRefOf(desc: ImageDescription, os: OsRelease | undefined): ImageRef {
  const ref: ImageRef = {
    id: desc.manifestDigest ?? desc.imageId,
    registry: desc.registry,
    repository: desc.repository,
    tags: desc.tag ? [desc.tag] : [],
    imageId: desc.imageId,
    platform: { ...desc.platform },
    source: desc.source,
  };
  if (desc.manifestDigest) ref.manifestDigest = desc.manifestDigest;
  if (desc.created) ref.created = desc.created;
  if (desc.size >= 0) ref.size = desc.size;
  if (os) ref.os = os;
  return ref;
}

export function sbomImageRef(sbom: SbomImage, path: string): ImageRef {
  const named = sbom.reference ? referenceParts(sbom.reference) : undefined;
  const ref: ImageRef = {
    id: sbom.manifestDigest ?? sbom.imageId ?? sbom.documentDigest,
    registry: named?.registry ?? '',
    repository: named?.repository ?? sbom.name ?? path,
    tags: sbom.tags.length > 0 ? sbom.tags : named?.tag && hasTag(sbom.reference) ? [named.tag] : [],
    source: 'sbom',
  };
  if (sbom.manifestDigest) ref.manifestDigest = sbom.manifestDigest;
  if (sbom.imageId) ref.imageId = sbom.imageId;
  if (sbom.os) ref.os = sbom.os;
  return ref;
}

const SOURCE_OF_TRANSPORT: Readonly<Record<string, string>> = {
  registry: 'registry',
  docker: 'engine',
  podman: 'engine',
  'docker-archive': 'docker-archive',
  'oci-archive': 'oci-archive',
  'oci-dir': 'oci-dir',
  dir: 'rootfs',
  auto: 'registry',
};

/** What can be said of an image that could not be opened: the names in its input. */
export function failedImageRef(input: string): ImageRef {
  if (input.startsWith(SBOM_PREFIX))
    return { id: '', registry: '', repository: input.slice(SBOM_PREFIX.length), tags: [], source: 'sbom' };
  let transport = 'auto';
  let target = input;
  try {
    ({ transport, target } = parseSourceInput(input));
  } catch {
    // An input naming no image: the result still says what was asked for.
  }
  const source = SOURCE_OF_TRANSPORT[transport] ?? transport;
  const named = source === 'registry' || source === 'engine' ? referenceParts(target) : undefined;
  if (named)
    return {
      id: named.digest ?? '',
      registry: named.registry,
      repository: named.repository,
      tags: named.tag ? [named.tag] : [],
      source,
    };
  // `oci-dir:PATH[:TAG]`, `oci-archive:PATH[:TAG]`, `docker-archive:PATH`, `dir:PATH`.
  const colon = target.lastIndexOf(':');
  const tagged = (source === 'oci-dir' || source === 'oci-archive') && colon > target.lastIndexOf('/');
  return {
    id: '',
    registry: '',
    repository: tagged ? target.slice(0, colon) : target,
    tags: tagged ? [target.slice(colon + 1)] : [],
    source,
  };
}

/** parseReference defaults the tag to `latest`; an SBOM that names no tag must not gain one. */
function hasTag(reference: string | undefined): boolean {
  if (!reference) return false;
  const name = reference.split('@')[0]!;
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}

function referenceParts(text: string): ReturnType<typeof parseReference> | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

/** Who the exceptions' scopes are matched against. */
export function exceptionIdentity(ref: ImageRef): ImageIdentity {
  return {
    registry: ref.registry,
    repository: ref.repository,
    digests: [ref.manifestDigest, ref.imageId].filter((d): d is string => !!d),
  };
}
