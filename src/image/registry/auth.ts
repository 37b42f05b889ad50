/**
 * Authorization for one repository on one registry: anonymous, Basic (when the registry
 * challenges Basic) or Bearer tokens (Docker token auth,
 * https://distribution.github.io/distribution/spec/auth/token/). The scheme is learned from the
 * `GET /v2/` ping or from a 401 challenge; afterwards every request carries the right header up
 * front, so a pull costs one token request per scope rather than one 401 per request.
 */
import { AssayError } from '../../model/errors.js';
import { type BearerChallenge, findBearer, hasBasic, parseChallenges } from './challenge.js';
import type { Credentials } from './credentials.js';
import { basicAuthorization, fetchToken, TokenCache } from './token.js';
import type { Transport } from './transport.js';

type Scheme = { kind: 'anonymous' } | { kind: 'basic' } | { kind: 'bearer'; challenge: BearerChallenge };

export interface AuthContext {
  /** Registry as the user named it (`docker.io`, `127.0.0.1:5000`), for messages and `docker login`. */
  registry: string;
  repository: string;
  /** The image reference, named in every error. */
  label: string;
  transport: Transport;
  /** Looked up once, and only when the registry asks for authentication. */
  credentials: () => Promise<Credentials | undefined>;
  /** Where we looked, for the message when nothing was found (e.g. the config.json path). */
  credentialHint: string;
  /** Ask for push access too (`repository:NAME:pull,push`), for uploads. */
  push?: boolean | undefined;
}

export class RegistryAuth {
  private scheme: Scheme = { kind: 'anonymous' };
  private readonly tokens = new TokenCache();
  private lookup: Promise<Credentials | undefined> | undefined;
  /** Set once the lookup has settled, so error messages can say what was tried. */
  private found: { creds: Credentials | undefined } | undefined;

  constructor(private readonly ctx: AuthContext) {}

  /** Records the scheme a 401 asked for (`WWW-Authenticate`); returns false if unusable. */
  learn(header: string | string[] | undefined): boolean {
    const challenges = parseChallenges(header);
    const bearer = findBearer(challenges);
    if (bearer) this.scheme = { kind: 'bearer', challenge: bearer };
    else if (hasBasic(challenges)) this.scheme = { kind: 'basic' };
    else return false;
    return true;
  }

  /** The Authorization header for the next request, if the registry wants one. */
  async authorization(signal?: AbortSignal): Promise<string | undefined> {
    if (this.scheme.kind === 'anonymous') return undefined;
    const creds = await this.credentials();
    if (this.scheme.kind === 'basic') {
      if (!creds?.username || creds.password === undefined) throw this.unauthorized();
      return basicAuthorization(creds.username, creds.password);
    }
    const { challenge } = this.scheme;
    const scope = this.scope(challenge);
    const key = this.tokenKey(challenge, scope);
    try {
      const label = this.ctx.label;
      const token = await this.tokens.get(key, () =>
        fetchToken(this.ctx.transport, { challenge, scope, credentials: creds, signal, label }),
      );
      return `Bearer ${token.value}`;
    } catch (err) {
      if (err instanceof AssayError && err.code === 'unauthorized') {
        throw new AssayError('unauthorized', `${err.message}; ${this.howToLogIn()}`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * After a 401: learn the challenge and return a header worth one more try, or throw
   * `unauthorized` when the same kind of credentials was already refused.
   */
  async retryAuthorization(
    header: string | string[] | undefined,
    used: string | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const before = this.scheme.kind;
    if (!this.learn(header)) throw this.unauthorized();
    if (this.scheme.kind === 'bearer' && used?.startsWith('Bearer ')) {
      // An expired or under-scoped token: drop it so the next call fetches a fresh one.
      const { challenge } = this.scheme;
      this.tokens.invalidate(this.tokenKey(challenge, this.scope(challenge)), used.slice('Bearer '.length));
    } else if (used !== undefined && this.scheme.kind === before) {
      throw this.unauthorized();
    }
    const next = await this.authorization(signal);
    if (next === undefined) throw this.unauthorized();
    return next;
  }

  /** A challenge on a resource names the scope it needs; the ping's does not, so we derive it. */
  private scope(c: BearerChallenge): string {
    // A pusher wants one token for everything: a HEAD's challenge would otherwise scope it to pull.
    if (this.ctx.push) return `repository:${this.ctx.repository}:pull,push`;
    return c.scope ?? `repository:${this.ctx.repository}:pull`;
  }

  private tokenKey(c: BearerChallenge, scope: string): string {
    return JSON.stringify([c.realm, c.service ?? '', scope]);
  }

  private credentials(): Promise<Credentials | undefined> {
    this.lookup ??= this.ctx.credentials().then((creds) => {
      this.found = { creds };
      return creds;
    });
    return this.lookup;
  }

  private howToLogIn(): string {
    const { registry, credentialHint } = this.ctx;
    return (
      `provide credentials with \`docker login ${registry}\`, an entry for ${registry} in ${credentialHint}, ` +
      'or --username/--password (ASSAY_USERNAME/ASSAY_PASSWORD)'
    );
  }

  /** Whom a 403 refused: `as user "alice" from SOURCE`, or `anonymously`. */
  identity(): string {
    const creds = this.found?.creds;
    if (this.scheme.kind === 'anonymous' || !creds) return 'anonymously';
    const who = creds.username ? `user ${JSON.stringify(creds.username)}` : 'an identity token';
    return `as ${who} from ${creds.source}`;
  }

  /** The final 401: says which credentials were tried and how to provide others. */
  unauthorized(): AssayError {
    const { registry, label } = this.ctx;
    const creds = this.found?.creds;
    let tried: string;
    if (!creds) {
      tried = `registry ${registry} requires authentication (tried anonymously, no credentials found), or the repository does not exist`;
    } else {
      const who = creds.username ? `user ${JSON.stringify(creds.username)}` : 'an identity token';
      tried = `registry ${registry} rejected ${who} from ${creds.source}; check the password, and that this account may ${this.ctx.push ? 'push to' : 'pull'} the repository`;
    }
    return new AssayError('unauthorized', `${label}: ${tried}; ${this.howToLogIn()}`);
  }
}
