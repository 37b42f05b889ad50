/**
 * Creating an exception for a finding: a vulnerability, or a content finding (secret, threat,
 * config check) whose target format the form explains. The server's validation message is shown
 * in the dialog.
 */
import { useEffect, useId, useState } from 'react';
import { api } from '../../api/client.js';
import { useImageMutation, useRepositories } from '../../api/queries.js';
import type { ExceptionScope, VulnerabilityException } from '../../api/types.js';
import { Dialog } from '../../components/Dialog.js';
import { tomorrow } from './expiry.js';
import { exceptionsPath, FINDING_KINDS, type FindingKind, TARGETS, targetProblem } from './targets.js';

type ScopeKind = 'all' | 'repository' | 'image';

interface Form {
  kind: FindingKind;
  target: string;
  pkg: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  reason: string;
  expires: string;
}

const EMPTY: Form = {
  kind: 'vulnerability',
  target: '',
  pkg: '',
  scopeKind: 'all',
  scopeValue: '',
  reason: '',
  expires: '',
};

function body(f: Form) {
  const scope: ExceptionScope =
    f.scopeKind === 'all'
      ? 'all'
      : f.scopeKind === 'repository'
        ? { repository: f.scopeValue.trim() }
        : { image: f.scopeValue.trim() };
  return {
    // Content kinds go to /api/v1/exceptions/content, which takes the kind (and no package).
    ...(f.kind === 'vulnerability' ? {} : { kind: f.kind }),
    target: f.target.trim(),
    ...(f.kind === 'vulnerability' && f.pkg.trim() ? { package: f.pkg.trim() } : {}),
    scope,
    reason: f.reason,
    ...(f.expires ? { expires: f.expires } : {}),
  };
}

/** Known repositories as suggestions for the scope (a pattern may still be typed). */
function RepositoryOptions({ id }: { id: string }) {
  const repos = useRepositories({ limit: 1000, offset: 0 });
  const names = [...new Set((repos.data?.items ?? []).map((r) => r.repository))];
  return (
    <datalist id={id}>
      {names.map((n) => (
        <option key={n} value={n} />
      ))}
    </datalist>
  );
}

export function NewExceptionDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (e: VulnerabilityException) => void;
}) {
  const id = useId();
  const [f, setF] = useState<Form>(EMPTY);
  useEffect(() => {
    if (props.open) setF(EMPTY);
  }, [props.open]);
  const set = (changes: Partial<Form>) => setF((old) => ({ ...old, ...changes }));
  const create = useImageMutation((b: ReturnType<typeof body>) =>
    api<VulnerabilityException>(exceptionsPath(f.kind), { method: 'POST', body: b }),
  );
  const min = tomorrow();
  const t = TARGETS[f.kind];
  const confirm = async () => {
    const problem = targetProblem(f.kind, f.target);
    if (problem) throw new Error(problem);
    if (f.expires && f.expires < min)
      throw new Error(
        `The expiry date must be after today (from ${min} on): an exception expires at 00:00 UTC.`,
      );
    props.onCreated(await create.mutateAsync(body(f)));
  };
  return (
    <Dialog
      open={props.open}
      title={`New ${t.noun} exception`}
      confirmLabel="Create exception"
      onClose={props.onClose}
      onConfirm={confirm}
    >
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={f.kind}
          onChange={(e) => set({ kind: e.target.value as FindingKind, target: '', pkg: '' })}
        >
          {FINDING_KINDS.map((k) => (
            <option key={k} value={k}>
              {TARGETS[k].kindLabel}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-target`}>{t.label}</label>
        <input
          id={`${id}-target`}
          required
          className={f.kind === 'vulnerability' ? undefined : 'mono-input'}
          value={f.target}
          onChange={(e) => set({ target: e.target.value })}
          placeholder={t.placeholder}
          aria-describedby={`${id}-target-help`}
        />
        <span id={`${id}-target-help`} className="help">
          {t.help}
        </span>
      </div>
      {f.kind === 'vulnerability' && (
        <div className="field">
          <label htmlFor={`${id}-pkg`}>Package (optional)</label>
          <input
            id={`${id}-pkg`}
            value={f.pkg}
            onChange={(e) => set({ pkg: e.target.value })}
            placeholder="openssl or pkg:deb/debian/openssl"
          />
        </div>
      )}
      <fieldset className="field scope-field">
        <legend>Scope</legend>
        {(
          [
            ['all', 'All images'],
            ['repository', 'Repository'],
            ['image', 'One image (digest)'],
          ] as const
        ).map(([k, label]) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name={`${id}-scope`}
              value={k}
              checked={f.scopeKind === k}
              onChange={() => set({ scopeKind: k, scopeValue: '' })}
            />{' '}
            {label}
          </label>
        ))}
        {f.scopeKind !== 'all' && (
          <div className="field">
            <label htmlFor={`${id}-scope-value`}>
              {f.scopeKind === 'repository' ? 'Repository pattern' : 'Image digest'}
            </label>
            <input
              id={`${id}-scope-value`}
              required
              list={f.scopeKind === 'repository' ? `${id}-repos` : undefined}
              className="mono-input"
              value={f.scopeValue}
              onChange={(e) => set({ scopeValue: e.target.value })}
              placeholder={f.scopeKind === 'repository' ? 'library/debian or acme/*' : 'sha256:…'}
            />
            {f.scopeKind === 'repository' && <RepositoryOptions id={`${id}-repos`} />}
            {f.scopeKind === 'repository' && (
              <span className="help">
                <code>*</code> matches within one path segment, <code>**</code> across segments.
              </span>
            )}
          </div>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <textarea
          id={`${id}-reason`}
          required
          value={f.reason}
          onChange={(e) => set({ reason: e.target.value })}
          placeholder={`Why this ${t.noun} is acceptable here`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-expires`}>Expires on (optional)</label>
        <input
          id={`${id}-expires`}
          type="date"
          value={f.expires}
          onChange={(e) => set({ expires: e.target.value })}
          aria-describedby={`${id}-expires-help`}
        />
        <span id={`${id}-expires-help`} className="help">
          From this date (00:00 UTC) on the exception no longer applies and the finding counts again.
        </span>
      </div>
      <p className="help">Creating the exception re-grades the affected images immediately.</p>
    </Dialog>
  );
}
