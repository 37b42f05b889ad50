/**
 * Tables through TanStack Table. Sorting is either the server's (`manualSorting`: the parent owns
 * the sort and fetches) or client-side; selection adds a checkbox column; long client-side lists
 * render `pageSize` rows at a time with a "Show more" button so a 2,000-finding image stays fast.
 */
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type OnChangeFn,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { type ReactNode, useMemo, useState } from 'react';

export type { ColumnDef, RowSelectionState, SortingState };

export function DataTable<T>(props: {
  /** Read by screen readers; also the table's accessible name. */
  caption: string;
  columns: ColumnDef<T, unknown>[];
  data: T[];
  getRowId: (row: T) => string;
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  /** The server sorts: header clicks only report the new sort. */
  manualSorting?: boolean;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: OnChangeFn<RowSelectionState>;
  /** Client-side: render this many rows, then "Show more". */
  pageSize?: number;
  empty?: ReactNode;
  /** How a row's checkbox is announced: "Select <label>" (default: the row id). */
  rowLabel?: (row: T) => string;
  rowClassName?: (row: T) => string | undefined;
}) {
  const [localSorting, setLocalSorting] = useState<SortingState>([]);
  const [shown, setShown] = useState(props.pageSize ?? Number.POSITIVE_INFINITY);
  const selectable = props.onRowSelectionChange !== undefined;
  const columns = useMemo<ColumnDef<T, unknown>[]>(
    () =>
      selectable
        ? [
            {
              id: '_select',
              enableSorting: false,
              header: ({ table }) => (
                <input
                  type="checkbox"
                  aria-label="Select all rows"
                  checked={table.getIsAllRowsSelected()}
                  ref={(el) => {
                    if (el) el.indeterminate = table.getIsSomeRowsSelected();
                  }}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) => (
                <input
                  type="checkbox"
                  aria-label={`Select ${props.rowLabel ? props.rowLabel(row.original) : `row ${row.id}`}`}
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
              ),
            },
            ...props.columns,
          ]
        : props.columns,
    [props.columns, selectable, props.rowLabel],
  );
  const table = useReactTable({
    data: props.data,
    columns,
    getRowId: props.getRowId,
    getCoreRowModel: getCoreRowModel(),
    ...(props.manualSorting ? { manualSorting: true } : { getSortedRowModel: getSortedRowModel() }),
    state: {
      sorting: props.sorting ?? localSorting,
      ...(props.rowSelection ? { rowSelection: props.rowSelection } : {}),
    },
    onSortingChange: props.onSortingChange ?? setLocalSorting,
    ...(props.onRowSelectionChange
      ? { onRowSelectionChange: props.onRowSelectionChange, enableRowSelection: true }
      : {}),
    enableSortingRemoval: false,
  });
  const rows = table.getRowModel().rows;
  const visible = rows.slice(0, shown);
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                const label = h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext());
                return (
                  <th
                    key={h.id}
                    scope="col"
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {h.column.getCanSort() ? (
                      <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                        {label}
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr
              key={row.id}
              className={props.rowClassName?.(row.original)}
              aria-selected={selectable ? row.getIsSelected() : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={`col-${cell.column.id}`}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && props.empty}
      {rows.length > visible.length && (
        <p className="more">
          Showing {visible.length} of {rows.length}.{' '}
          <button type="button" onClick={() => setShown((n) => n + (props.pageSize ?? rows.length))}>
            Show more
          </button>
        </p>
      )}
    </div>
  );
}
