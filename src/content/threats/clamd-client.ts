/**
 * One clamd request per connection (clamd closes it after any command outside IDSESSION): send
 * the parts, read up to the first `\0`, within a deadline, abortable. Failures name the endpoint.
 */
import { connect, type Socket } from 'node:net';
import { AssayError } from '../../model/errors.js';
import type { ClamdEndpoint } from './clamd.js';

/** A real reply is a line; anything longer without its `\0` is not clamd talking. */
const MAX_REPLY = 4096;

export class ClamdClient {
  private readonly open = new Set<Socket>();
  private closed = false;

  constructor(
    private readonly label: string,
    private readonly endpoint: ClamdEndpoint,
    private readonly timeoutMs: number,
  ) {}

  /** Sends `parts`, resolves with the first `\0`-terminated reply (without the `\0`). */
  request(parts: Buffer[], signal?: AbortSignal): Promise<string> {
    if (this.closed) return Promise.reject(new AssayError('engine', `clamd at ${this.label}: engine closed`));
    signal?.throwIfAborted();
    const ep = this.endpoint;
    const sock = ep.kind === 'unix' ? connect({ path: ep.path }) : connect({ host: ep.host, port: ep.port });
    this.open.add(sock);
    return new Promise<string>((resolve, reject) => {
      const received: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (err: Error | undefined, reply?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.open.delete(sock);
        sock.destroy();
        if (err) reject(err);
        else resolve(reply as string);
      };
      const onAbort = (): void =>
        finish(new AssayError('aborted', `clamd at ${this.label}: aborted`, { cause: signal?.reason }));
      const timer = setTimeout(
        () =>
          finish(
            new AssayError('timeout', `clamd at ${this.label} did not answer within ${this.timeoutMs} ms`),
          ),
        this.timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      sock.on('data', (d: Buffer) => {
        received.push(d);
        size += d.length;
        const all = Buffer.concat(received);
        const nul = all.indexOf(0);
        if (nul >= 0) finish(undefined, all.subarray(0, nul).toString('utf8'));
        else if (size > MAX_REPLY) finish(this.garbage(all));
      });
      let connected = false;
      sock.on('error', (err) => {
        if (!connected) finish(this.unreachable(err));
        else if (size > 0) finish(this.garbage(Buffer.concat(received)));
        else finish(this.dropped(err));
      });
      sock.on('close', () => finish(this.garbage(Buffer.concat(received))));
      sock.on('connect', () => {
        connected = true;
        void writeAll(sock, parts);
      });
    });
  }

  close(): void {
    this.closed = true;
    for (const s of this.open) s.destroy();
    this.open.clear();
  }

  private garbage(bytes: Buffer): AssayError {
    if (bytes.length === 0)
      return new AssayError('engine', `clamd at ${this.label} closed the connection without a reply`);
    return new AssayError(
      'engine',
      `clamd at ${this.label} sent an unexpected reply: ${quote(bytes.toString('latin1'))}`,
    );
  }

  /** A write failed before any reply: clamd hung up mid-stream, most often at StreamMaxLength. */
  private dropped(err: NodeJS.ErrnoException): AssayError {
    const why = err.code ?? err.message;
    return new AssayError(
      'engine',
      `clamd at ${this.label} closed the connection before the end of the stream (${why}); the file may exceed its StreamMaxLength`,
      { cause: err },
    );
  }

  private unreachable(err: NodeJS.ErrnoException): AssayError {
    const why = err.code ?? err.message;
    return new AssayError(
      'network',
      `cannot talk to clamd at ${this.label} (${why}): is clamd running? start it or drop --clamd`,
      {
        cause: err,
      },
    );
  }
}

/**
 * Writes one part at a time and lets the event loop poll between parts: clamd answers a stream
 * past its StreamMaxLength with an ERROR reply and hangs up, and our next write's EPIPE destroys
 * the socket, so the reply must have been read by then.
 */
async function writeAll(sock: Socket, parts: Buffer[]): Promise<void> {
  for (const p of parts) {
    if (sock.destroyed) return;
    const ok = await new Promise<boolean>((resolve) => sock.write(p, (err) => resolve(!err)));
    if (!ok) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A reply shown in an error: JSON-quoted, cut at 80 characters. */
export function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(short);
}
