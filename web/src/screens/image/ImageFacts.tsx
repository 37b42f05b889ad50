/** The header of the details view: which image this is, its grade, and whether the scan is complete. */
import type { ImageDetail } from '../../api/types.js';
import { ResultBadge } from '../../components/badges.js';
import { PageHeader } from '../../components/Layout.js';
import { ago, bytes, count, cvss, dateTime } from '../../format.js';
import { DigestSelect } from './DigestSelect.js';
import { hoursLabel, osLabel, platformLabel } from './derive.js';

export function ImageFacts({ detail, tab }: { detail: ImageDetail; tab: string }) {
  const doc = detail.document;
  const ref = doc.image;
  const name = detail.registry ? `${detail.registry}/${detail.repository}` : detail.repository;
  return (
    <section aria-labelledby="image-title" className="image-facts">
      <PageHeader title={<span id="image-title">{name}</span>}>
        <DigestSelect detail={detail} tab={tab} />
      </PageHeader>
      {detail.status !== 'scanned' && <IncompleteNotice detail={detail} />}
      <div className="panel">
        <dl className="facts image-facts-grid">
          <dt>Result</dt>
          <dd>
            <ResultBadge result={detail.result} />{' '}
            {detail.maxCvssV3 === null ? (
              <span className="muted">no CVSS v3 score</span>
            ) : (
              <>
                max CVSS <strong>{cvss(detail.maxCvssV3)}</strong>
              </>
            )}
            {detail.excepted > 0 && <span className="muted"> · {count(detail.excepted)} excepted</span>}
          </dd>
          <dt>Scan status</dt>
          <dd>
            <span className={`scan-status status-${detail.status}`}>{detail.status}</span>
            {detail.statusMessage && <span className="muted"> — {detail.statusMessage}</span>}
          </dd>
          <dt>Digest</dt>
          <dd className="mono">{detail.digest}</dd>
          <dt>Last scanned</dt>
          <dd>
            <span title={dateTime(detail.lastScanned)}>{ago(detail.lastScanned)}</span>{' '}
            <span className="muted">({dateTime(detail.lastScanned)})</span>
          </dd>
          <dt>Tags</dt>
          <dd>{detail.tags.length ? detail.tags.join(', ') : <span className="muted">none</span>}</dd>
          <dt>Created</dt>
          <dd>{ref.created ? dateTime(ref.created) : <span className="muted">unknown</span>}</dd>
          <dt>OS</dt>
          <dd>{osLabel(detail) || <span className="muted">not detected</span>}</dd>
          <dt>Platform</dt>
          <dd>{platformLabel(detail) || <span className="muted">unknown</span>}</dd>
          <dt>Size</dt>
          <dd>{ref.size === undefined ? <span className="muted">unknown</span> : bytes(ref.size)}</dd>
          {doc.database && (
            <>
              <dt>Vulnerability DB</dt>
              <dd>
                {doc.database.builtAt ? `built ${dateTime(doc.database.builtAt)}` : 'build time unknown'}
                {doc.database.ageHours !== undefined && (
                  <span className="muted"> ({hoursLabel(doc.database.ageHours)} old at scan time)</span>
                )}
              </dd>
            </>
          )}
        </dl>
        <ScanIssues detail={detail} />
      </div>
    </section>
  );
}

/** An UNKNOWN grade is not a clean bill of health: say so before anyone reads the counts. */
function IncompleteNotice({ detail }: { detail: ImageDetail }) {
  return (
    <div className="notice incomplete" role="note">
      <strong>Not a clean result: this image was not fully scanned ({detail.status}).</strong>{' '}
      {detail.statusMessage}. Vulnerabilities, secrets, threats and configuration findings may be missing; an
      empty list here does not mean the image has none.
    </div>
  );
}

function ScanIssues({ detail }: { detail: ImageDetail }) {
  const issues = detail.document.issues;
  if (issues.length === 0) return null;
  return (
    <details className="scan-issues">
      <summary>
        {count(issues.length)} {issues.length === 1 ? 'issue' : 'issues'} reported by the scan
      </summary>
      <ul className="issue-list">
        {issues.map((i, n) => (
          // Issues have no id; their order in the document is stable.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={n}>
            <code>{i.code}</code>: {i.message}
            {i.location && (
              <span className="muted">
                {' '}
                (<span className="mono">{i.location.path}</span>, layer {i.location.layerIndex})
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
