/**
 * clamd for tests: (1) a real /usr/sbin/clamd (Debian's clamav-daemon) on a private unix socket
 * with a database the test writes (`.hdb` lines `md5:size:Name`, see
 * https://docs.clamav.net/manual/Signatures/HashSignatures.html), killed when the test ends;
 * (2) fake servers speaking just enough of the protocol to misbehave on purpose.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const CLAMD_BIN = '/usr/sbin/clamd';
const START_TIMEOUT_MS = 60_000;

export interface ClamdHandle {
  /** The unix socket path (engine endpoint: `unix:${socket}`). */
  socket: string;
  dbDir: string;
  stop(): Promise<void>;
}

export interface ClamdSetup {
  /** Database files by name (`test.hdb`, `test.ndb`), written before clamd starts; at least one. */
  signatures: Record<string, string>;
  /** clamd's StreamMaxLength (`1M`), when a test needs the INSTREAM size limit. */
  streamMaxLength?: string;
}

/** One `.hdb` line for exactly these bytes. ClamAV appends `.UNOFFICIAL` to the name it reports. */
export function hdbLine(bytes: Buffer, name: string): string {
  return `${createHash('md5').update(bytes).digest('hex')}:${bytes.length}:${name}`;
}

export async function startClamd(t: TestContext, setup: ClamdSetup): Promise<ClamdHandle> {
  if (!existsSync(CLAMD_BIN))
    throw new Error(`${CLAMD_BIN} not found: install clamav-daemon (apt-get install clamav-daemon)`);
  const dir = await mkdtemp(join(tmpdir(), 'assay-clamd-'));
  const dbDir = join(dir, 'db');
  const socket = join(dir, 'clamd.sock');
  await mkdir(dbDir);
  for (const [name, text] of Object.entries(setup.signatures))
    await writeFile(join(dbDir, name), `${text}\n`);
  const conf = [
    'Foreground yes',
    `LocalSocket ${socket}`,
    `DatabaseDirectory ${dbDir}`,
    `TemporaryDirectory ${dir}`,
    ...(setup.streamMaxLength ? [`StreamMaxLength ${setup.streamMaxLength}`] : []),
  ];
  await writeFile(join(dir, 'clamd.conf'), `${conf.join('\n')}\n`);
  const child = spawn(CLAMD_BIN, [`--config-file=${join(dir, 'clamd.conf')}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  const stop = async (): Promise<void> => {
    await kill(child);
    await rm(dir, { recursive: true, force: true });
  };
  t.after(stop);
  try {
    await waitForPong(socket, child, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, dbDir, stop };
}

/** The last 8 KiB of clamd's stdout+stderr, for a start failure's message. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (d: Buffer): void => {
    text = (text + d.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

async function waitForPong(socket: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `clamd exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${output()}`,
      );
    }
    if (existsSync(socket) && (await ping(socket))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`clamd did not answer PING on ${socket} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path: socket });
    let reply = '';
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.on('connect', () => s.write('zPING\0'));
    s.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\0')) done(reply === 'PONG\0');
    });
    s.on('error', () => done(false));
    s.on('close', () => done(false));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * A fake clamd on a unix socket: `reply(command)` answers each `z<COMMAND>\0` (for INSTREAM
 * after the terminating zero-length chunk); `undefined` means never answer. The connection stays
 * open after a reply, as a misbehaving server might. With `streamLimit`, a stream longer than
 * that gets clamd's size-limit reply at once (and, unlike clamd, the connection stays open, so
 * the client reads the reply without racing its own EPIPE).
 */
export async function startFakeClamd(
  t: TestContext,
  reply: (command: string) => Buffer | string | undefined,
  streamLimit = Number.POSITIVE_INFINITY,
): Promise<{ socket: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-fake-clamd-'));
  const socket = join(dir, 'clamd.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    readCommands(s, streamLimit, (cmd) => {
      const r = cmd === 'LIMIT' ? 'INSTREAM size limit exceeded. ERROR\0' : reply(cmd);
      if (r !== undefined) s.write(r);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  return { socket };
}

/** Parses `z<CMD>\0` and, after INSTREAM, the chunks up to the zero-length one (or `LIMIT`). */
function readCommands(s: Socket, limit: number, onCommand: (cmd: string) => void): void {
  let buf = Buffer.alloc(0);
  let streaming = false;
  let streamed = 0;
  s.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (streaming) {
        if (buf.length < 4) return;
        const len = buf.readUInt32BE(0);
        if (buf.length < 4 + len) return;
        buf = buf.subarray(4 + len);
        streamed += len;
        if (streamed > limit) {
          onCommand('LIMIT');
          s.removeAllListeners('data');
          s.resume();
          return;
        }
        if (len === 0) {
          streaming = false;
          onCommand('INSTREAM');
        }
        continue;
      }
      const nul = buf.indexOf(0);
      if (nul < 0) return;
      const cmd = buf.subarray(1, nul).toString('latin1');
      buf = buf.subarray(nul + 1);
      if (cmd === 'INSTREAM') {
        streaming = true;
        streamed = 0;
      } else onCommand(cmd);
    }
  });
}
