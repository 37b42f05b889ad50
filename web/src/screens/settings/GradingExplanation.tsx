/** How images are graded, with the CVSS v3 bands and what each band grades to under the thresholds. */
import type { Thresholds } from '../../api/types.js';
import { ResultBadge } from '../../components/badges.js';
import { cvss } from '../../format.js';
import { BANDS, bandSegments } from './grading.js';

const range = (from: number, to: number) => (from === to ? cvss(from) : `${cvss(from)}–${cvss(to)}`);

export function GradingExplanation({ thresholds }: { thresholds: Thresholds | null }) {
  return (
    <section className="panel grading" aria-labelledby="grading-heading">
      <h2 id="grading-heading">How images are graded</h2>
      <p>
        Each image is graded by its <strong>maximum CVSS v3 base score</strong> among its effective findings:
        excepted findings (and those filtered out when scanning) do not count, and findings without a CVSS v3
        score do not count either.
      </p>
      <ul className="grading-rules">
        <li>
          <ResultBadge result="FAIL" /> the maximum score is at or above the <em>fail</em> threshold.
        </li>
        <li>
          <ResultBadge result="WARN" /> the maximum score is at or above the <em>warn</em> threshold, but
          below fail.
        </li>
        <li>
          <ResultBadge result="PASS" /> the maximum score is below the warn threshold, or no finding has a
          CVSS v3 score.
        </li>
        <li>
          <ResultBadge result="UNKNOWN" /> the image could not be fully scanned (partial read, unsupported OS,
          unauthorized, timeout …), whatever its findings.
        </li>
      </ul>
      <table className="bands">
        <caption>
          CVSS v3 severity bands
          {thresholds && (
            <>
              {' '}
              and their grade with warn {cvss(thresholds.warn)} and fail {cvss(thresholds.fail)}
            </>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">CVSS v3 score</th>
            {thresholds && <th scope="col">An image whose worst finding is in this band</th>}
          </tr>
        </thead>
        <tbody>
          {BANDS.map((b) => (
            <tr key={b.severity}>
              <th scope="row">
                <span className={`badge sev-${b.severity}`}>{b.severity}</span>
              </th>
              <td className="num">{range(b.from, b.to)}</td>
              {thresholds && (
                <td>
                  {bandSegments(b, thresholds).map((s, i, all) => (
                    <span key={s.from} className="segment">
                      <ResultBadge result={s.result} />
                      {all.length > 1 && <span className="muted"> {range(s.from, s.to)}</span>}
                      {i < all.length - 1 && ', '}
                    </span>
                  ))}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="help">
        The defaults, warn 4.0 and fail 7.0, follow the bands: low passes, medium warns, high and critical
        fail.
      </p>
    </section>
  );
}
