/**
 * Admin actions on the selected rows: dismiss or show again, delete (confirmed), and except
 * whole repositories (with a required reason). Each is a mutation after which every image-derived
 * query refetches; the outcome is reported to the parent for its live region.
 */
import { useId, useState } from 'react';
import { api } from '../../api/client.js';
import { useImageMutation } from '../../api/queries.js';
import type { ImageSummary } from '../../api/types.js';
import { Dialog } from '../../components/Dialog.js';

const imageUrl = (digest: string) => `/api/v1/images/${encodeURIComponent(digest)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The repository names to except: `registry/repository` where the registry is known, so an
 * exception does not also hide a same-named repository of another registry.
 */
export function repositoriesOf(images: ImageSummary[]): string[] {
  return [...new Set(images.map((i) => (i.registry ? `${i.registry}/${i.repository}` : i.repository)))];
}

/** One request per selected image, in turn; resolves to how many were done. */
function useEachImage(method: 'POST' | 'DELETE', suffix: string) {
  return useImageMutation(async (digests: string[]) => {
    for (const d of digests) await api(`${imageUrl(d)}${suffix}`, { method });
    return digests.length;
  });
}

export function SelectionActions({
  selected,
  onDone,
}: {
  selected: ImageSummary[];
  /** Called with a sentence describing the outcome (success or failure). */
  onDone: (message: string, ok: boolean) => void;
}) {
  const reasonId = useId();
  const [dialog, setDialog] = useState<'delete' | 'except' | null>(null);
  const [reason, setReason] = useState('');
  const dismiss = useEachImage('POST', '/dismiss');
  const undismiss = useEachImage('POST', '/undismiss');
  const remove = useEachImage('DELETE', '');
  const except = useImageMutation((body: { repositories: string[]; reason: string }) =>
    api('/api/v1/exceptions/repositories', { method: 'POST', body }),
  );

  const toDismiss = selected.filter((i) => !i.dismissed).map((i) => i.digest);
  const toUndismiss = selected.filter((i) => i.dismissed).map((i) => i.digest);
  const repositories = repositoriesOf(selected);
  const busy = dismiss.isPending || undismiss.isPending || remove.isPending || except.isPending;

  const run = async (what: () => Promise<string>) => {
    try {
      onDone(await what(), true);
    } catch (err) {
      onDone(err instanceof Error ? err.message : String(err), false);
    }
  };
  return (
    <div className="selection-actions" role="toolbar" aria-label="Selected images">
      <span>{plural(selected.length, 'image')} selected</span>
      <button
        type="button"
        disabled={busy || toDismiss.length === 0}
        onClick={() => run(async () => `Dismissed ${plural(await dismiss.mutateAsync(toDismiss), 'image')}.`)}
      >
        Dismiss
      </button>
      <button
        type="button"
        disabled={busy || toUndismiss.length === 0}
        onClick={() =>
          run(
            async () => `Restored ${plural(await undismiss.mutateAsync(toUndismiss), 'image')} to the list.`,
          )
        }
      >
        Undismiss
      </button>
      <button type="button" disabled={busy} onClick={() => setDialog('except')}>
        Except repository
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => setDialog('delete')}>
        Delete
      </button>

      <Dialog
        open={dialog === 'delete'}
        title={`Delete ${plural(selected.length, 'image')}?`}
        confirmLabel={`Delete ${plural(selected.length, 'image')}`}
        danger
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          const n = await remove.mutateAsync(selected.map((i) => i.digest));
          onDone(`Deleted ${plural(n, 'image')}.`, true);
        }}
      >
        <p>
          The manager forgets {selected.length === 1 ? 'this image' : 'these images'} and{' '}
          {selected.length === 1 ? 'its' : 'their'} findings. Scanning an image again adds it back.
        </p>
      </Dialog>

      <Dialog
        open={dialog === 'except'}
        title={`Except ${plural(repositories.length, 'repository', 'repositories')}`}
        confirmLabel="Except"
        onClose={() => {
          setDialog(null);
          setReason('');
        }}
        onConfirm={async () => {
          await except.mutateAsync({ repositories, reason: reason.trim() });
          onDone(
            `Excepted ${plural(repositories.length, 'repository', 'repositories')}: ${repositories.join(', ')}.`,
            true,
          );
        }}
      >
        <p>
          Every image of {repositories.length === 1 ? 'this repository' : 'these repositories'} leaves the
          list and the summary; the Exceptions view lists it and can cancel it.
        </p>
        <ul className="mono">
          {repositories.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        <div className="field">
          <label htmlFor={reasonId}>Reason (required)</label>
          <textarea
            id={reasonId}
            required
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      </Dialog>
    </div>
  );
}
