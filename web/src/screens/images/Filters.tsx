/** Every filter GET /api/v1/images knows, written to the URL (text after a pause, boxes at once). */
import { useId } from 'react';
import { DebouncedField, inRange } from './DebouncedField.js';
import {
  CONTENT_KINDS,
  CONTENT_LABELS,
  fractionToPercent,
  hasFilters,
  list,
  NO_RESULT,
  percentToFraction,
  RESULTS,
  SEVERITIES,
  STATUSES,
  selectedResults,
} from './params.js';

type Set = (changes: Record<string, string | undefined>) => void;

function toggle(values: string[], value: string, on: boolean): string[] {
  return on ? [...values, value] : values.filter((v) => v !== value);
}

export function Filters({
  search,
  set,
  onClear,
}: {
  search: URLSearchParams;
  /** Applies URL changes; the page is reset by the caller. */
  set: Set;
  onClear: () => void;
}) {
  const id = useId();
  const get = (k: string) => search.get(k) ?? '';
  const text = (key: string, label: string, placeholder?: string) => (
    <DebouncedField
      label={label}
      value={get(key)}
      onCommit={(v) => set({ [key]: v })}
      {...(placeholder ? { placeholder } : {})}
    />
  );
  const results = selectedResults(search);
  const setResults = (next: string[]) =>
    set({ result: next.length === 0 ? NO_RESULT : RESULTS.filter((r) => next.includes(r)).join(',') });
  const severities = list(search.get('severity'));
  const content = list(search.get('content'));
  return (
    <section className="filters images-filters" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="visually-hidden">
        Filters
      </h2>
      <div className="filter-row">
        <DebouncedField
          label="Search"
          type="search"
          className="grow"
          value={get('q')}
          onCommit={(v) => set({ q: v })}
          placeholder="repository, registry, tag or digest"
        />
        {text('repository', 'Repository', 'exact, e.g. library/debian')}
        {text('registry', 'Registry', 'e.g. ghcr.io')}
        {text('tag', 'Tag')}
        {text('cve', 'CVE', 'CVE-2024-…')}
      </div>
      <div className="filter-row">
        <fieldset>
          <legend>Result</legend>
          {RESULTS.map((r) => (
            <label key={r} className="check">
              <input
                type="checkbox"
                checked={results.includes(r)}
                onChange={(e) => setResults(toggle(results, r, e.target.checked))}
              />
              {r}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Has severity</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={severities.includes(s)}
                onChange={(e) =>
                  set({
                    severity: SEVERITIES.filter((x) =>
                      toggle(severities, s, e.target.checked).includes(x),
                    ).join(','),
                  })
                }
              />
              {s === 'unknown' ? 'no score' : s}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Has content findings</legend>
          {CONTENT_KINDS.map((k) => (
            <label key={k} className="check">
              <input
                type="checkbox"
                checked={content.includes(k)}
                onChange={(e) =>
                  set({
                    content: CONTENT_KINDS.filter((x) =>
                      toggle(content, k, e.target.checked).includes(x),
                    ).join(','),
                  })
                }
              />
              {CONTENT_LABELS[k]}
            </label>
          ))}
        </fieldset>
        <DebouncedField
          label="Min CVSS"
          type="number"
          className="narrow"
          min={0}
          max={10}
          step={0.1}
          value={get('minCvss')}
          validate={inRange(0, 10)}
          onCommit={(v) => set({ minCvss: v })}
        />
        <DebouncedField
          label="Max CVSS"
          type="number"
          className="narrow"
          min={0}
          max={10}
          step={0.1}
          value={get('maxCvss')}
          validate={inRange(0, 10)}
          onCommit={(v) => set({ maxCvss: v })}
        />
        <DebouncedField
          label="Min EPSS %"
          type="number"
          className="narrow"
          min={0}
          max={100}
          step={0.1}
          value={fractionToPercent(search.get('minEpss'))}
          validate={inRange(0, 100)}
          onCommit={(v) => set({ minEpss: percentToFraction(v) })}
        />
        <fieldset>
          <legend>Only</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={get('kev') === 'true'}
              onChange={(e) => set({ kev: e.target.checked ? 'true' : undefined })}
            />
            KEV only
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={get('fixable') === 'true'}
              onChange={(e) => set({ fixable: e.target.checked ? 'true' : undefined })}
            />
            Fixable only
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-status`}>Scan status</label>
          <select id={`${id}-status`} value={get('status')} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Any</option>
            <option value={STATUSES.filter((s) => s !== 'scanned').join(',')}>Not fully scanned</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-dismissed`}>Dismissed</label>
          <select
            id={`${id}-dismissed`}
            value={get('dismissed')}
            onChange={(e) => set({ dismissed: e.target.value })}
          >
            <option value="">Hide dismissed</option>
            <option value="true">Only dismissed</option>
            <option value="all">Show all</option>
          </select>
        </div>
        <button type="button" className="clear" onClick={onClear} disabled={!hasFilters(search)}>
          Clear filters
        </button>
      </div>
    </section>
  );
}
