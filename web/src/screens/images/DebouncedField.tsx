/**
 * A labelled text or number input whose value reaches the URL ~300 ms after the last keystroke
 * (Enter commits at once), so typing does not fire a request per character. A value the API
 * would refuse is flagged next to the field instead of being sent.
 */
import { useEffect, useId, useRef, useState } from 'react';

export const DEBOUNCE_MS = 300;

export function DebouncedField(props: {
  label: string;
  /** The committed value (from the URL). */
  value: string;
  onCommit: (value: string) => void;
  type?: 'text' | 'number' | 'search';
  placeholder?: string;
  min?: number;
  max?: number;
  step?: number;
  /** An error message for a value that must not be sent, or null. */
  validate?: (value: string) => string | null;
  className?: string;
}) {
  const { value, onCommit, validate } = props;
  const id = useId();
  const [local, setLocal] = useState(value);
  const committed = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL changed elsewhere (Clear filters, a summary card, Back): show it.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      clearTimeout(timer.current);
      setLocal(value);
    }
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const error = validate && local.trim() !== '' ? validate(local.trim()) : null;
  const commit = (v: string) => {
    clearTimeout(timer.current);
    const trimmed = v.trim();
    if ((validate && trimmed !== '' && validate(trimmed)) || trimmed === committed.current) return;
    committed.current = trimmed;
    onCommit(trimmed);
  };
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={local}
        placeholder={props.placeholder}
        min={props.min}
        max={props.max}
        step={props.step}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          const v = e.target.value;
          setLocal(v);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(v), DEBOUNCE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(local);
        }}
      />
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A number in [min, max] (inclusive), as the API's score parameters require. */
export const inRange = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  return Number.isFinite(n) && n >= min && n <= max ? null : `Enter ${min}–${max}`;
};
