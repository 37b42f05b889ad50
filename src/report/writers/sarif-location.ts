/** What the SARIF writer's vulnerability and content results share: levels, URIs, fingerprints. */
import { createHash } from 'node:crypto';
import type { ImageResult, Severity } from '../../model/result.js';
import type { SarifLevel } from './sarif-types.js';

/** Code scanning's levels: critical and high are errors, medium warnings, the rest notes. */
export function levelOf(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/** A relative URI reference for a path inside the image: each segment percent-encoded. */
export function uriOf(path: string): string {
  return path
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * `partialFingerprints["assayFinding/v1"]`: a SHA-256 of the image's registry/repository and
 * the parts that tell findings apart, never a digest, so rebuilds of an image keep their alerts.
 */
export function fingerprintOf(image: ImageResult, parts: readonly string[]): string {
  const repository = `${image.image.registry}/${image.image.repository}`;
  return createHash('sha256')
    .update([repository, ...parts].join('\u0000'))
    .digest('hex');
}
