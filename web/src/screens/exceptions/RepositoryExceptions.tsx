/**
 * The Excepted view: repositories whose images are left out of the Images and Repositories lists.
 * Cancelling one (admins, with a reason) records who and why, brings its images back and removes
 * it from this list (the exported document keeps it, marked cancelled).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { api } from '../../api/client.js';
import { useImageMutation, useRepositoryExceptions } from '../../api/queries.js';
import type { RepositoryException } from '../../api/types.js';
import {
  ActionNotice,
  actionColumn,
  ConfirmDialog,
  useConfirmAction,
} from '../../components/ConfirmAction.js';
import { type ColumnDef, DataTable } from '../../components/DataTable.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { date } from '../../format.js';
import { useIsAdmin } from '../../session.js';

function CancelDialog(props: {
  target: RepositoryException | null;
  onClose: () => void;
  onDone: (m: string) => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (props.target) setReason('');
  }, [props.target]);
  const cancel = useImageMutation((b: { repositories: string[]; reason: string }) =>
    api<{ items: RepositoryException[] }>('/api/v1/exceptions/repositories/cancel', {
      method: 'POST',
      body: b,
    }),
  );
  return (
    <ConfirmDialog
      target={props.target}
      title="Cancel the repository exception"
      confirmLabel="Cancel exception"
      onClose={props.onClose}
      onConfirm={async ({ repository }) => {
        await cancel.mutateAsync({ repositories: [repository], reason });
        props.onDone(`${repository} is no longer excepted; its images are back in the lists.`);
      }}
    >
      {(target) => (
        <>
          <p>
            The images of <strong className="mono">{target.repository}</strong> will be listed and counted
            again.
          </p>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason for cancelling</label>
            <textarea
              id={`${id}-reason`}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <span className="help">Recorded with your token’s name in the exceptions document.</span>
          </div>
        </>
      )}
    </ConfirmDialog>
  );
}

export function RepositoryExceptions() {
  const admin = useIsAdmin();
  const list = useRepositoryExceptions();
  const cancelling = useConfirmAction<RepositoryException>();
  const columns = useMemo<ColumnDef<RepositoryException, unknown>[]>(
    () => [
      {
        id: 'repository',
        header: 'Repository',
        accessorKey: 'repository',
        cell: ({ row }) => <strong className="mono">{row.original.repository}</strong>,
      },
      { id: 'reason', header: 'Reason', accessorKey: 'reason', enableSorting: false },
      { id: 'author', header: 'Excepted by', accessorFn: (e) => e.author ?? '' },
      {
        id: 'created',
        header: 'Exception date',
        accessorFn: (e) => e.created ?? '',
        cell: ({ getValue }) => date(String(getValue())),
      },
      ...(admin
        ? [
            actionColumn<RepositoryException>({
              text: 'Cancel exception',
              label: (e) => `Cancel the exception of ${e.repository}`,
              onClick: cancelling.ask,
            }),
          ]
        : []),
    ],
    [admin, cancelling.ask],
  );
  return (
    <section aria-labelledby="repo-exc-heading">
      <h2 id="repo-exc-heading">Excepted repositories</h2>
      <p className="help">
        Images of these repositories (patterns: <code>*</code> within a path segment, <code>**</code> across)
        are left out of the Images and Repositories lists and of the summary. Except repositories from the
        Images view (select images, then “Except repository”).
      </p>
      <ActionNotice notice={cancelling.notice} />
      {list.isPending ? (
        <Loading what="excepted repositories" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => list.refetch()} />
      ) : (
        <DataTable
          caption="Excepted repositories"
          columns={columns}
          data={list.data.items}
          getRowId={(e) => String(e.id)}
          empty={<Empty title="No repository is excepted." />}
        />
      )}
      {admin && (
        <CancelDialog target={cancelling.target} onClose={cancelling.close} onDone={cancelling.setNotice} />
      )}
    </section>
  );
}
