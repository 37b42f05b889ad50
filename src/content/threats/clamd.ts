/**
 * ClamAV as a threat engine, through a running clamd. Protocol: clamd(8), "COMMANDS"
 * (https://docs.clamav.net/manual/Usage/Scanning.html#clamd and `man clamd`): a command is
 * `z<NAME>\0`, its reply ends with `\0`; INSTREAM is followed by chunks `<uint32 BE length><bytes>`
 * and a zero-length chunk, and answers `stream: OK`, `stream: <Signature> FOUND` or
 * `<reason> ERROR` (e.g. `INSTREAM size limit exceeded. ERROR` past StreamMaxLength).
 *
 * clamd closes the connection after every command outside IDSESSION, so the "pool" here is a
 * bounded number of concurrent connections, one per file: a unix-socket connect costs far less
 * than the scan, and it avoids IDSESSION's reply-id bookkeeping and idle-timeout races. Every
 * request has a deadline; every failure is the failing file's own error naming the endpoint.
 */
import { AssayError } from '../../model/errors.js';
import type { ContentHit, ThreatEngine } from '../types.js';
import { ClamdClient, quote } from './clamd-client.js';

export interface ClamdOptions {
  /** Per request, connect to reply (default 30 s). */
  timeoutMs?: number;
  /** Largest file handed to clamd (default 25 MiB, clamd's default StreamMaxLength). */
  maxFileBytes?: number;
  /** Concurrent connections (default 4; clamd's MaxThreads defaults to 10). */
  concurrency?: number;
}

export type ClamdEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 4;
/** INSTREAM chunk size: clamd reads chunks of any size up to StreamMaxLength. */
const CHUNK = 64 * 1024;
const FORMS = 'expected unix:/path/to/clamd.ctl or tcp:HOST:PORT';

/** `unix:/run/clamav/clamd.ctl` or `tcp:127.0.0.1:3310` (`tcp:[::1]:3310` for IPv6). */
export function parseClamdEndpoint(text: string): ClamdEndpoint {
  if (text.startsWith('unix:') && text.length > 'unix:'.length) return { kind: 'unix', path: text.slice(5) };
  const m = /^tcp:(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new AssayError('invalid-input', `invalid clamd endpoint ${JSON.stringify(text)}: ${FORMS}`);
  }
  return { kind: 'tcp', host: (m[1] ?? m[2]) as string, port };
}

/** Connects once (VERSION) so a clamd that is down fails here, before any layer is read. */
export async function openClamd(endpoint: string, opts: ClamdOptions = {}): Promise<ThreatEngine> {
  const client = new ClamdClient(
    endpoint,
    parseClamdEndpoint(endpoint),
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  const version = await client.request([Buffer.from('zVERSION\0')]);
  if (!version.startsWith('ClamAV ')) {
    throw new AssayError(
      'engine',
      `clamd at ${endpoint} answered VERSION with ${quote(version)}: is it clamd?`,
    );
  }
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const slots = new Semaphore(Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY));
  return {
    id: 'clamav',
    // e.g. `ClamAV 1.4.6/27471/Sun Nov 29 08:23:12 2026`: engine, signature version and date.
    cacheKey: version,
    wants: (_path, size) => size > 0 && size <= maxFileBytes,
    async scan(_path, bytes, signal) {
      await slots.acquire(signal);
      try {
        return parseStreamReply(endpoint, await client.request(instream(bytes), signal));
      } finally {
        slots.release();
      }
    },
    close: async () => client.close(),
  };
}

function instream(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [Buffer.from('zINSTREAM\0')];
  for (let off = 0; off < bytes.length; off += CHUNK) {
    const chunk = bytes.subarray(off, off + CHUNK);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(chunk.length);
    parts.push(head, chunk);
  }
  parts.push(Buffer.alloc(4));
  return parts;
}

/** `stream: OK` → no hit; `stream: <sig> FOUND` → one hit; `… ERROR` or anything else → this file's error. */
export function parseStreamReply(endpoint: string, reply: string): ContentHit[] {
  if (reply === 'stream: OK') return [];
  const found = /^stream: (\S.{0,255}) FOUND$/.exec(reply);
  if (found) {
    const sig = found[1] as string;
    return [
      {
        kind: 'threat',
        id: `clamav:${sig}`,
        engine: 'clamav',
        severity: 'critical',
        category: 'malware',
        title: `ClamAV: ${sig}`,
        evidence: sig,
      },
    ];
  }
  if (reply.endsWith(' ERROR')) throw new AssayError('engine', `clamd at ${endpoint}: ${reply}`);
  throw new AssayError('engine', `clamd at ${endpoint} sent an unexpected reply: ${quote(reply)}`);
}

/** At most `n` holders; waiters leave the queue when their signal aborts. */
class Semaphore {
  private readonly waiting: Array<() => void> = [];

  constructor(private free: number) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(wake), 1);
        reject(new AssayError('aborted', 'clamd scan aborted', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
