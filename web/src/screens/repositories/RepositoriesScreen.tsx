/**
 * Repositories: images grouped by registry + repository (GET /api/v1/repositories), searched and
 * paged through the URL (`q`, `offset`, `limit`), each row expandable to its tags and digests.
 */
import { useEffect, useState } from 'react';
import { useRepositories } from '../../api/queries.js';
import { PageHeader } from '../../components/Layout.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { count } from '../../format.js';
import { useSearchParams } from '../../router.js';
import { RepositoryRowView } from './RepositoryRowView.js';

const SIZES = [10, 25, 50, 100] as const;
const DEFAULT_SIZE = 25;

function pageSize(raw: string | null): number {
  const n = Number(raw);
  return SIZES.includes(n as (typeof SIZES)[number]) ? n : DEFAULT_SIZE;
}

/** The search box keeps its own text and writes it to the URL after a pause in typing. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  // Follow the URL (Back, a shared link) without undoing what is being typed.
  useEffect(() => setText((t) => (t.trim() === value ? t : value)), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const id = setTimeout(() => onSearch(text.trim()), 300);
    return () => clearTimeout(id);
  }, [text, value, onSearch]);
  return (
    <div className="field">
      <label htmlFor="repo-search">Search repositories</label>
      <input
        id="repo-search"
        type="search"
        placeholder="e.g. library/debian"
        value={text}
        onChange={(e) => setText(e.target.value)}
        title="Matches any part of the repository name"
      />
    </div>
  );
}

export function RepositoriesScreen() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const limit = pageSize(params.get('limit'));
  const offset = Math.max(0, Math.floor(Number(params.get('offset')) || 0));
  // One row more than shown tells whether there is a next page.
  const repos = useRepositories({ ...(q ? { q } : {}), limit: limit + 1, offset });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const onSearch = (text: string) => setParams({ q: text, offset: undefined });
  const items = repos.data?.items ?? [];
  const shown = items.slice(0, limit);
  const hasNext = items.length > limit;
  const go = (to: number) => setParams({ offset: to > 0 ? String(to) : undefined }, { replace: false });

  return (
    <>
      <PageHeader title="Repositories" />
      <p className="help">
        Images grouped by repository. Excepted repositories and dismissed images are not counted here; expand
        a repository to see every tag and digest scanned.
      </p>
      <div className="filters">
        <SearchBox value={q} onSearch={onSearch} />
        <div className="field">
          <label htmlFor="repo-size">Per page</label>
          <select
            id="repo-size"
            value={limit}
            onChange={(e) =>
              setParams({
                limit: e.target.value === String(DEFAULT_SIZE) ? undefined : e.target.value,
                offset: undefined,
              })
            }
          >
            {SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      {repos.isPending ? (
        <Loading what="repositories" />
      ) : repos.isError ? (
        <ErrorState error={repos.error} retry={() => repos.refetch()} />
      ) : shown.length === 0 ? (
        offset > 0 ? (
          <Empty title="No more repositories.">
            <button type="button" onClick={() => go(0)}>
              Back to the first page
            </button>
          </Empty>
        ) : (
          <Empty title={q ? `No repository matches “${q}”.` : 'No images scanned yet.'}>
            {!q && (
              <p>
                Send results with <code>assay scan --apiurl URL --token TOKEN IMAGE</code>.
              </p>
            )}
          </Empty>
        )
      ) : (
        <div className="table-wrap">
          <table className="repositories" aria-busy={repos.isFetching}>
            <caption className="visually-hidden">Repositories</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Expand</span>
                </th>
                <th scope="col">Repository</th>
                <th scope="col">Registry</th>
                <th scope="col" className="num">
                  Images
                </th>
                <th scope="col">Latest tag</th>
                <th scope="col">Worst result</th>
                <th scope="col">Results</th>
                <th scope="col">Last scanned</th>
              </tr>
            </thead>
            {shown.map((r) => {
              const key = `${r.registry}\u0000${r.repository}`;
              return (
                <RepositoryRowView key={key} row={r} open={open.has(key)} onToggle={() => toggle(key)} />
              );
            })}
          </table>
        </div>
      )}
      {(offset > 0 || hasNext) && (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={offset === 0} onClick={() => go(Math.max(0, offset - limit))}>
            Previous
          </button>
          <span aria-live="polite">
            Repositories {count(offset + 1)}–{count(offset + shown.length)}
          </span>
          <button type="button" disabled={!hasNext} onClick={() => go(offset + limit)}>
            Next
          </button>
        </nav>
      )}
    </>
  );
}
