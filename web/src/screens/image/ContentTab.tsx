/**
 * One content tab (Secrets, Threats or Configuration): the image's findings of that kind grouped
 * by where they were read, filtered client-side. A scanner that did not run, or a scan that did
 * not finish, is never shown as "none found".
 */
import { useDeferredValue, useMemo } from 'react';
import type { ImageDetail } from '../../api/types.js';
import { CheckFilter, FilterBar, SearchFilter, SelectFilter } from '../../components/FilterBar.js';
import { Empty } from '../../components/states.js';
import { count } from '../../format.js';
import { useSearchParams } from '../../router.js';
import {
  type ContentKindInfo,
  countKind,
  filterContent,
  groupFindings,
  scannerRan,
  scannersWith,
} from './content-derive.js';
import { ContentTable } from './content-rows.js';
import { SEVERITY_ORDER } from './derive.js';
import { LayerSelect } from './LayerControls.js';

interface Props {
  detail: ImageDetail;
  kind: ContentKindInfo;
  layer: number | null;
  onLayer: (layer: number | null) => void;
}

export function ContentTab(props: Props) {
  if (!scannerRan(props.detail, props.kind.kind)) return <NotRun {...props} />;
  return <ContentList {...props} />;
}

function NotRun({ detail, kind }: Props) {
  return (
    <section aria-label={kind.label} className="image-tab">
      <Empty title={`${kind.scanning} was not run for this image.`}>
        <p>
          Scan with <code>--scanners {scannersWith(detail, kind.kind)}</code> to look for {kind.noun}. Until
          then this tab cannot tell whether the image has any.
        </p>
      </Empty>
    </section>
  );
}

function ContentList({ detail, kind, layer, onLayer }: Props) {
  const [params, setParams] = useSearchParams();
  const q = params.get('cq') ?? '';
  const sevRaw = params.get('csev') ?? '';
  const severity = SEVERITY_ORDER.find((s) => s === sevRaw) ?? '';
  const showExcepted = params.get('cexcepted') !== 'hide';
  const layers = detail.document.layers;
  const byIndex = useMemo(() => new Map(layers.map((l) => [l.index, l])), [layers]);
  const total = countKind(detail.contentFindings, kind.kind);
  const deferredQ = useDeferredValue(q);
  const groups = useMemo(
    () =>
      groupFindings(
        filterContent(detail.contentFindings, kind.kind, { q: deferredQ, severity, showExcepted, layer }),
      ),
    [detail.contentFindings, kind.kind, deferredQ, severity, showExcepted, layer],
  );
  const shown = groups.reduce((n, g) => n + g.findings.length, 0);
  return (
    <section aria-label={kind.label} className="image-tab image-content">
      <FilterBar label={`Filter ${kind.noun}`}>
        <SearchFilter
          label={`Search ${kind.label.toLowerCase()}`}
          placeholder="rule id, title or path"
          value={q}
          onChange={(v) => setParams({ cq: v })}
        />
        <SelectFilter
          label="Severity"
          allLabel="All severities"
          options={SEVERITY_ORDER}
          value={severity}
          onChange={(v) => setParams({ csev: v })}
        />
        <LayerSelect layers={layers} value={layer} onChange={onLayer} />
        <CheckFilter
          label="Show excepted"
          checked={showExcepted}
          onChange={(on) => setParams({ cexcepted: on ? undefined : 'hide' })}
        />
      </FilterBar>
      <p className="result-count" aria-live="polite">
        {count(shown)} of {count(total)} {kind.noun}
        {detail.status !== 'scanned' && ' — the scan was incomplete, so more may exist'}
      </p>
      {shown > 0 ? (
        <ContentTable kind={kind} groups={groups} layers={byIndex} />
      ) : (
        <NoContent detail={detail} kind={kind} filtered={total > 0} />
      )}
    </section>
  );
}

function NoContent({
  detail,
  kind,
  filtered,
}: {
  detail: ImageDetail;
  kind: ContentKindInfo;
  filtered: boolean;
}) {
  if (filtered) return <Empty title={`No ${kind.noun} match these filters.`} />;
  if (detail.status !== 'scanned')
    return (
      <Empty title={`No ${kind.noun} were found in what could be read.`}>
        <p>The scan was incomplete ({detail.status}), so this is not a clean result.</p>
      </Empty>
    );
  return <Empty title={`No ${kind.noun} found in this image.`} />;
}
