/** The findings of one image, highest CVSS first, filtered client-side (the detail holds them all). */
import { useDeferredValue, useMemo, useState } from 'react';
import type { ImageDetail, VulnerabilityFinding } from '../../api/types.js';
import { DataTable, type SortingState } from '../../components/DataTable.js';
import { CheckFilter, FilterBar, SearchFilter, SelectFilter } from '../../components/FilterBar.js';
import { Empty } from '../../components/states.js';
import { count } from '../../format.js';
import { useSearchParams } from '../../router.js';
import { filterFindings, SEVERITY_ORDER } from './derive.js';
import { LayerSelect } from './LayerControls.js';
import { vulnColumns } from './vuln-columns.js';

// One page of rows renders fast even on a 2,000-finding image; "Show more" adds the next.
const PAGE = 100;

export function VulnerabilitiesTab(props: {
  detail: ImageDetail;
  layer: number | null;
  onLayer: (layer: number | null) => void;
}) {
  const { detail, layer } = props;
  const [params, setParams] = useSearchParams();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'cvss', desc: true }]);
  const q = params.get('q') ?? '';
  const sevRaw = params.get('severity') ?? '';
  const severity = SEVERITY_ORDER.find((s) => s === sevRaw) ?? '';
  const kev = params.get('kev') === 'true';
  const fixable = params.get('fixable') === 'true';
  const showExcepted = params.get('excepted') !== 'hide';
  const layers = detail.document.layers;
  const columns = useMemo(() => vulnColumns(new Map(layers.map((l) => [l.index, l]))), [layers]);
  // Typing stays responsive on a 2,000-finding image: the table catches up after the keystroke.
  const deferredQ = useDeferredValue(q);
  const rows = useMemo(
    () => filterFindings(detail.findings, { q: deferredQ, severity, kev, fixable, showExcepted, layer }),
    [detail.findings, deferredQ, severity, kev, fixable, showExcepted, layer],
  );
  const flag = (name: string, on: boolean, value = 'true') => setParams({ [name]: on ? value : undefined });
  return (
    <section aria-label="Vulnerabilities" className="image-tab image-vulns">
      <FilterBar label="Filter vulnerabilities">
        <SearchFilter
          label="Search"
          placeholder="CVE id or package"
          value={q}
          onChange={(v) => setParams({ q: v })}
        />
        <SelectFilter
          label="Severity"
          allLabel="All severities"
          options={SEVERITY_ORDER}
          value={severity}
          onChange={(v) => setParams({ severity: v })}
        />
        <LayerSelect layers={layers} value={layer} onChange={props.onLayer} />
        <CheckFilter label="KEV only" checked={kev} onChange={(on) => flag('kev', on)} />
        <CheckFilter label="Fixable only" checked={fixable} onChange={(on) => flag('fixable', on)} />
        <CheckFilter
          label="Show excepted"
          checked={showExcepted}
          onChange={(on) => flag('excepted', !on, 'hide')}
        />
      </FilterBar>
      <p className="result-count" aria-live="polite">
        {count(rows.length)} of {count(detail.findings.length)} findings
        {detail.status !== 'scanned' && ' — the scan was incomplete, so more may exist'}
      </p>
      <DataTable<VulnerabilityFinding>
        caption="Vulnerabilities in this image"
        columns={columns}
        data={rows}
        getRowId={(f) => `${f.id}|${f.package.id}`}
        sorting={sorting}
        onSortingChange={setSorting}
        pageSize={PAGE}
        rowClassName={(f) => (f.exception ? 'excepted' : undefined)}
        empty={<NoFindings detail={detail} filtered={rows.length < detail.findings.length} />}
      />
    </section>
  );
}

function NoFindings({ detail, filtered }: { detail: ImageDetail; filtered: boolean }) {
  if (filtered) return <Empty title="No vulnerabilities match these filters." />;
  if (detail.status !== 'scanned')
    return (
      <Empty title="No vulnerabilities were found in what could be read.">
        <p>The scan was incomplete ({detail.status}), so this is not a clean result.</p>
      </Empty>
    );
  return <Empty title="No known vulnerabilities in this image." />;
}
