/**
 * Feeding a pull-based source into a push-based decoder (zlib stream, child process stdin)
 * with backpressure, without ever rejecting: the decoder's output side is where errors are
 * reported, and the source's own error is handed back so it is not mistaken for corrupt data.
 */
import type { Writable } from 'node:stream';

export interface PumpState {
  /** Set when the source (not the decoder) failed: a network error, a blob digest mismatch… */
  sourceError?: unknown;
  /** Resolves once the source is exhausted, failed, or the sink went away. */
  done: Promise<void>;
}

export function pump(source: AsyncIterable<Buffer>, sink: Writable): PumpState {
  const state: PumpState = { done: Promise.resolve() };
  state.done = run(source, sink, state);
  return state;
}

async function run(source: AsyncIterable<Buffer>, sink: Writable, state: PumpState): Promise<void> {
  // EPIPE from a decoder process that already exited is expected; its exit status tells the story.
  sink.on('error', ignore);
  try {
    for await (const chunk of source) {
      if (sink.destroyed || sink.writableEnded) return;
      if (!sink.write(chunk)) await drained(sink);
    }
    if (!sink.destroyed) sink.end();
  } catch (err) {
    state.sourceError = err;
    sink.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

function drained(sink: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

function ignore(): void {}

/** The first `n` bytes of an iterator, plus the chunks read to get them (to be replayed). */
export async function peek(
  source: AsyncIterator<Buffer>,
  n: number,
): Promise<{ head: Buffer; chunks: Buffer[] }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const next = await source.next();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return { head: head.subarray(0, n), chunks };
}

/** Replays peeked chunks, then the rest of the iterator; counts bytes into `counter`. */
export async function* replay(
  chunks: Buffer[],
  rest: AsyncIterator<Buffer>,
  counter: { bytes: number },
): AsyncGenerator<Buffer, void, undefined> {
  for (const chunk of chunks) {
    counter.bytes += chunk.length;
    yield chunk;
  }
  chunks.length = 0;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    counter.bytes += next.value.length;
    yield next.value;
  }
}
