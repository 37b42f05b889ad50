/**
 * Images by result and the five repositories with the most failing images (GET /api/v1/summary,
 * which leaves dismissed and repository-excepted images out). Each card is a button that filters
 * the list.
 */
import { useSummary } from '../../api/queries.js';
import type { GradeResult, Summary } from '../../api/types.js';
import { ErrorState } from '../../components/states.js';
import { count } from '../../format.js';
import { RESULTS } from './params.js';

const HELP: Record<GradeResult, string> = {
  PASS: 'below the warn threshold',
  WARN: 'at or above the warn threshold',
  FAIL: 'at or above the fail threshold',
  UNKNOWN: 'not fully scanned',
};

function TopRisk({
  top,
  onRepository,
}: {
  top: Summary['topRiskRepositories'];
  onRepository: (registry: string, repository: string) => void;
}) {
  return (
    <div className="card top-risk">
      <h3 className="label" id="top-risk-h">
        Top high-risk repositories
      </h3>
      {top.length === 0 ? (
        <p className="muted">No repository has a failing image.</p>
      ) : (
        <ol aria-labelledby="top-risk-h">
          {top.map((r) => (
            <li key={`${r.registry}/${r.repository}`}>
              <button
                type="button"
                className="link"
                title={`Show ${r.registry ? `${r.registry}/` : ''}${r.repository}`}
                onClick={() => onRepository(r.registry, r.repository)}
              >
                {r.repository}
              </button>
              {r.registry && <span className="muted"> {r.registry}</span>}
              <span className="fail-count">
                {' '}
                — {count(r.failImages)} failing {r.failImages === 1 ? 'image' : 'images'}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function SummaryCards({
  active,
  onResult,
  onRepository,
}: {
  /** The result the list is filtered to, when exactly one. */
  active: GradeResult | null;
  onResult: (result: GradeResult) => void;
  onRepository: (registry: string, repository: string) => void;
}) {
  const summary = useSummary();
  if (summary.isError) return <ErrorState error={summary.error} retry={() => summary.refetch()} />;
  const data = summary.data;
  return (
    <section className="cards images-cards" aria-labelledby="images-summary-h" aria-busy={summary.isPending}>
      <h2 id="images-summary-h" className="visually-hidden">
        Summary
      </h2>
      {RESULTS.map((r) => (
        <button
          key={r}
          type="button"
          className={`card result-${r.toLowerCase()}`}
          aria-pressed={active === r}
          title={active === r ? 'Show every result again' : `Show only ${r} images`}
          onClick={() => onResult(r)}
        >
          <span className="label">{r}</span>
          <span className="value">{data ? count(data.results[r]) : '…'}</span>
          <span className="help">
            {data && data.results[r] === 1 ? 'image' : 'images'} {HELP[r]}
          </span>
        </button>
      ))}
      {data && <TopRisk top={data.topRiskRepositories} onRepository={onRepository} />}
    </section>
  );
}
