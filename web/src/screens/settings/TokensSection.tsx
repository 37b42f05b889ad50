/** Token management (admins): list, create (value shown once), revoke with confirmation. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../../api/client.js';
import { keys, useTokens } from '../../api/queries.js';
import type { TokenInfo } from '../../api/types.js';
import { type ColumnDef, DataTable } from '../../components/DataTable.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorState, Loading } from '../../components/states.js';
import { ago, dateTime } from '../../format.js';
import { useSession } from '../../session.js';
import { NewTokenForm } from './NewTokenForm.js';

export function TokensSection() {
  const me = useSession();
  const qc = useQueryClient();
  const tokens = useTokens(true);
  const [revoking, setRevoking] = useState<TokenInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: (id: number) => api<{ revoked: TokenInfo }>(`/api/v1/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  });
  const columns = useMemo<ColumnDef<TokenInfo, unknown>[]>(
    () => [
      { id: 'id', header: 'Id', accessorKey: 'id' },
      {
        id: 'name',
        header: 'Name',
        accessorKey: 'name',
        cell: ({ row }) => (
          <>
            {row.original.name}
            {row.original.id === me.id && <span className="badge you">you</span>}
          </>
        ),
      },
      { id: 'role', header: 'Role', accessorKey: 'role' },
      {
        id: 'createdAt',
        header: 'Created',
        accessorKey: 'createdAt',
        cell: ({ row }) => dateTime(row.original.createdAt),
      },
      {
        id: 'lastUsedAt',
        header: 'Last used',
        accessorFn: (t) => t.lastUsedAt ?? '',
        cell: ({ row }) =>
          row.original.lastUsedAt ? (
            <span title={dateTime(row.original.lastUsedAt)}>{ago(row.original.lastUsedAt)}</span>
          ) : (
            <span className="muted">never</span>
          ),
      },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => (
          <button
            type="button"
            className="small"
            aria-label={`Revoke token ${row.original.name}`}
            onClick={() => setRevoking(row.original)}
          >
            Revoke
          </button>
        ),
      },
    ],
    [me.id],
  );
  return (
    <section className="panel tokens" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="help">
        Tokens sign in to this UI (viewer, admin) and let <code>assay scan --apiurl URL --token TOKEN</code>{' '}
        submit results (scanner). A revoked token is refused from its next request on.
      </p>
      <NewTokenForm />
      <p role="status" aria-live="polite" className="notice-line">
        {notice}
      </p>
      {tokens.isPending ? (
        <Loading what="tokens" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} retry={() => tokens.refetch()} />
      ) : (
        <DataTable
          caption="API tokens"
          columns={columns}
          data={tokens.data.items}
          getRowId={(t) => String(t.id)}
        />
      )}
      <Dialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await revoke.mutateAsync(revoking.id);
          setNotice(`Token “${revoking.name}” revoked.`);
        }}
      >
        {revoking && (
          <p>
            Requests with <strong>{revoking.name}</strong> ({revoking.role}, id {revoking.id}) will be refused
            from now on.
            {revoking.id === me.id && ' This is the token you are signed in with: you will be signed out.'}
          </p>
        )}
      </Dialog>
    </section>
  );
}
