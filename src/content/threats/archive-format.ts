/**
 * Which files are archives to look into: by name for the walker's `wants` (cheap, no bytes), by
 * signature once the bytes are read (the signature decides: a zip named `.dat` is opened, a
 * `.jar` that is not a zip is not).
 */
import { constants, gunzipSync } from 'node:zlib';
import { looksLikeZip } from '../../catalog/analyzers/jar/zip.js';

/** Archives bigger than this are not read at all (see `isArchiveCandidate`). */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** Zip family (Java, Android, Python wheels and eggs, NuGet), tar, gzip'd tar, Ruby gems (a tar). */
const ARCHIVE_NAME = /\.(?:zip|jar|war|ear|aar|apk|whl|egg|nupkg|tar|tgz|tar\.gz|gem)$/i;

/** For the walker's `wants`: a file worth opening as an archive, by its name and size. */
export function isArchiveCandidate(path: string, size: number): boolean {
  if (size > MAX_ARCHIVE_BYTES || size < 22) return false; // 22: an empty zip's end record
  return ARCHIVE_NAME.test(path);
}

export type ArchiveKind = 'zip' | 'gzip' | 'tar' | 'none';

/** By signature: zip local header, gzip (RFC 1952), POSIX/GNU `ustar` at offset 257. */
export function sniffArchive(bytes: Buffer): ArchiveKind {
  if (looksLikeZip(bytes)) return 'zip';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  return isUstar(bytes) ? 'tar' : 'none';
}

function isUstar(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.toString('latin1', 257, 262) === 'ustar';
}

/** A gzip stream holding a tar: inflate just the start (bounded: at most 4 KiB of input). */
export function gzipHoldsTar(bytes: Buffer): boolean {
  try {
    const head = gunzipSync(bytes.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH });
    return isUstar(head);
  } catch {
    return false;
  }
}
