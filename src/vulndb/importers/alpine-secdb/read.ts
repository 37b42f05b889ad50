/**
 * Reads one secdb file whole (they are a few hundred KiB to a few MiB): plain JSON or gzipped
 * (`.json.gz`, recognised by its magic bytes), both capped at the record-size limit so a huge
 * or decompression-bomb input is refused instead of exhausting memory.
 */
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as zlibGunzip } from 'node:zlib';
import { AssayError, errorMessage } from '../../../model/errors.js';

const gunzip = promisify(zlibGunzip);

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function readSecdbJson(path: string, label: string, maxBytes: number): Promise<unknown> {
  let bytes: Buffer;
  try {
    const { size } = await stat(path);
    if (size > maxBytes)
      throw new AssayError('too-large', `${label}: ${size} bytes, more than the ${maxBytes}-byte limit`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof AssayError) throw err;
    throw new AssayError('not-found', `${label}: ${errorMessage(err)}`, { cause: err });
  }
  if (isGzip(bytes)) {
    try {
      bytes = await gunzip(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new AssayError('invalid-input', `${label}: corrupt or oversized gzip: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new AssayError('invalid-input', `${label}: malformed JSON: ${errorMessage(err)}`, { cause: err });
  }
}
