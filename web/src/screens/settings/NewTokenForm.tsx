/** Creating a token: its value is shown once, with a copy button, until the admin dismisses it. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import type { CreatedToken, Role } from '../../api/types.js';

const ROLES: { role: Role; help: string }[] = [
  { role: 'viewer', help: 'reads everything' },
  { role: 'scanner', help: 'only submits scans (for CI)' },
  { role: 'admin', help: 'also changes settings, exceptions and tokens' },
];

function CreatedTokenPanel({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying failed: select the value and copy it by hand.');
    }
  };
  return (
    <section className="token-created" aria-labelledby="token-created-heading">
      <h3 id="token-created-heading">
        Token “{created.name}” ({created.role}) created
      </h3>
      <p className="warning">
        <strong>Copy it now: this value will not be shown again.</strong> The manager keeps only a hash of it.
      </p>
      <div className="token-value">
        <label htmlFor="new-token-value" className="visually-hidden">
          New token value
        </label>
        <input
          id="new-token-value"
          readOnly
          className="mono-input"
          value={created.token}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" aria-live="polite" className="muted">
        {copied}
      </p>
    </section>
  );
}

export function NewTokenForm() {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useMutation({
    mutationFn: (b: { name: string; role: Role }) =>
      api<CreatedToken>('/api/v1/tokens', { method: 'POST', body: b }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setCreated(await create.mutateAsync({ name: name.trim(), role }));
      setName('');
    } catch {
      // shown from create.error below
    }
  };
  if (created) return <CreatedTokenPanel created={created} onDone={() => setCreated(null)} />;
  return (
    <form onSubmit={submit} className="new-token" aria-labelledby="new-token-heading">
      <h3 id="new-token-heading">New token</h3>
      <div className="field-row">
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. ci-pipeline"
          />
        </div>
        <div className="field">
          <label htmlFor="token-role">Role</label>
          <select id="token-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.role} — {r.help}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </div>
      {create.isError && (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}
