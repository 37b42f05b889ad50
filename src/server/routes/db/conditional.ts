/**
 * Conditional and range requests for the DB endpoints, after RFC 9110: If-None-Match with the
 * weak comparison (https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2), If-Range with the
 * strong one (#section-13.1.5), and one `bytes` range (#section-14.1.2). Several ranges in one
 * request are answered with the whole representation, which the RFC allows (#section-14.2).
 */

export type RangeAnswer =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** True when `If-None-Match` lists `etag` (or `*`): the client's copy is current (304). */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

/**
 * The part of a `size`-byte representation a request asks for. A Range whose If-Range does not
 * name the current ETag (strongly) gets the whole new representation, so a resumed download
 * never splices two different bundles together.
 */
export function rangeOf(
  range: string | undefined,
  ifRange: string | undefined,
  etag: string,
  size: number,
): RangeAnswer {
  if (!range) return { kind: 'full' };
  if (ifRange !== undefined && (ifRange.trim().startsWith('W/') || ifRange.trim() !== etag))
    return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!m) return { kind: 'full' }; // several ranges or another unit: ignore the header
  const [first, last] = [m[1] ?? '', m[2] ?? ''];
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // A suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return { kind: 'full' }; // syntactically invalid: ignored
  return { kind: 'partial', start, end };
}
