/**
 * Cursor pagination: the current cursor is in the URL (a shared address opens the same page); the
 * cursors of the pages before it are kept here, so Previous steps back one page. After a reload
 * that history is gone and Previous returns to the first page.
 */
import { useId, useState } from 'react';
import { PAGE_SIZES } from './params.js';

export function useCursorStack(key: string) {
  const [state, setState] = useState<{ key: string; stack: (string | null)[] }>({ key, stack: [] });
  const stack = state.key === key ? state.stack : [];
  return {
    /** Pages before the current one that Previous can return to. */
    depth: stack.length,
    push: (current: string | null) => setState({ key, stack: [...stack, current] }),
    /** The cursor of the previous page (null = the first page). */
    pop: (): string | null => {
      const prev = stack[stack.length - 1] ?? null;
      setState({ key, stack: stack.slice(0, -1) });
      return prev;
    },
  };
}

export function Pager(props: {
  page: number | null;
  shown: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  pageSize: number;
  onPageSize: (n: number) => void;
}) {
  const id = useId();
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={props.onPrevious} disabled={!props.hasPrevious}>
        ← Previous
      </button>
      <span>
        {props.page === null ? 'A later page' : `Page ${props.page}`} · {props.shown}{' '}
        {props.shown === 1 ? 'image' : 'images'}
      </span>
      <button type="button" onClick={props.onNext} disabled={!props.hasNext}>
        Next →
      </button>
      <label htmlFor={id} className="page-size">
        Rows per page
      </label>
      <select id={id} value={props.pageSize} onChange={(e) => props.onPageSize(Number(e.target.value))}>
        {PAGE_SIZES.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </nav>
  );
}
