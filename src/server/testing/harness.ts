/**
 * Builds the app on one store engine with an admin, a scanner and a viewer token, and closes
 * everything in `t.after`. `call` wraps app.inject with a bearer token and JSON body.
 */
import type { TestContext } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type AppDeps, buildApp } from '../app.js';
import { createToken } from '../services/tokens.js';
import type { Store } from '../store/store.js';
import type { Role } from '../store/tokens-repo.js';
import { type Backend, openTestStore } from './backends.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Harness {
  app: FastifyInstance;
  store: Store;
  /** The PostgreSQL database URL (postgres backend only). */
  url?: string;
  tokens: Record<Role, string>;
  call(
    method: Method,
    url: string,
    opts?: { token?: string | null; body?: unknown; role?: Role },
  ): Promise<LightMyRequestResponse>;
}

export async function harness(
  backend: Backend,
  t: Pick<TestContext, 'after'>,
  deps: Omit<AppDeps, 'store'> = {},
): Promise<Harness> {
  const { store, url } = await openTestStore(backend, t);
  const app = await buildApp({ store, ...deps });
  t.after(() => app.close());
  const tokens = {
    admin: (await createToken(store, 'admin', 'test-admin')).token,
    scanner: (await createToken(store, 'scanner', 'ci')).token,
    viewer: (await createToken(store, 'viewer', 'auditor')).token,
  };
  const call: Harness['call'] = (method, path, opts = {}) => {
    const token = opts.token === undefined ? tokens[opts.role ?? 'admin'] : opts.token;
    return app.inject({
      method,
      url: path,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(opts.body === undefined
        ? {}
        : {
            payload: JSON.stringify(opts.body),
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          }),
    });
  };
  return { app, store, ...(url ? { url } : {}), tokens, call };
}
