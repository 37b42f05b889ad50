/**
 * Naming of images that have no registry origin (ARCHITECTURE.md "Image identity"): they are
 * keyed by their config digest, and registry/repository/tag come from whatever name the
 * archive or layout carries, normalised as Docker does (`alpine:3.19` is
 * docker.io/library/alpine), keeping a registry host the name itself states.
 */
import { parseReference } from '../reference.js';

export interface ImageNaming {
  registry: string;
  repository: string;
  tag?: string | undefined;
}

export const NO_NAME: ImageNaming = { registry: '', repository: '' };

/** A ref name like `1.0` is only a tag; `app:1.0` or `ghcr.io/x/app` is a full image name. */
export function looksLikeImageName(name: string): boolean {
  return name.includes(':') || name.includes('/');
}

/** Names an image after a Docker RepoTag / full reference; undefined when it does not parse. */
export function namingFromReference(name: string): ImageNaming | undefined {
  try {
    const ref = parseReference(name);
    return { registry: ref.registry, repository: ref.repository, tag: ref.tag };
  } catch {
    return undefined;
  }
}

/** True when two names denote the same repository and tag after normalisation. */
export function sameImageName(a: string, b: string): boolean {
  if (!looksLikeImageName(a) || !looksLikeImageName(b)) return false;
  const x = namingFromReference(a);
  const y = namingFromReference(b);
  return !!x && !!y && x.registry === y.registry && x.repository === y.repository && x.tag === y.tag;
}

/**
 * An OCI layout entry names its image by `io.containerd.image.name` (full name) or
 * `org.opencontainers.image.ref.name` (a tag, or a full name as podman and buildah write it).
 * A bare tag leaves the repository to `fallbackRepository` — the layout directory's name, which
 * is how umoci and skopeo users name layouts (`umoci init --layout app; … --image app:1.0`).
 */
export function namingFromLayout(
  refName: string | undefined,
  fullName: string | undefined,
  fallbackRepository: string,
): ImageNaming {
  for (const n of [fullName, refName]) {
    if (n && looksLikeImageName(n)) {
      const naming = namingFromReference(n);
      if (naming) return naming;
    }
  }
  const repository = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(fallbackRepository)
    ? fallbackRepository
    : '';
  return { registry: '', repository, ...(refName ? { tag: refName } : {}) };
}

/**
 * Names the image after the user's reference when it is one of the image's tags (else its
 * first tag), and takes the repo digest that belongs to the same repository.
 */
export function engineNaming(
  name: string,
  info: { RepoTags?: string[] | null | undefined; RepoDigests?: string[] | null | undefined },
): ImageNaming & { repoDigest?: string } {
  const asRef = /^(sha256:)?[a-f0-9]{12,64}$/.test(name) ? undefined : namingFromReference(name);
  const tags = (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const naming = asRef ??
    (tags[0] ? namingFromReference(tags[0]) : undefined) ?? { registry: '', repository: '' };
  for (const rd of info.RepoDigests ?? []) {
    const at = rd.indexOf('@');
    const repo = at > 0 ? namingFromReference(rd.slice(0, at)) : undefined;
    if (repo && repo.registry === naming.registry && repo.repository === naming.repository) {
      return { ...naming, repoDigest: `${repo.registry}/${repo.repository}${rd.slice(at)}` };
    }
  }
  return naming;
}
