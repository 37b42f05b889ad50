/** The image's layers in order: the command that made each, and what it brought in. */
import { type ReactNode, useMemo } from 'react';
import type { ImageDetail } from '../../api/types.js';
import { SeverityBadge } from '../../components/badges.js';
import { Empty } from '../../components/states.js';
import { bytes, count } from '../../format.js';
import { CONTENT_KINDS, scannerRan } from './content-derive.js';
import { type LayerFacts, layerFacts, SEVERITY_ORDER } from './derive.js';

type ContentTally = Map<number, Map<string, number>>;

const NOUNS: Record<string, [string, string]> = {
  secret: ['secret', 'secrets'],
  threat: ['threat', 'threats'],
  config: ['config finding', 'config findings'],
};

/** Secrets, threats and config findings read from each layer's files (and its history entry). */
function contentByLayer(detail: ImageDetail): ContentTally {
  const m: ContentTally = new Map();
  for (const f of detail.contentFindings) {
    const l = f.location.layerIndex;
    if (l === undefined) continue;
    const byKind = m.get(l) ?? new Map<string, number>();
    byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    m.set(l, byKind);
  }
  return m;
}

function ContentCell({ detail, tally }: { detail: ImageDetail; tally: Map<string, number> | undefined }) {
  const ran = CONTENT_KINDS.filter((k) => scannerRan(detail, k.kind));
  if (ran.length === 0) return <span className="muted">not scanned</span>;
  const parts = ran.filter((k) => (tally?.get(k.kind) ?? 0) > 0);
  if (parts.length === 0) return <span className="muted">none</span>;
  const label = (kind: string) => {
    const n = tally?.get(kind) ?? 0;
    return `${count(n)} ${NOUNS[kind]?.[n === 1 ? 0 : 1] ?? kind}`;
  };
  return <>{parts.map((k) => label(k.kind)).join(' · ')}</>;
}

export function LayersTab(props: {
  detail: ImageDetail;
  selected: number | null;
  onSelect: (layer: number | null) => void;
}) {
  const { detail } = props;
  const facts = useMemo(
    () => layerFacts(detail.document.layers, detail.document.packages, detail.findings),
    [detail],
  );
  const content = useMemo(() => contentByLayer(detail), [detail]);
  if (facts.length === 0) return <Empty title="The scan recorded no layers for this image." />;
  return (
    <section aria-label="Layers" className="image-tab">
      <div className="table-wrap">
        <table className="layers">
          <caption className="visually-hidden">Layers of this image, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Created by</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Origin</th>
              <th scope="col" className="num">
                Packages
              </th>
              <th scope="col">Vulnerabilities introduced</th>
              <th scope="col">Secrets · threats · config</th>
              <th scope="col">
                <span className="visually-hidden">Filter</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {facts.map((f) => (
              <LayerRow
                key={f.layer.index}
                facts={f}
                selected={props.selected === f.layer.index}
                onSelect={props.onSelect}
                content={<ContentCell detail={detail} tally={content.get(f.layer.index)} />}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LayerRow(props: {
  facts: LayerFacts;
  selected: boolean;
  onSelect: (layer: number | null) => void;
  content: ReactNode;
}) {
  const { layer, packages, findings, excepted, bySeverity } = props.facts;
  return (
    <tr
      className={props.selected ? 'selected-layer' : undefined}
      aria-current={props.selected ? 'true' : undefined}
    >
      <th scope="row">{layer.index}</th>
      <td className="created-by">
        {layer.createdBy ? <code>{layer.createdBy}</code> : <span className="muted">no history entry</span>}
        <div className="muted mono small" title="layer digest">
          {layer.digest}
        </div>
      </td>
      <td className="num">{layer.size < 0 ? <span className="muted">unknown</span> : bytes(layer.size)}</td>
      <td>{layer.base ? <span className="badge base-image">base image</span> : 'this image'}</td>
      <td className="num">{count(packages)}</td>
      <td>
        {findings === 0 ? (
          <span className="muted">none</span>
        ) : (
          <>
            <span className="layer-sev">
              {SEVERITY_ORDER.filter((s) => bySeverity[s] > 0).map((s) => (
                <span key={s}>
                  <SeverityBadge severity={s} /> {count(bySeverity[s])}
                </span>
              ))}
            </span>
            <div className="muted small">
              {count(findings)} total{excepted > 0 && `, ${count(excepted)} excepted`}
            </div>
          </>
        )}
      </td>
      <td>{props.content}</td>
      <td>
        {props.selected ? (
          <button type="button" onClick={() => props.onSelect(null)}>
            Clear filter
          </button>
        ) : (
          <button type="button" onClick={() => props.onSelect(layer.index)}>
            Filter to layer {layer.index}
          </button>
        )}
      </td>
    </tr>
  );
}
