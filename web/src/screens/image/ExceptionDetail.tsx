/** Why a finding does not count: the exception that matched it, folded behind an "Excepted" badge. */
import type { Finding } from '../../api/types.js';
import { date } from '../../format.js';

export function ExceptionDetail({ exception: e }: { exception: Finding['exception'] }) {
  if (!e) return null;
  return (
    <details className="exception-detail">
      <summary>
        <span className="badge excepted">Excepted</span>
      </summary>
      <p>{e.reason}</p>
      <p className="muted">
        {e.author ? `by ${e.author}` : 'author unknown'}
        {e.expires ? ` · expires ${date(e.expires)}` : ' · no expiry'} · source {e.source}
      </p>
    </details>
  );
}
