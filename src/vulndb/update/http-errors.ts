/**
 * HTTP statuses of feed servers as `AssayError`s whose message says what to do about them.
 */
import { AssayError, type ErrorCode } from '../../model/errors.js';

export function httpStatusError(what: string, url: string, res: Response): AssayError {
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  // NVD explains a refused request in a `message` header (https://nvd.nist.gov/developers/start-here).
  const said = res.headers.get('message');
  const detail = said ? ` (${said})` : '';
  return new AssayError(codeOf(res.status), `${what}: ${url}: ${status}${detail}${hint(what, res.status)}`);
}

function codeOf(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 429) return 'rate-limited';
  return 'network';
}

function hint(what: string, status: number): string {
  if (what === 'nvd' && (status === 403 || status === 429 || status === 503))
    return '; NVD limits anonymous clients to 5 requests per 30 s: set NVD_API_KEY (free at https://nvd.nist.gov/developers/request-an-api-key) or retry later';
  if (status === 404) return '; if this is a mirror, check its layout (see `assay db update --help`)';
  if (status === 429) return '; the server is rate limiting: retry later';
  return '';
}
