import { AssayError } from '../model/errors.js';
import { isDigest } from './digest.js';

/**
 * A normalised image reference, following Docker's rules (distribution/reference
 * `ParseNormalizedNamed`): a first path component is a registry host only when it contains
 * `.` or `:` or is `localhost`; otherwise the image lives on Docker Hub, whose official
 * images sit under `library/`.
 */
export interface ImageReference {
  /** `docker.io`, `ghcr.io`, `127.0.0.1:5000` */
  registry: string;
  /** `library/alpine` */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const LEGACY_HUB_NAMES = new Set(['index.docker.io', 'registry-1.docker.io']);

// https://github.com/distribution/reference/blob/main/regexp.go (grammar restated, not copied)
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const MAX_NAME_LENGTH = 255;

export function parseReference(input: string): ImageReference {
  const fail = (why: string): never => {
    throw new AssayError('invalid-reference', `invalid image reference ${JSON.stringify(input)}: ${why}`);
  };
  if (input.length === 0) fail('empty');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) fail(`bad digest ${JSON.stringify(digest)} (expected sha256:<64 hex>)`);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) fail(`bad tag ${JSON.stringify(tag)}`);
  }
  const { registry, path } = splitRegistry(rest);
  if (!HOST.test(registry)) fail(`bad registry host ${JSON.stringify(registry)}`);
  const components = path.split('/');
  for (const c of components) {
    if (!COMPONENT.test(c)) {
      fail(
        c.toLowerCase() !== c
          ? 'repository names must be lowercase'
          : `bad path component ${JSON.stringify(c)}`,
      );
    }
  }
  const repository = registry === DOCKER_HUB && components.length === 1 ? `library/${path}` : path;
  if (`${registry}/${repository}`.length > MAX_NAME_LENGTH)
    fail(`name longer than ${MAX_NAME_LENGTH} characters`);
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function splitRegistry(name: string): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isHost =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (!isHost) return { registry: DOCKER_HUB, path: name };
  const registry = LEGACY_HUB_NAMES.has(first) ? DOCKER_HUB : first;
  return { registry, path: name.slice(slash + 1) };
}

/** `docker.io/library/alpine:3.19`, `127.0.0.1:5000/app@sha256:…` */
export function formatReference(ref: ImageReference): string {
  let s = `${ref.registry}/${ref.repository}`;
  if (ref.tag) s += `:${ref.tag}`;
  if (ref.digest) s += `@${ref.digest}`;
  return s;
}

/** The shortest form Docker would print: `alpine:3.19`, `myorg/app:1`, `ghcr.io/x/y:2`. */
export function familiarName(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  return ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
}
