/**
 * A small history router: the URL is the state (path + query), so a filtered view can be shared
 * by copying the address. Links are real `<a href>` elements (middle-click and copy work).
 */
import { createElement, type MouseEvent, type ReactNode, useCallback, useSyncExternalStore } from 'react';

const EVENT = 'assay:navigate';

function subscribe(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener(EVENT, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(EVENT, cb);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

export interface Location {
  path: string;
  search: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const i = href.indexOf('?');
  return { path: i < 0 ? href : href.slice(0, i), search: new URLSearchParams(i < 0 ? '' : href.slice(i)) };
}

/**
 * The query string as a record, and a setter that merges changes (undefined/'' removes a key).
 * Filter changes replace the history entry so Back leaves the view instead of undoing keystrokes.
 */
export function useSearchParams(): [
  URLSearchParams,
  (changes: Record<string, string | undefined>, opts?: { replace?: boolean }) => void,
] {
  const { path, search } = useLocation();
  const set = useCallback(
    (changes: Record<string, string | undefined>, opts: { replace?: boolean } = { replace: true }) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      const q = next.toString();
      navigate(q ? `${path}?${q}` : path, opts);
    },
    [path],
  );
  return [search, set];
}

export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  'aria-current'?: 'page' | undefined;
  title?: string;
}): ReactNode {
  const { to, ...rest } = props;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return createElement('a', { ...rest, href: to, onClick });
}

/** The address of an image's details page (digests contain ':' and may contain '/'). */
export function imagePath(digest: string, params?: Record<string, string>): string {
  const q = params ? new URLSearchParams(params).toString() : '';
  return `/image/${encodeURIComponent(digest)}${q ? `?${q}` : ''}`;
}
