/**
 * Reading registry responses: bounded bodies, and the mapping from an unsuccessful status to
 * an AssayError code. Registries explain failures in a JSON body,
 * `{"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}` (OCI distribution-spec, "Error Codes":
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes), which we
 * quote so the user learns whether the repository, the tag or a blob is missing.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AssayError, type ErrorCode } from '../../model/errors.js';
import type { HttpResponse } from './transport.js';

/** Reads a whole body, failing with `too-large` past `maxBytes` (a hostile server can't OOM us). */
export async function readBody(body: IncomingMessage, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buf.length;
      if (size > maxBytes) {
        body.destroy();
        throw new AssayError('too-large', `${what}: larger than ${maxBytes} bytes`);
      }
      chunks.push(buf);
    }
  } catch (err) {
    throw bodyError(err, what);
  }
  return Buffer.concat(chunks);
}

/** A body stream's error as an AssayError (connection lost mid-body → `network`). */
export function bodyError(err: unknown, what: string): AssayError {
  if (err instanceof AssayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AssayError('network', `${what}: connection lost while reading the response (${message})`, {
    cause: err,
  });
}

const errorBody = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string().optional() })).min(1),
});

export interface RegistryErrorDetail {
  code: string;
  message?: string | undefined;
}

/** The first entry of a distribution-spec error body, if the body is one. */
export async function readErrorDetail(res: HttpResponse): Promise<RegistryErrorDetail | undefined> {
  let text: string;
  try {
    text = (await readBody(res.body, 64 * 1024, 'error body')).toString('utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.errors[0] : undefined;
  } catch {
    return undefined;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  return 'registry';
}

/**
 * The error for an unsuccessful response. `what` starts with the image (`127.0.0.1:5000/app:1`);
 * `notFound` says what a 404 means for this request. NAME_UNKNOWN overrides it: the repository
 * itself is missing. The registry's own code and message follow in parentheses.
 */
export async function responseError(
  res: HttpResponse,
  what: string,
  notFound = 'not found',
): Promise<AssayError> {
  const detail = await readErrorDetail(res);
  const registrySays = detail ? ` (${detail.code}${detail.message ? `: ${detail.message}` : ''})` : '';
  const code = codeForStatus(res.status);
  let summary: string;
  if (code === 'not-found') summary = detail?.code === 'NAME_UNKNOWN' ? 'repository not found' : notFound;
  else if (code === 'forbidden')
    summary = 'access denied (HTTP 403): the credentials are valid but not allowed to pull it';
  else if (code === 'rate-limited') summary = 'rate limited by the registry (HTTP 429), still after retries';
  else if (res.status >= 500) summary = `registry error HTTP ${res.status}, still after retries`;
  else summary = `unexpected HTTP ${res.status}`;
  return new AssayError(code, `${what}: ${summary}${registrySays}`);
}
