/** Sign-in with an API token: checked against GET /api/v1/me before it is stored (session storage). */
import { type FormEvent, useState } from 'react';
import { ApiError, api, lastSignOutReason, setToken } from '../api/client.js';
import type { Me } from '../api/types.js';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | null>(() => lastSignOutReason());
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('/api/v1/me', { token: token.trim() });
      if (me.role === 'scanner') {
        setError('This is a scanner token: it may only submit scans. Sign in with a viewer or admin token.');
        return;
      }
      setToken(token.trim());
      onSignedIn(me);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'This token is not known to the manager (or was revoked).'
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="signin">
      <h1>Assay</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          value={token}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" className="help">
          <code>assay server</code> prints the first admin token when it starts on an empty store; create more
          with <code>assay server token create --role viewer --name NAME</code>. The token is kept in this tab
          only.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
