/** Token management (admins): list, create (value shown once), revoke with confirmation. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api/client.js';
import { keys, useTokens } from '../../api/queries.js';
import type { TokenInfo } from '../../api/types.js';
import {
  ActionNotice,
  actionColumn,
  ConfirmDialog,
  useConfirmAction,
} from '../../components/ConfirmAction.js';
import { type ColumnDef, DataTable } from '../../components/DataTable.js';
import { ErrorState, Loading } from '../../components/states.js';
import { ago, dateTime } from '../../format.js';
import { useSession } from '../../session.js';
import { NewTokenForm } from './NewTokenForm.js';

export function TokensSection() {
  const me = useSession();
  const qc = useQueryClient();
  const tokens = useTokens(true);
  const revoking = useConfirmAction<TokenInfo>();
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
      actionColumn<TokenInfo>({
        text: 'Revoke',
        label: (t) => `Revoke token ${t.name}`,
        onClick: revoking.ask,
      }),
    ],
    [me.id, revoking.ask],
  );
  return (
    <section className="panel tokens" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="help">
        Tokens sign in to this UI (viewer, admin) and let <code>assay scan --apiurl URL --token TOKEN</code>{' '}
        submit results (scanner). A revoked token is refused from its next request on.
      </p>
      <NewTokenForm />
      <ActionNotice notice={revoking.notice} />
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
      <ConfirmDialog
        target={revoking.target}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        onClose={revoking.close}
        onConfirm={async (t) => {
          await revoke.mutateAsync(t.id);
          revoking.setNotice(`Token “${t.name}” revoked.`);
        }}
      >
        {(t) => (
          <p>
            Requests with <strong>{t.name}</strong> ({t.role}, id {t.id}) will be refused from now on.
            {t.id === me.id && ' This is the token you are signed in with: you will be signed out.'}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
