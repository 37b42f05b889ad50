/**
 * Images by result, images with content findings (secrets, threats, config) and the five
 * repositories with the most failing images (GET /api/v1/summary, which leaves dismissed and
 * repository-excepted images out). Each card is a button that filters the list.
 */
import { useSummary } from '../../api/queries.js';
import type { ContentKind, GradeResult, Summary } from '../../api/types.js';
import { ErrorState } from '../../components/states.js';
import { count } from '../../format.js';
import { CONTENT_KINDS, CONTENT_LABELS, RESULTS } from './params.js';

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

function ContentCards({
  content,
  active,
  onContent,
}: {
  content: Summary['content'];
  active: readonly string[];
  onContent: (kind: ContentKind) => void;
}) {
  return (
    <>
      {CONTENT_KINDS.map((k) => {
        const on = active.length === 1 && active[0] === k;
        const what = CONTENT_LABELS[k].toLowerCase();
        return (
          <button
            key={k}
            type="button"
            className={`card content-${k}`}
            aria-pressed={on}
            title={on ? 'Show every image again' : `Show only images with ${what}`}
            onClick={() => onContent(k)}
          >
            <span className="label">{CONTENT_LABELS[k]}</span>
            <span className="value">{count(content[k])}</span>
            <span className="help">
              {content[k] === 1 ? 'image' : 'images'} with {what}
            </span>
          </button>
        );
      })}
    </>
  );
}

export function SummaryCards({
  active,
  activeContent,
  onResult,
  onContent,
  onRepository,
}: {
  /** The result the list is filtered to, when exactly one. */
  active: GradeResult | null;
  /** The content kinds the list is filtered to. */
  activeContent: readonly string[];
  onResult: (result: GradeResult) => void;
  onContent: (kind: ContentKind) => void;
  onRepository: (registry: string, repository: string) => void;
}) {
  const summary = useSummary();
  if (summary.isError) return <ErrorState error={summary.error} retry={() => summary.refetch()} />;
  const data = summary.data;
  return (
    <section
      className={`cards images-cards${data?.content ? ' with-content' : ''}`}
      aria-labelledby="images-summary-h"
      aria-busy={summary.isPending}
    >
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
      {data?.content && <ContentCards content={data.content} active={activeContent} onContent={onContent} />}
      {data && <TopRisk top={data.topRiskRepositories} onRepository={onRepository} />}
    </section>
  );
}
