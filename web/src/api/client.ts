/**
 * The one way the UI talks to the manager: `fetch` with the bearer token kept in session storage.
 * Every failure becomes an `ApiError` whose message a person can act on; a 401 signs the user out
 * (the sign-in screen then says why).
 */
const TOKEN_KEY = 'assay.token';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the manager could not be reached. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  signOutReason = null;
}

/** Why the user was signed out, shown on the sign-in screen. */
let signOutReason: string | null = null;
const listeners = new Set<() => void>();

export function signOut(reason: string | null = null): void {
  sessionStorage.removeItem(TOKEN_KEY);
  signOutReason = reason;
  for (const l of listeners) l();
}

/**
 * Why the user was last signed out, until the next sign-in. Read, not consumed: a render may run
 * more than once, and several requests in flight may each meet the same 401.
 */
export function lastSignOutReason(): string | null {
  return signOutReason;
}

/** For `useSyncExternalStore`: notified when the token is removed. */
export function onSignOut(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** A token to use instead of the stored one (sign-in checks it before storing it). */
  token?: string;
}

/** `path` + query string from a record (undefined and empty values left out). */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const token = opts.token ?? getToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Cannot reach the Assay manager. Check that `assay server` is running.');
  }
  if (res.ok) return res;
  let detail = '';
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string') detail = body.error;
  } catch {
    // a proxy's HTML error page: the status says enough
  }
  if (res.status === 401 && !opts.token) signOut('Your token was refused (401). Sign in again.');
  const what =
    res.status === 401
      ? 'The token was not accepted.'
      : res.status === 403
        ? 'Your token’s role may not do this.'
        : res.status === 429
          ? 'Too many requests; wait a moment and retry.'
          : res.status >= 500
            ? 'The manager failed to answer.'
            : '';
  throw new ApiError(
    res.status,
    [what, detail && `(${detail})`].filter(Boolean).join(' ') || `HTTP ${res.status}`,
  );
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads an authenticated export as a file (a plain link could not carry the token). */
export async function download(path: string, filename: string): Promise<number> {
  const res = await send(path, { method: 'GET' });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}
