/**
 * Splits a JSON object `{"k1": v1, "k2": v2, …}` arriving in chunks into its top-level members,
 * each with its value's raw bytes, so a feed like the Debian tracker's (one ~70 MB object keyed
 * by source package) is parsed one member at a time with `JSON.parse` and memory stays bounded
 * by the largest member. The splitter follows only what it needs to find a member's end —
 * strings, escapes and bracket nesting (RFC 8259 §2, §7) — and leaves validating the value's
 * tokens to `JSON.parse`, so a bad literal inside one member costs that member only. When the
 * structure itself is broken (mismatched brackets, junk between members, the input ending
 * early) no member boundary can be trusted any more and it throws, naming the byte offset.
 */
import { AssayError } from '../../../model/errors.js';

export interface JsonMember {
  /** The decoded key, or undefined when the key is not a valid JSON string. */
  name: string | undefined;
  /** Byte offset of the member's key in the (uncompressed) input. */
  offset: number;
  /** The value's raw bytes; undefined when they exceed the limit (`size` says how many there were). */
  value: Buffer | undefined;
  size: number;
}

/** Deeper nesting than this is no feed's: refuse it before `JSON.parse` could overflow the stack. */
export const MAX_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

type State =
  | 'start'
  | 'first-key'
  | 'next-key'
  | 'key'
  | 'colon'
  | 'value-start'
  | 'value'
  | 'after'
  | 'done';

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Bytes of one key or value spanning chunks, dropped (but still counted) past the limit. */
class Capture {
  private pieces: Buffer[] = [];
  size = 0;
  constructor(private readonly max: number) {}
  add(piece: Buffer): void {
    this.size += piece.length;
    if (this.size > this.max) this.pieces = [];
    else this.pieces.push(piece);
  }
  take(): Buffer | undefined {
    const out = this.size > this.max ? undefined : Buffer.concat(this.pieces);
    this.pieces = [];
    this.size = 0;
    return out;
  }
}

export class MemberSplitter {
  private state: State = 'start';
  /** Offset of the current chunk's first byte in the whole input. */
  private base = 0;
  private inString = false;
  private escaped = false;
  /** Open brackets of the current value; a scalar value has none. */
  private readonly stack: number[] = [];
  private scalar = false;
  private readonly key: Capture;
  private readonly value: Capture;
  private memberOffset = 0;
  private memberName: string | undefined;

  constructor(
    private readonly label: string,
    maxValueBytes: number,
  ) {
    this.key = new Capture(Math.min(maxValueBytes, 64 * 1024));
    this.value = new Capture(maxValueBytes);
  }

  /** The members that end in `chunk`; consume them all before the next push. */
  *push(chunk: Buffer): Generator<JsonMember, void, undefined> {
    let i = 0;
    let from = -1;
    while (i < chunk.length) {
      if (this.state === 'key' || this.state === 'value') {
        if (from < 0) from = i;
        const end = this.state === 'key' ? this.scanString(chunk, i) : this.scanValue(chunk, i);
        if (end < 0) break;
        const piece = chunk.subarray(from, end);
        from = -1;
        if (this.state === 'key') {
          this.key.add(piece);
          this.endKey();
        } else {
          this.value.add(piece);
          yield this.endValue();
        }
        i = end;
        continue;
      }
      i = this.structural(chunk, i);
    }
    if (from >= 0) (this.state === 'key' ? this.key : this.value).add(chunk.subarray(from));
    this.base += chunk.length;
  }

  /** Call after the last chunk: throws when the input stopped before the object closed. */
  end(): void {
    if (this.state === 'done') return;
    const where =
      this.state === 'start'
        ? 'no JSON object'
        : this.memberName !== undefined && (this.state === 'value' || this.state === 'value-start')
          ? `inside member "${this.memberName}" (starting at byte ${this.memberOffset})`
          : 'before the object closed';
    throw new AssayError('invalid-input', `${this.label}: truncated JSON at byte ${this.base}: ${where}`);
  }

