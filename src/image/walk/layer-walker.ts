/**
 * walkLayer: one uncompressed layer tar in, a stream of entry/whiteout/opaque/issue events out.
 * Bodies of unwanted files are skipped without being copied; wanted ones are held (memory or
 * spill file) only until the consumer asks for the next event. Memory therefore stays at about
 * one decompressed chunk plus the wanted file in hand, whatever the size of the layer.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AssayError, isAssayError, wrapError } from '../../model/errors.js';
import { ByteReader } from './byte-reader.js';
import { type HeldContent, holdContent } from './file-content.js';
import { DEFAULT_SPILL_THRESHOLD, formatBytes, labelOf, layerTooLarge, resolveLimits } from './limits.js';
import { describeEntry, type EntryContext } from './tar-entry.js';
import type { RawEntry } from './tar-reader.js';
import { TarReader } from './tar-reader.js';
import type { LayerEvent, WalkOptions } from './types.js';

/** `tar` is the uncompressed tar: a stream, or chunks such as `layerTarChunks` yields. */
export async function* walkLayer(
  tar: Readable | AsyncIterable<Buffer>,
  opts: WalkOptions,
): AsyncGenerator<LayerEvent, void, undefined> {
  const label = labelOf(opts.layerLabel);
  const limits = resolveLimits(opts.limits);
  const bytes = new ByteReader(tar[Symbol.asyncIterator](), (_length, total) => {
    if (total > limits.maxLayerBytes) throw layerTooLarge(label, limits.maxLayerBytes, 'the layer tar');
  });
  const reader = new TarReader(bytes, limits, label);
  const ctx: EntryContext = { label, limits };
  const aborted = (): AssayError =>
    new AssayError('aborted', `${label}: aborted`, { cause: opts.signal?.reason });
  // Destroying a stream wakes a pending read (chunk producers watch the signal themselves); the
  // check in the loop stops between entries.
  const stopOnAbort = (): void => {
    if (tar instanceof Readable) tar.destroy(aborted());
  };
  opts.signal?.addEventListener('abort', stopOnAbort, { once: true });
  const events: LayerEvent[] = [];
  let held: HeldContent | undefined;
  try {
    for (;;) {
      if (opts.signal?.aborted) throw aborted();
      const raw = await reader.next();
      if (!raw) break;
      describeEntry(raw, ctx, events);
      for (const event of events) {
        // Checked before the await: most entries are not wanted, and an await costs a microtask each.
        const digest = isDigested(event, raw, opts) ? createHash('sha256') : undefined;
        const offered = isWanted(event, raw, opts)
          ? await offerContent(event, raw, reader, opts, ctx, digest)
          : NOTHING;
        if (digest && event.kind === 'entry') {
          // Not held (unwanted or too large): hash the body as it is consumed instead of skipping it.
          if (!offered.held) await reader.readBody((slice) => void digest.update(slice));
          event.sha256 = digest.digest('hex');
        }
        if (offered.issue) yield offered.issue;
        held = offered.held;
        yield event;
        if (held) {
          await held.dispose();
          held = undefined;
        }
      }
    }
    if (reader.sawEndMarker) await reader.drain();
    else yield endMarkerMissing(label, bytes.offset);
  } catch (err) {
    throw isAssayError(err) ? err : wrapError(err, label, 'corrupt-layer');
  } finally {
    opts.signal?.removeEventListener('abort', stopOnAbort);
    await held?.dispose();
    await bytes.close();
  }
}

const NOTHING: Readonly<{ held?: HeldContent; issue?: LayerEvent }> = Object.freeze({});

function isDigested(event: LayerEvent, raw: RawEntry, opts: WalkOptions): boolean {
  return (
    opts.digests !== undefined &&
    event.kind === 'entry' &&
    event.entry.type === 'file' &&
    opts.digests(event.entry.path, raw.size, event.entry)
  );
}

function isWanted(
  event: LayerEvent,
  raw: RawEntry,
  opts: WalkOptions,
): event is LayerEvent & { kind: 'entry' } {
  return (
    event.kind === 'entry' &&
    event.entry.type === 'file' &&
    opts.wants(event.entry.path, raw.size, event.entry)
  );
}

/** Holds a wanted file's content; above maxFileBytes an issue replaces it (the entry is still reported). */
async function offerContent(
  event: LayerEvent & { kind: 'entry' },
  raw: RawEntry,
  reader: TarReader,
  opts: WalkOptions,
  ctx: EntryContext,
  digest: Hash | undefined,
): Promise<{ held?: HeldContent; issue?: LayerEvent }> {
  const { label, limits } = ctx;
  if (raw.size > limits.maxFileBytes) {
    return { issue: fileTooLarge(label, event.entry.path, raw.size, limits.maxFileBytes) };
  }
  const held = await hold(reader, raw, event.entry.path, opts, label, digest);
  event.content = held;
  return { held };
}

async function hold(
  reader: TarReader,
  raw: RawEntry,
  path: string,
  opts: WalkOptions,
  label: string,
  digest: Hash | undefined,
): Promise<HeldContent> {
  const describe = `${label}: ${path}`;
  const body = digest
    ? (write: (slice: Buffer) => undefined | Promise<void>) =>
        reader.readBody((slice) => {
          digest.update(slice);
          return write(slice);
        })
    : (write: (slice: Buffer) => undefined | Promise<void>) => reader.readBody(write);
  try {
    return await holdContent(body, {
      size: raw.size,
      spillThreshold: opts.spillThreshold ?? DEFAULT_SPILL_THRESHOLD,
      spillDir: opts.spillDir,
      describe,
    });
  } catch (err) {
    if (isAssayError(err)) throw err;
    throw wrapError(
      err,
      `${describe}: could not hold the file's content in ${opts.spillDir ?? 'memory'}`,
      'internal',
    );
  }
}

function fileTooLarge(label: string, path: string, size: number, limit: number): LayerEvent {
  return {
    kind: 'issue',
    code: 'file-too-large',
    path,
    message:
      `${label}: ${path} is ${formatBytes(size)}, above the ${formatBytes(limit)} limit for a file's content ` +
      '(walk limit maxFileBytes); its content was not read, raise maxFileBytes to include it',
  };
}

function endMarkerMissing(label: string, offset: number): LayerEvent {
  return {
    kind: 'issue',
    code: 'missing-end-of-archive',
    message: `${label}: tar stream ended at byte ${offset} without an end-of-archive marker`,
  };
}
