/**
 * One page of GET /api/v1/images for the URL's filters: server-side sort (column headers write
 * `sort`/`order`), cursor pages, and (for admins) row selection feeding the selection actions.
 */
import { useMemo, useState } from 'react';
import { useImages } from '../../api/queries.js';
import type { ImageListParams, ImageSummary } from '../../api/types.js';
import { DataTable, type RowSelectionState, type SortingState } from '../../components/DataTable.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { shortDigest } from '../../format.js';
import { useIsAdmin } from '../../session.js';
import { columnOf, imageColumns, SORTABLE } from './columns.js';
import { Pager, useCursorStack } from './Pager.js';
import { DEFAULT_ORDER, hasFilters, pageSizeOf, sortOf } from './params.js';
import { SelectionActions } from './SelectionActions.js';

type Set = (changes: Record<string, string | undefined>) => void;

/** The default view is empty: is the store empty, or are all images dismissed or UNKNOWN? */
function DefaultViewEmpty() {
  const probe = useImages({ limit: '1', dismissed: 'all' });
  if (probe.isPending) return <Loading what="images" />;
  if (probe.data?.items.length === 0)
    return (
      <Empty title="No images yet">
        <p>
          Scan an image into this manager: <code>assay scan --apiurl URL --token T IMAGE</code> (with a
          scanner token; an admin creates one under Settings).
        </p>
      </Empty>
    );
  return (
    <Empty title="No images match these filters">
      <p>Every image here is dismissed or UNKNOWN: tick UNKNOWN, or choose “Show all” under Dismissed.</p>
    </Empty>
  );
}

function NoRows({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  if (!filtered) return <DefaultViewEmpty />;
  return (
    <Empty title="No images match these filters">
      <p>Change or clear the filters to see more.</p>
      <button type="button" onClick={onClear}>
        Clear filters
      </button>
    </Empty>
  );
}

/** "acme/api:v1 (sha256:0123456789ab)": what a screen reader says for a row's checkbox. */
const rowLabel = (i: ImageSummary) =>
  `${i.repository}${i.tags[0] ? `:${i.tags[0]}` : ''} (${shortDigest(i.digest)})`;

export function ImagesTable({
  params,
  search,
  set,
  onClear,
  announce,
}: {
  params: ImageListParams;
  search: URLSearchParams;
  set: Set;
  onClear: () => void;
  announce: (message: string, ok: boolean) => void;
}) {
  const isAdmin = useIsAdmin();
  const images = useImages(params);
  const { cursor: _c, ...withoutCursor } = params;
  const pageKey = JSON.stringify(withoutCursor);
  const cursors = useCursorStack(pageKey);
  const cursor = search.get('cursor');
  const [selection, setSelection] = useState<{ key: string; rows: RowSelectionState }>({
    key: '',
    rows: {},
  });
  const selectionKey = JSON.stringify(params);
  const rowSelection = selection.key === selectionKey ? selection.rows : {};

  const { sort, order } = sortOf(search);
  const sorting: SortingState = [{ id: columnOf(sort), desc: order === 'desc' }];
  const items = images.data?.items ?? [];
  const selected = useMemo(() => items.filter((i) => rowSelection[i.digest]), [items, rowSelection]);

  if (images.isPending) return <Loading what="images" />;
  if (images.isError && !images.data)
    return <ErrorState error={images.error} retry={() => images.refetch()} />;

  const onSortingChange = (updater: SortingState | ((old: SortingState) => SortingState)) => {
    const next = (typeof updater === 'function' ? updater(sorting) : updater)[0];
    const key = next ? SORTABLE[next.id] : undefined;
    if (!next || !key) return;
    const o = next.desc ? 'desc' : 'asc';
    set({
      sort: key === 'maxCvss' ? undefined : key,
      order: o === DEFAULT_ORDER[key] ? undefined : o,
      cursor: undefined,
    });
  };
  return (
    <>
      {images.isError && <ErrorState error={images.error} retry={() => images.refetch()} />}
      {isAdmin && selected.length > 0 && (
        <SelectionActions
          selected={selected}
          onDone={(message, ok) => {
            if (ok) setSelection({ key: selectionKey, rows: {} });
            announce(message, ok);
          }}
        />
      )}
      <div aria-busy={images.isFetching} className={images.isPlaceholderData ? 'stale' : undefined}>
        <DataTable
          caption="Scanned images"
          columns={imageColumns}
          data={items}
          getRowId={(i) => i.digest}
          rowLabel={rowLabel}
          sorting={sorting}
          onSortingChange={onSortingChange}
          manualSorting
          {...(isAdmin
            ? {
                rowSelection,
                onRowSelectionChange: (u) =>
                  setSelection({ key: selectionKey, rows: typeof u === 'function' ? u(rowSelection) : u }),
              }
            : {})}
          rowClassName={(i) => (i.dismissed ? 'dismissed' : undefined)}
          empty={<NoRows filtered={hasFilters(search)} onClear={onClear} />}
        />
      </div>
      <Pager
        page={cursor && cursors.depth === 0 ? null : cursors.depth + 1}
        shown={items.length}
        hasPrevious={cursor !== null}
        hasNext={Boolean(images.data?.nextCursor)}
        onPrevious={() => set({ cursor: cursors.pop() ?? undefined })}
        onNext={() => {
          const next = images.data?.nextCursor;
          if (!next) return;
          cursors.push(cursor);
          set({ cursor: next });
        }}
        pageSize={pageSizeOf(search)}
        onPageSize={(n) => set({ limit: n === 50 ? undefined : String(n), cursor: undefined })}
      />
    </>
  );
}
