/** The layer filter shared by the Vulnerabilities and Packages tabs: a select and a clearable chip. */
import { useId } from 'react';
import type { ResultLayer } from '../../api/types.js';

function short(createdBy: string | undefined, max = 60): string {
  if (!createdBy) return 'no history';
  const s = createdBy.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function LayerSelect(props: {
  layers: readonly ResultLayer[];
  value: number | null;
  onChange: (layer: number | null) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Layer</label>
      <select
        id={id}
        value={props.value === null ? '' : String(props.value)}
        onChange={(e) => props.onChange(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">All layers</option>
        {props.layers.map((l) => (
          <option key={l.index} value={l.index}>
            {l.index}: {short(l.createdBy)}
            {l.base ? ' (base)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LayerChip(props: { layer: number; layers: readonly ResultLayer[]; onClear: () => void }) {
  const l = props.layers.find((x) => x.index === props.layer);
  return (
    <p className="layer-chip" role="status">
      <span>
        Filtered to layer {props.layer}
        {l?.createdBy && <span className="mono muted"> {short(l.createdBy, 80)}</span>}
      </span>
      <button
        type="button"
        className="link"
        onClick={props.onClear}
        aria-label={`Clear the layer ${props.layer} filter`}
      >
        clear
      </button>
    </p>
  );
}
