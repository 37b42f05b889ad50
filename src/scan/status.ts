/**
 * From a per-image failure to the result's `status` (ARCHITECTURE "Scan status"). The mapping is
 * by `AssayError.code`, so the message stays the source's own ("registry.example: manifest
 * unknown") and only the category is decided here.
 *
 * `invalid-reference`, `usage` (an input naming no image) and `platform-not-found` map to
 * `not_found`: each names an image that cannot exist as written; the CLI still reports it per
 * image, and the exit code is 2 either way.
 */
import { AssayError, type ErrorCode, errorMessage } from '../model/errors.js';
import type { ScanStatus } from '../model/result.js';

const STATUS_OF_CODE: Partial<Record<ErrorCode, ScanStatus>> = {
  'not-found': 'not_found',
  'invalid-reference': 'not_found',
  usage: 'not_found',
  'platform-not-found': 'not_found',
  unauthorized: 'unauthorized',
  forbidden: 'unauthorized',
  network: 'network_error',
  'rate-limited': 'network_error',
  registry: 'network_error',
  engine: 'network_error',
  timeout: 'timeout',
  aborted: 'timeout',
  'too-large': 'too_large',
  'not-an-image': 'not_an_image',
  'unsupported-media-type': 'not_an_image',
  'corrupt-archive': 'not_an_image',
  'corrupt-layer': 'not_an_image',
  'digest-mismatch': 'not_an_image',
  'unsafe-path': 'not_an_image',
  'invalid-input': 'not_an_image',
};

export interface FailureStatus {
  status: ScanStatus;
  message: string;
}

export function statusOfError(err: unknown): FailureStatus {
  const status =
    err instanceof AssayError ? (STATUS_OF_CODE[err.code] ?? 'internal_error') : 'internal_error';
  const text = errorMessage(err);
  return { status, message: status === 'internal_error' ? `internal error: ${text}` : text };
}
