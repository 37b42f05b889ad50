/** Loading, error and empty states: every view shows one of these instead of a blank area. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <div className="state error" role="alert">
      <p>
        <strong>{status === 0 ? 'The manager is unreachable.' : 'Something went wrong.'}</strong> {message}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}
