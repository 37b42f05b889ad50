import { AssayError } from '../../model/errors.js';
import type { WalkLimits } from './types.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Generous but bounded: the biggest real layers (CUDA, ML frameworks) are a few tens of GiB
 * uncompressed and hold a few hundred thousand entries. `maxPathBytes` is Linux's PATH_MAX.
 * No compression-ratio cap by default: a legitimate file of zeros (a preallocated database,
 * a disk image) compresses a thousandfold, and `maxLayerBytes` already stops a bomb.
 */
export const DEFAULT_LIMITS: Readonly<WalkLimits> = Object.freeze({
  maxLayerBytes: 64 * GiB,
  maxFileBytes: 512 * MiB,
  maxEntries: 5_000_000,
  maxPathBytes: 4096,
});

/** Wanted files up to this size are held in memory; bigger ones go to the spill directory. */
export const DEFAULT_SPILL_THRESHOLD = 4 * MiB;

/** Bigger PAX or GNU long-name headers are skipped; real ones are a few hundred bytes. */
export const MAX_EXTENSION_HEADER_BYTES = 1 * MiB;

export function resolveLimits(limits: Partial<WalkLimits> | undefined): WalkLimits {
  const merged: WalkLimits = { ...DEFAULT_LIMITS, ...dropUndefined(limits ?? {}) };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new AssayError('usage', `walk limit ${key} must be a positive number, got ${String(value)}`);
    }
  }
  return merged;
}

function dropUndefined(limits: Partial<WalkLimits>): Partial<WalkLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

/** `1.5 GiB`, `512 MiB`, `300 bytes`: limits are quoted back to users in this form. */
export function formatBytes(n: number): string {
  const units: Array<[number, string]> = [
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${Number((n / size).toFixed(2))} ${unit}`;
  }
  return `${n} bytes`;
}

export function layerTooLarge(label: string, limit: number, what = 'uncompressed content'): AssayError {
  return new AssayError(
    'too-large',
    `${label}: ${what} exceeds the limit of ${formatBytes(limit)} (walk limit maxLayerBytes); ` +
      'raise maxLayerBytes if this layer is legitimate',
  );
}

export function ratioTooHigh(label: string, ratio: number, compressedSize: number): AssayError {
  return new AssayError(
    'too-large',
    `${label}: uncompressed content exceeds ${ratio}x its compressed size of ${formatBytes(compressedSize)} ` +
      '(walk limit maxCompressionRatio; a likely decompression bomb); raise maxCompressionRatio ' +
      'if this layer is legitimate',
  );
}

export function tooManyEntries(label: string, limit: number): AssayError {
  return new AssayError(
    'too-large',
    `${label}: more than ${limit} tar entries (walk limit maxEntries); raise maxEntries if this layer is legitimate`,
  );
}

export function labelOf(label: string | undefined): string {
  return label ?? 'layer';
}
