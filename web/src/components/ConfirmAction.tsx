/**
 * Confirm-then-act on one row of a table (delete an exception, cancel a repository exception,
 * revoke a token): a row button that names its row, a confirmation dialog about that row, and
 * the outcome announced in a live region.
 */
import { type ReactNode, useState } from 'react';
import type { ColumnDef } from './DataTable.js';
import { Dialog } from './Dialog.js';

/** The row awaiting confirmation and the last outcome message. */
export function useConfirmAction<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return { target, ask: setTarget, close: () => setTarget(null), notice, setNotice };
}

/** An unlabelled, unsortable last column with one button per row. */
export function actionColumn<T>(opts: {
  text: string;
  /** The button's accessible name, naming the row ("Delete the exception for CVE-…"). */
  label: (row: T) => string;
  onClick: (row: T) => void;
}): ColumnDef<T, unknown> {
  return {
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    enableSorting: false,
    cell: ({ row }) => (
      <button
        type="button"
        className="small"
        aria-label={opts.label(row.original)}
        onClick={() => opts.onClick(row.original)}
      >
        {opts.text}
      </button>
    ),
  };
}

export function ConfirmDialog<T>(props: {
  target: T | null;
  title: string;
  confirmLabel: string;
  onClose: () => void;
  /** Runs the action; a throw keeps the dialog open with the message shown. */
  onConfirm: (target: T) => Promise<void>;
  /** What will happen to this row (and any extra fields, e.g. a reason). */
  children: (target: T) => ReactNode;
}) {
  const { target } = props;
  return (
    <Dialog
      open={target !== null}
      title={props.title}
      confirmLabel={props.confirmLabel}
      danger
      onClose={props.onClose}
      onConfirm={async () => {
        if (target !== null) await props.onConfirm(target);
      }}
    >
      {target !== null && props.children(target)}
    </Dialog>
  );
}

/** The live region where the outcome of the last action is read out. */
export function ActionNotice({ notice }: { notice: string | null }) {
  return (
    <p role="status" aria-live="polite" className="notice-line">
      {notice}
    </p>
  );
}
