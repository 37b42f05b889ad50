/**
 * Lines of a text feed as they stream in, never holding more than `maxBytes` of one line: a
 * line longer than that (a binary blob, a file that is not CSV) is reported as `tooLong` once
 * its newline arrives, its bytes dropped as they come.
 */

export interface FeedLine {
  /** 1-based. */
  number: number;
  /** Without the line break (LF or CRLF); empty when `tooLong`. */
  text: string;
  tooLong?: boolean;
}

export async function* feedLines(
  chunks: AsyncIterable<Buffer>,
  maxBytes: number,
): AsyncGenerator<FeedLine, void, undefined> {
  let pieces: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let number = 0;
  const take = (): FeedLine => {
    number++;
    const line = tooLong ? { number, text: '', tooLong } : { number, text: decode(Buffer.concat(pieces)) };
    pieces = [];
    length = 0;
    tooLong = false;
    return line;
  };
  const add = (piece: Buffer): void => {
    length += piece.length;
    if (length > maxBytes) {
      tooLong = true;
      pieces = [];
    } else if (piece.length > 0) pieces.push(piece);
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      add(chunk.subarray(start, nl));
      yield take();
      start = nl + 1;
    }
    add(chunk.subarray(start));
  }
  if (length > 0) yield take();
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