  /** One byte between members; returns the next index. */
  private structural(chunk: Buffer, i: number): number {
    const b = chunk[i]!;
    if (isSpace(b) || (this.state === 'start' && this.base + i < 3 && isBom(chunk, i))) return i + 1;
    switch (this.state) {
      case 'start':
        return b === OPEN_OBJECT ? this.go('first-key', i) : this.fail(i, 'expected a JSON object');
      case 'first-key':
        if (b === CLOSE_OBJECT) return this.go('done', i);
        return b === QUOTE ? this.startKey(i) : this.fail(i, 'expected a member name or "}"');
      case 'next-key':
        return b === QUOTE ? this.startKey(i) : this.fail(i, 'expected a member name');
      case 'colon':
        return b === COLON ? this.go('value-start', i) : this.fail(i, 'expected ":"');
      case 'value-start':
        this.state = 'value';
        this.scalar = b !== OPEN_OBJECT && b !== OPEN_ARRAY && b !== QUOTE;
        return i; // the value scanner reads this byte again
      case 'after':
        if (b === COMMA) return this.go('next-key', i);
        return b === CLOSE_OBJECT ? this.go('done', i) : this.fail(i, 'expected "," or "}" after a member');
      default:
        return this.fail(i, 'unexpected data after the JSON object');
    }
  }

  private go(state: State, i: number): number {
    this.state = state;
    return i + 1;
  }

  private startKey(i: number): number {
    this.memberOffset = this.base + i;
    this.state = 'key';
    this.inString = false;
    return i; // the string scanner reads the opening quote
  }

  private endKey(): void {
    const bytes = this.key.take();
    this.memberName = undefined;
    if (bytes) {
      try {
        const name: unknown = JSON.parse(bytes.toString('utf8'));
        if (typeof name === 'string') this.memberName = name;
      } catch {
        // reported with the member: its name stays undefined
      }
    }
    this.state = 'colon';
  }

  private endValue(): JsonMember {
    const size = this.value.size;
    const value = this.value.take();
    this.state = 'after';
    return { name: this.memberName, offset: this.memberOffset, value, size };
  }

  /** Scans a key string from its opening quote; returns the index after its closing quote, or -1. */
  private scanString(chunk: Buffer, i: number): number {
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (!this.inString) {
        this.inString = true; // the opening quote
      } else if (this.escaped) {
        this.escaped = false;
      } else if (b === BACKSLASH) {
        this.escaped = true;
      } else if (b === QUOTE) {
        this.inString = false;
        return i + 1;
      }
    }
    return -1;
  }

  /** Scans a member value; returns the index just after it, or -1 when it continues past the chunk. */
  private scanValue(chunk: Buffer, i: number): number {
    if (this.scalar) return this.scanScalar(chunk, i);
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.stack.length === 0) return i + 1; // a string value
        }
      } else if (b === QUOTE) this.inString = true;
      else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (this.stack.length >= MAX_DEPTH) this.fail(i, `nesting deeper than ${MAX_DEPTH}`);
        this.stack.push(b);
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        const open = this.stack.pop();
        if (open !== (b === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY))
          this.fail(i, `unbalanced "${String.fromCharCode(b)}"`);
        if (this.stack.length === 0) return i + 1;
      }
    }
    return -1;
  }

  /** A number, `true`, `false` or `null` ends where the member does. */
  private scanScalar(chunk: Buffer, i: number): number {
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === COMMA || b === CLOSE_OBJECT || isSpace(b)) return i;
      if (b === OPEN_OBJECT || b === OPEN_ARRAY || b === CLOSE_ARRAY || b === QUOTE || b === COLON)
        this.fail(i, 'malformed value');
    }
    return -1;
  }

  private fail(i: number, message: string): never {
    throw new AssayError('invalid-input', `${this.label}: invalid JSON at byte ${this.base + i}: ${message}`);
  }
}

/** A UTF-8 byte-order mark at the very start (RFC 8259 §8.1 lets parsers ignore it). */
function isBom(chunk: Buffer, i: number): boolean {
  const b = chunk[i];
  return b === 0xef || b === 0xbb || b === 0xbf;
}
