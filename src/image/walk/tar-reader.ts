/**
 * A streaming tar reader: headers in, raw entries out, extension headers (PAX `x`/`g`, GNU
 * `L`/`K`) folded into the entry they describe. It never buffers a body; the caller either
 * reads the current body through `readBody` or lets `next()` skip it.
 */
import { AssayError } from '../../model/errors.js';
import type { ByteReader } from './byte-reader.js';
import { MAX_EXTENSION_HEADER_BYTES, tooManyEntries } from './limits.js';
import { type PaxFields, parsePax } from './pax.js';
import { BLOCK, decodeHeader, type RawHeader } from './tar-header.js';
import type { WalkIssueCode, WalkLimits } from './types.js';

export interface RawEntry {
  /** Name as stored, after PAX/GNU long-name substitution; not yet cleaned. */
  name: string;
  linkname: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Body bytes that follow the header (0 for header-only types). */
  size: number;
  /** Offset of the entry's header in the tar stream. */
  offset: number;
  /** Set when an extension header made the entry unusable: skip it and report this. */
  problem?: { code: WalkIssueCode; message: string };
}

interface Pending {
  pax?: PaxFields;
  longName?: string;
  longLink?: string;
  problem?: RawEntry['problem'];
}

/** Types that never carry data whatever their size field says (as GNU tar and Go's archive/tar read them). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
const EXTENSIONS = new Set(['x', 'g', 'L', 'K']);

export class TarReader {
  private remaining = 0;
  private padding = 0;
  private current: RawEntry | undefined;
  private global: PaxFields = {};
  private headers = 0;
  /** True once the end-of-archive zero block was read. */
  sawEndMarker = false;

  constructor(
    private readonly bytes: ByteReader,
    private readonly limits: WalkLimits,
    private readonly label: string,
  ) {}

  /** The next entry, or undefined at the end of the archive. Skips whatever body is left. */
  async next(): Promise<RawEntry | undefined> {
    // Fast paths without an await: skipping a body and reading a header inside the current chunk.
    if (this.remaining + this.padding > 0) {
      if (this.bytes.skipBuffered(this.remaining + this.padding)) this.remaining = this.padding = 0;
      else await this.finishBody();
    }
    const pending: Pending = {};
    for (;;) {
      const offset = this.bytes.offset;
      const block = this.bytes.readBuffered(BLOCK) ?? (await this.bytes.read(BLOCK));
      if (block.length === 0) return undefined;
      if (block.length < BLOCK) throw this.truncated(`inside the header at byte ${offset}`);
      const decoded = decodeHeader(block);
      if (decoded.kind === 'zero') {
        this.sawEndMarker = true;
        return undefined;
      }
      if (decoded.kind === 'bad') {
        throw new AssayError(
          'corrupt-layer',
          `${this.label}: not a valid tar header at byte ${offset}: ${decoded.reason}`,
        );
      }
      if (++this.headers > this.limits.maxEntries) throw tooManyEntries(this.label, this.limits.maxEntries);
      if (EXTENSIONS.has(decoded.header.typeflag)) {
        await this.readExtension(decoded.header, pending, offset);
        continue;
      }
      return this.begin(decoded.header, pending, offset);
    }
  }

  /** Delivers the current entry's body (all of it) to `sink`, in order. */
  async readBody(sink: (slice: Buffer) => undefined | Promise<void>): Promise<void> {
    const want = this.remaining;
    const got = await this.bytes.forEach(want, sink);
    this.remaining -= got;
    if (got < want) throw this.truncatedBody();
  }

  /** Reads and discards everything after the end marker, so digests and decoders see the whole stream. */
  async drain(): Promise<number> {
    return this.bytes.skip(Number.POSITIVE_INFINITY);
  }

  private begin(header: RawHeader, pending: Pending, offset: number): RawEntry {
    const pax = pending.pax ?? {};
    const size = pax.size ?? header.size;
    const body = HEADER_ONLY.has(header.typeflag) ? 0 : size;
    const entry: RawEntry = {
      name: pax.path ?? pending.longName ?? header.name,
      linkname: pax.linkpath ?? pending.longLink ?? header.linkname,
      typeflag: header.typeflag,
      mode: header.mode,
      uid: pax.uid ?? this.global.uid ?? header.uid,
      gid: pax.gid ?? this.global.gid ?? header.gid,
      mtime: pax.mtime ?? this.global.mtime ?? header.mtime,
      size: body,
      offset,
    };
    if (pending.problem) entry.problem = pending.problem;
    this.current = entry;
    this.remaining = body;
    this.padding = (BLOCK - (body % BLOCK)) % BLOCK;
    return entry;
  }

  private async finishBody(): Promise<void> {
    if (this.remaining > 0) {
      const want = this.remaining;
      const got = await this.bytes.skip(want);
      this.remaining -= got;
      if (got < want) throw this.truncatedBody();
    }
    if (this.padding > 0) {
      const want = this.padding;
      this.padding = 0;
      if ((await this.bytes.skip(want)) < want) throw this.truncated('inside the padding after an entry');
    }
  }

  private async readExtension(header: RawHeader, pending: Pending, offset: number): Promise<void> {
    const { typeflag, size } = header;
    const isName = typeflag === 'L' || typeflag === 'K';
    const cap = isName ? this.limits.maxPathBytes + 1 : MAX_EXTENSION_HEADER_BYTES;
    const padded = size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (size > cap) {
      if ((await this.bytes.skip(padded)) < padded)
        throw this.truncated(`inside the extension header at byte ${offset}`);
      pending.problem = isName
        ? {
            code: 'path-too-long',
            message: `GNU long name of ${size} bytes exceeds maxPathBytes (${cap - 1})`,
          }
        : {
            code: 'bad-extended-header',
            message: `PAX header of ${size} bytes at byte ${offset} is too large`,
          };
      return;
    }
    const data = await this.bytes.read(padded);
    if (data.length < padded) throw this.truncated(`inside the extension header at byte ${offset}`);
    const body = data.subarray(0, size);
    if (isName) applyLongName(typeflag, body, pending);
    else applyPax(typeflag, body, pending, this.global, offset);
  }

  private truncatedBody(): AssayError {
    const entry = this.current;
    const name = entry ? `"${entry.name}" (header at byte ${entry.offset}, ${entry.size} bytes)` : 'an entry';
    return this.truncated(`inside the body of ${name}`);
  }

  private truncated(where: string): AssayError {
    return new AssayError(
      'corrupt-layer',
      `${this.label}: tar stream truncated at byte ${this.bytes.offset}, ${where}`,
    );
  }
}

