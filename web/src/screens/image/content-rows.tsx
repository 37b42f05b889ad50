/**
 * The grouped table of the content tabs: one row group per layer, history entry or the image
 * configuration, each headed by where its findings were read.
 */
import { useState } from 'react';
import type { ContentFinding, ResultLayer } from '../../api/types.js';
import { SeverityBadge } from '../../components/badges.js';
import { count, shortDigest } from '../../format.js';
import { type ContentGroup, type ContentKindInfo, placeLabel } from './content-derive.js';
import { ExceptionDetail } from './ExceptionDetail.js';

// Rows rendered before "Show more": a noisy image can carry thousands of secret matches.
const PAGE = 200;

const DETAIL_HEADER: Record<ContentFinding['kind'], string> = {
  secret: 'Match (redacted)',
  threat: 'Evidence',
  config: 'Problem',
};

function GroupHeader({ group, layers }: { group: ContentGroup; layers: ReadonlyMap<number, ResultLayer> }) {
  const layer = group.layerIndex === undefined ? undefined : layers.get(group.layerIndex);
  const createdBy = group.kind === 'history' ? (group.createdBy ?? layer?.createdBy) : layer?.createdBy;
  return (
    <span className="group-title">
      <strong>
        {group.kind === 'config'
          ? 'Image configuration'
          : group.kind === 'history'
            ? `History #${group.historyIndex ?? '?'}`
            : `Layer ${group.layerIndex}`}
      </strong>
      {group.kind === 'history' && group.layerIndex !== undefined && (
        <span className="muted"> (layer {group.layerIndex})</span>
      )}
      {layer && (
        <>
          {' '}
          <span className={`badge ${layer.base ? 'base-image' : 'own-layer'}`}>
            {layer.base ? 'base image' : 'this image'}
          </span>{' '}
          <span className="mono muted" title={`diff id ${layer.diffId}`}>
            {shortDigest(layer.diffId)}
          </span>
        </>
      )}
      {group.kind === 'config' && (
        <span className="muted"> environment, labels and run settings of the image config</span>
      )}
      <span className="muted small">
        {' '}
        · {count(group.findings.length)} {group.findings.length === 1 ? 'finding' : 'findings'}
      </span>
      {createdBy && (
        <code className="group-created-by" title={createdBy}>
          {createdBy}
        </code>
      )}
    </span>
  );
}

function Detail({ f }: { f: ContentFinding }) {
  if (f.kind === 'secret')
    return (
      <code className="redacted" title="Redacted by the scanner: the value itself is never stored">
        {f.match}
      </code>
    );
  if (f.kind === 'threat')
    return (
      <>
        {f.evidence && <span>{f.evidence}</span>}
        {f.sha256 && (
          <div className="mono small" title={`SHA-256 ${f.sha256}`}>
            sha256 {f.sha256.slice(0, 12)}
          </div>
        )}
        <div className="muted small">engine {f.engine}</div>
      </>
    );
  return (
    <>
      <span>{f.message}</span>
      {f.cis && <div className="muted small">CIS Docker Benchmark {f.cis}</div>}
    </>
  );
}

export function removedTitle(f: ContentFinding): string {
  const { layerIndex, removedInLayer } = f.location;
  return `Deleted or overwritten in layer ${removedInLayer}, but still in layer ${layerIndex ?? '?'} of the image for anyone who pulls it.`;
}

function Row({ f }: { f: ContentFinding }) {
  const removed = f.location.removedInLayer;
  return (
    <tr className={f.exception ? 'excepted' : undefined}>
      <td>
        <SeverityBadge severity={f.severity} />
      </td>
      <td>
        <strong className="mono">{f.id}</strong>
        <div>{f.title}</div>
      </td>
      <td className="mono place">{placeLabel(f.location)}</td>
      <td>
        <Detail f={f} />
      </td>
      <td>
        {removed !== undefined && (
          <span className="badge removed" title={removedTitle(f)}>
            removed in layer {removed}
          </span>
        )}
        <ExceptionDetail exception={f.exception} />
      </td>
    </tr>
  );
}

export function ContentTable(props: {
  kind: ContentKindInfo;
  groups: ContentGroup[];
  layers: ReadonlyMap<number, ResultLayer>;
}) {
  const [shown, setShown] = useState(PAGE);
  const total = props.groups.reduce((n, g) => n + g.findings.length, 0);
  let budget = shown;
  const anyRemoved = props.groups.some((g) =>
    g.findings.some((f) => f.location.removedInLayer !== undefined),
  );
  return (
    <div className="table-wrap">
      <table className="content-findings">
        <caption className="visually-hidden">{props.kind.label} in this image, grouped by layer</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
            <th scope="col">Location</th>
            <th scope="col">{DETAIL_HEADER[props.kind.kind]}</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        {props.groups.map((g) => {
          if (budget <= 0) return null;
          const rows = g.findings.slice(0, budget);
          budget -= rows.length;
          return (
            <tbody key={g.key} aria-label={groupName(g)}>
              <tr className="group-header">
                <th scope="rowgroup" colSpan={5}>
                  <GroupHeader group={g} layers={props.layers} />
                </th>
              </tr>
              {rows.map((f, i) => (
                // Content findings have no unique id; their order within a group is stable.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <Row key={i} f={f} />
              ))}
            </tbody>
          );
        })}
      </table>
      {total > shown && (
        <p className="more">
          Showing {count(shown)} of {count(total)}.{' '}
          <button type="button" onClick={() => setShown((n) => n + PAGE)}>
            Show more
          </button>
        </p>
      )}
      {anyRemoved && (
        <p className="help">
          <span className="badge removed">removed in layer N</span> The file was deleted or overwritten by a
          later layer, but it is still in the image for anyone who pulls it: the earlier layer keeps its
          bytes.
        </p>
      )}
    </div>
  );
}

export function groupName(g: ContentGroup): string {
  if (g.kind === 'config') return 'Image configuration';
  if (g.kind === 'history') return `History #${g.historyIndex ?? '?'}`;
  return `Layer ${g.layerIndex}`;
}
