/**
 * A node:http proxy in front of a real registry (./registry.ts) for tests: counts every request
 * and plays scripted faults a real registry will not produce on demand: a status (429, 500), a
 * request dropped before it reaches the registry, a response lost after the registry acted on
 * the request, a body cut or stalled after N bytes, or corrupted bytes. The Host header is passed
 * through, so the registry's Location headers point back at the proxy.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** The connection is closed once the request body has arrived; the registry never sees it. */
  | { kind: 'drop-request' }
  /** The registry handles the request; its answer is lost. */
  | { kind: 'drop-response' }
  /** The body stops after `afterBytes`: `cut` closes the connection, `hang` keeps it silent. */
  | { kind: 'cut' | 'hang'; afterBytes: number }
  /** Every body byte flipped; the length stays. */
  | { kind: 'corrupt' };

export interface ProxyRule {
  method?: string;
  /** Matched against the path (without the query). */
  path: RegExp;
  fault: ProxyFault;
  /** How many matching requests get the fault (default: all). */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  fault?: ProxyFault['kind'];
}

export class RegistryProxy {
  readonly requests: ProxiedRequest[] = [];
  rules: ProxyRule[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly agent = new http.Agent({ keepAlive: false });
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** `127.0.0.1:PORT`, the registry part of a reference through the proxy. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(rules: ProxyRule[] = []): void {
    this.requests.length = 0;
    this.rules = rules;
  }

  private take(method: string, path: string): ProxyFault | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.times === undefined || r.times > 0) && (!r.method || r.method === method) && r.path.test(path),
    );
    if (rule?.times !== undefined) rule.times--;
    return rule?.fault;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const fault = this.take(method, path);
    this.requests.push({ method, path, headers: req.headers, ...(fault ? { fault: fault.kind } : {}) });
    if (fault?.kind === 'status') {
      req.resume();
      req.on('end', () => res.writeHead(fault.status, fault.headers).end());
      return;
    }
    if (fault?.kind === 'drop-request') {
      req.resume();
      req.on('end', () => req.socket.destroy());
      return;
    }
    const upstream = http.request(
      { ...this.target, method, path: req.url, headers: req.headers, agent: this.agent },
      (up) => this.respond(up, res, fault),
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  private respond(up: http.IncomingMessage, res: http.ServerResponse, fault: ProxyFault | undefined): void {
    if (fault?.kind === 'drop-response') {
      up.resume();
      up.on('end', () => res.socket?.destroy());
      return;
    }
    res.writeHead(up.statusCode ?? 502, up.headers);
    let sent = 0;
    up.on('data', (chunk: Buffer) => {
      if (fault?.kind === 'corrupt') {
        res.write(Buffer.from(chunk.map((b) => b ^ 0xff)));
        return;
      }
      if (fault?.kind === 'cut' || fault?.kind === 'hang') {
        const room = fault.afterBytes - sent;
        if (room > 0) res.write(chunk.subarray(0, room));
        sent += Math.min(room, chunk.length);
        if (sent >= fault.afterBytes) {
          up.destroy();
          // Half-close after what was written: the client sees a body shorter than Content-Length.
          if (fault.kind === 'cut') res.socket?.end();
        }
        return;
      }
      res.write(chunk);
    });
    up.on('end', () => res.end());
  }
}
