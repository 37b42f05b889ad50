/** Every package the scan found, with the layer that introduced it and how many findings it has. */
import { useDeferredValue, useMemo, useState } from 'react';
import type { ImageDetail, Package } from '../../api/types.js';
import { type ColumnDef, DataTable, type SortingState } from '../../components/DataTable.js';
import { FilterBar, SearchFilter, SelectFilter } from '../../components/FilterBar.js';
import { Empty } from '../../components/states.js';
import { count } from '../../format.js';
import { useSearchParams } from '../../router.js';
import { filterPackages, findingsByPackage } from './derive.js';
import { LayerSelect } from './LayerControls.js';

type Row = Package & { vulns: number };

export function PackagesTab(props: {
  detail: ImageDetail;
  layer: number | null;
  onLayer: (layer: number | null) => void;
}) {
  const { detail, layer } = props;
  const [params, setParams] = useSearchParams();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'vulns', desc: true }]);
  const q = params.get('pq') ?? '';
  const type = params.get('ptype') ?? '';
  const { packages, layers } = detail.document;
  const all = useMemo<Row[]>(() => {
    const n = findingsByPackage(detail.findings);
    return packages.map((p) => ({ ...p, vulns: n.get(p.id) ?? 0 }));
  }, [packages, detail.findings]);
  const types = useMemo(() => [...new Set(packages.map((p) => p.type))].sort(), [packages]);
  const deferredQ = useDeferredValue(q);
  const rows = useMemo(
    () => filterPackages(all, { q: deferredQ, type, layer }),
    [all, deferredQ, type, layer],
  );
  const columns = useMemo<ColumnDef<Row, unknown>[]>(() => {
    const createdBy = new Map(layers.map((l) => [l.index, l.createdBy]));
    return [
      { id: 'type', header: 'Type', accessorFn: (p) => p.type },
      { id: 'name', header: 'Name', accessorFn: (p) => p.name },
      {
        id: 'version',
        header: 'Version',
        accessorFn: (p) => p.version,
        enableSorting: false,
        cell: ({ row }) => <span className="mono">{row.original.version}</span>,
      },
      {
        id: 'purl',
        header: 'purl',
        enableSorting: false,
        cell: ({ row }) => <span className="mono">{row.original.purl}</span>,
      },
      {
        id: 'layer',
        header: 'Layer',
        accessorFn: (p) => p.introducedIn.layerIndex,
        cell: ({ row }) => (
          <span title={createdBy.get(row.original.introducedIn.layerIndex)}>
            {row.original.introducedIn.layerIndex}
          </span>
        ),
      },
      {
        id: 'vulns',
        header: 'Vulnerabilities',
        accessorFn: (p) => p.vulns,
        sortDescFirst: true,
        cell: ({ row }) =>
          row.original.vulns ? count(row.original.vulns) : <span className="muted">0</span>,
      },
    ];
  }, [layers]);
  return (
    <section aria-label="Packages" className="image-tab">
      <FilterBar label="Filter packages">
        <SearchFilter
          label="Search packages"
          placeholder="name or purl"
          value={q}
          onChange={(v) => setParams({ pq: v })}
        />
        <SelectFilter
          label="Type"
          allLabel="All types"
          options={types}
          value={type}
          onChange={(v) => setParams({ ptype: v })}
        />
        <LayerSelect layers={layers} value={layer} onChange={props.onLayer} />
      </FilterBar>
      <p className="result-count" aria-live="polite">
        {count(rows.length)} of {count(packages.length)} packages
      </p>
      <DataTable<Row>
        caption="Packages in this image"
        columns={columns}
        data={rows}
        getRowId={(p) => p.id}
        sorting={sorting}
        onSortingChange={setSorting}
        pageSize={200}
        empty={
          <Empty
            title={packages.length ? 'No packages match these filters.' : 'The scan listed no packages.'}
          />
        }
      />
    </section>
  );
}