/** GNU stores the name NUL-terminated; anything but NULs after the terminator is a smuggled name. */
function applyLongName(typeflag: string, body: Buffer, pending: Pending): void {
  const nul = body.indexOf(0);
  const end = nul < 0 ? body.length : nul;
  if (nul >= 0 && body.subarray(nul).some((b) => b !== 0)) {
    pending.problem = { code: 'nul-in-name', message: 'GNU long name contains a NUL byte' };
  }
  const value = body.toString('utf8', 0, end);
  if (typeflag === 'L') pending.longName = value;
  else pending.longLink = value;
}

function applyPax(typeflag: string, body: Buffer, pending: Pending, global: PaxFields, offset: number): void {
  const parsed = parsePax(body);
  if (!parsed.ok) {
    pending.problem = {
      code: 'bad-extended-header',
      message: `PAX header at byte ${offset}: ${parsed.reason}`,
    };
    return;
  }
  if (typeflag === 'x') {
    pending.pax = { ...pending.pax, ...parsed.fields };
    return;
  }
  // A global header's path or size would apply to every later entry: meaningless, so only the
  // ownership and time defaults are kept.
  const { uid, gid, mtime } = parsed.fields;
  Object.assign(global, dropUndefined({ uid, gid, mtime }));
}

function dropUndefined(fields: PaxFields): PaxFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
