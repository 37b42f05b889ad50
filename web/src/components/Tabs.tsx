/** WAI-ARIA tabs: arrow keys move between tabs, the panel is labelled by its tab. */
import { type KeyboardEvent, type ReactNode, useId } from 'react';

export interface TabDef<K extends string> {
  key: K;
  label: ReactNode;
}

export function Tabs<K extends string>(props: {
  tabs: TabDef<K>[];
  active: K;
  onChange: (key: K) => void;
  label: string;
  children: ReactNode;
}) {
  const id = useId();
  const onKey = (e: KeyboardEvent) => {
    const i = props.tabs.findIndex((t) => t.key === props.active);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = props.tabs[(i + step + props.tabs.length) % props.tabs.length];
    if (next) {
      props.onChange(next.key);
      document.getElementById(`${id}-tab-${next.key}`)?.focus();
    }
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={props.label} onKeyDown={onKey}>
        {props.tabs.map((t) => (
          <button
            key={t.key}
            id={`${id}-tab-${t.key}`}
            type="button"
            role="tab"
            aria-selected={t.key === props.active}
            aria-controls={`${id}-panel`}
            tabIndex={t.key === props.active ? 0 : -1}
            onClick={() => props.onChange(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${props.active}`}>
        {props.children}
      </div>
    </div>
  );
}
