/**
 * The warn/fail thresholds: admins edit them (saving re-grades every image and says how many
 * changed), viewers read them. The form's values drive the band table below it as a preview.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { saveThresholds, useImageMutation } from '../../api/queries.js';
import type { Thresholds } from '../../api/types.js';
import { count, cvss } from '../../format.js';

export function parseThresholds(warn: string, fail: string): Thresholds | string {
  const w = Number(warn);
  const f = Number(fail);
  if (warn.trim() === '' || !Number.isFinite(w) || w < 0 || w > 10)
    return 'The warn threshold must be a CVSS score from 0.0 to 10.0.';
  if (fail.trim() === '' || !Number.isFinite(f) || f < 0 || f > 10)
    return 'The fail threshold must be a CVSS score from 0.0 to 10.0.';
  if (w > f)
    return `The warn threshold (${cvss(w)}) must not exceed the fail threshold (${cvss(f)}): lower warn or raise fail.`;
  return { warn: w, fail: f };
}

export function ThresholdsForm(props: {
  saved: Thresholds;
  admin: boolean;
  onPreview: (t: Thresholds | null) => void;
}) {
  const { saved, admin, onPreview } = props;
  const [warn, setWarn] = useState(String(saved.warn));
  const [fail, setFail] = useState(String(saved.fail));
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const save = useImageMutation(saveThresholds);
  useEffect(() => {
    setWarn(String(saved.warn));
    setFail(String(saved.fail));
  }, [saved.warn, saved.fail]);
  useEffect(() => {
    const t = parseThresholds(warn, fail);
    onPreview(typeof t === 'string' ? null : t);
  }, [warn, fail, onPreview]);

  if (!admin)
    return (
      <section className="panel" aria-labelledby="thresholds-heading">
        <h2 id="thresholds-heading">Thresholds</h2>
        <dl className="facts">
          <dt>Warn at CVSS v3 ≥</dt>
          <dd>{cvss(saved.warn)}</dd>
          <dt>Fail at CVSS v3 ≥</dt>
          <dd>{cvss(saved.fail)}</dd>
        </dl>
        <p className="help">Only admins can change the thresholds.</p>
      </section>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    const t = parseThresholds(warn, fail);
    if (typeof t === 'string') {
      setError(t);
      return;
    }
    setError(null);
    try {
      const r = await save.mutateAsync(t);
      setStatus(
        `Saved; ${count(r.regraded)} ${r.regraded === 1 ? 'image' : 'images'} re-graded (their result changed).`,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const unchanged = Number(warn) === saved.warn && Number(fail) === saved.fail;
  return (
    <section className="panel" aria-labelledby="thresholds-heading">
      <h2 id="thresholds-heading">Thresholds</h2>
      <form onSubmit={submit} noValidate aria-describedby="thresholds-help">
        <div className="field-row">
          <div className="field">
            <label htmlFor="warn-threshold">Warn threshold</label>
            <input
              id="warn-threshold"
              type="number"
              min={0}
              max={10}
              step={0.1}
              required
              value={warn}
              aria-invalid={error !== null}
              onChange={(e) => {
                setWarn(e.target.value);
                setError(null);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="fail-threshold">Fail threshold</label>
            <input
              id="fail-threshold"
              type="number"
              min={0}
              max={10}
              step={0.1}
              required
              value={fail}
              aria-invalid={error !== null}
              onChange={(e) => {
                setFail(e.target.value);
                setError(null);
              }}
            />
          </div>
          <div className="field">
            <button type="submit" className="primary" disabled={save.isPending || unchanged}>
              {save.isPending ? 'Saving and re-grading…' : 'Save thresholds'}
            </button>
          </div>
        </div>
        <p id="thresholds-help" className="help">
          CVSS v3 scores from 0.0 to 10.0, warn ≤ fail. Saving re-grades every stored image at once (no
          re-scan needed); scans sent afterwards are graded by the manager with these values too.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <p role="status" aria-live="polite" className="saved">
          {status}
        </p>
      </form>
    </section>
  );
}
