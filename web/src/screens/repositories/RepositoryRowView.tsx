/** One repository: a summary row and, when expanded, a row holding its images. */
import type { GradeResult, RepositoryRow } from '../../api/types.js';
import { ResultBadge } from '../../components/badges.js';
import { ago, count, dateTime } from '../../format.js';
import { RepositoryImages } from './RepositoryImages.js';

const ORDER: GradeResult[] = ['FAIL', 'WARN', 'PASS', 'UNKNOWN'];

export function ResultsBreakdown({ results }: { results: Record<GradeResult, number> }) {
  return (
    <ul className="breakdown" aria-label="Images by result">
      {ORDER.map((r) => (
        <li key={r} className={`result-${r.toLowerCase()}${results[r] === 0 ? ' zero' : ''}`}>
          {r} {count(results[r])}
        </li>
      ))}
    </ul>
  );
}

export function RepositoryRowView(props: { row: RepositoryRow; open: boolean; onToggle: () => void }) {
  const { row, open } = props;
  const id = `repo-${row.registry}-${row.repository}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const name = row.registry ? `${row.registry}/${row.repository}` : row.repository;
  return (
    <tbody className={open ? 'repo open' : 'repo'}>
      <tr>
        <td className="col-expand">
          <button
            type="button"
            className="disclosure"
            aria-expanded={open}
            aria-controls={open ? id : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} images of ${name}`}
            onClick={props.onToggle}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        </td>
        <th scope="row" className="repo-name">
          {row.repository}
        </th>
        <td>{row.registry}</td>
        <td className="num">{count(row.images)}</td>
        <td>{row.latestTag ?? <span className="muted">untagged</span>}</td>
        <td>
          <ResultBadge result={row.worstResult} />
        </td>
        <td>
          <ResultsBreakdown results={row.results} />
        </td>
        <td title={dateTime(row.lastScanned)}>{ago(row.lastScanned)}</td>
      </tr>
      {open && (
        <tr className="expansion">
          <td colSpan={8} id={id}>
            <RepositoryImages registry={row.registry} repository={row.repository} name={name} />
          </td>
        </tr>
      )}
    </tbody>
  );
}
