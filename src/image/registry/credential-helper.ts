/**
 * Runs a Docker credential helper: `docker-credential-<name> get`, the server URL on stdin,
 * `{"ServerURL","Username","Secret"}` on stdout. A Username of `<token>` marks the Secret as an
 * identity (refresh) token. Protocol: https://github.com/docker/docker-credential-helpers
 * (README, "Development"). Helper output is never echoed in full, as it may hold a secret.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { AssayError } from '../../model/errors.js';
import type { Credentials } from './credentials.js';

const helperOutput = z.object({ Username: z.string(), Secret: z.string() });
const IDENTITY_TOKEN_USER = '<token>';
// The helpers print this (exit status 1) when they hold nothing for the server.
const NOT_FOUND = /credentials not found/i;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(binary: string, input: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['get'], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Our own timer rather than spawn's `timeout`: a helper's grandchildren can hold the pipes
    // open after the helper is killed, and 'close' would wait for them.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // a helper that exits without reading stdin is reported via its status
    child.stdin.end(input);
  });
}

/** Returns the helper's credentials, undefined when it has none for `serverUrl`. */
export async function runCredentialHelper(
  name: string,
  serverUrl: string,
  timeoutMs: number,
  where: string,
): Promise<Credentials | undefined> {
  const binary = `docker-credential-${name}`;
  const source = `${binary} (${where})`;
  let result: RunResult;
  try {
    result = await run(binary, serverUrl, timeoutMs);
  } catch (err) {
    const missing = err instanceof Error && 'code' in err && err.code === 'ENOENT';
    const why = missing
      ? 'is not installed or not on PATH'
      : `failed: ${err instanceof Error ? err.message : String(err)}`;
    throw new AssayError(
      'unauthorized',
      `credential helper ${source} ${why}; install it or remove it from the Docker config`,
      {
        cause: err,
      },
    );
  }
  if (result.code !== 0) {
    if (NOT_FOUND.test(result.stdout) || NOT_FOUND.test(result.stderr)) return undefined;
    const detail = (result.stderr.trim() || `exit status ${result.code}`).slice(0, 200);
    throw new AssayError('unauthorized', `credential helper ${source} failed for ${serverUrl}: ${detail}`);
  }
  let parsed: z.infer<typeof helperOutput>;
  try {
    parsed = helperOutput.parse(JSON.parse(result.stdout));
  } catch {
    // No `cause`: JSON.parse errors quote the input, which may be a secret.
    throw new AssayError(
      'unauthorized',
      `credential helper ${source} printed something other than credentials JSON`,
    );
  }
  if (parsed.Username === IDENTITY_TOKEN_USER) return { identityToken: parsed.Secret, source };
  return { username: parsed.Username, password: parsed.Secret, source };
}
