/**
 * Exports of the images the current filters select (every page, not just the one shown): the
 * exports take the list's filters and sort, never its page size or cursor (they refuse those).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { download, withQuery } from '../../api/client.js';
import type { ImageListParams } from '../../api/types.js';
import { bytes } from '../../format.js';

interface ExportDef {
  label: string;
  path: string;
  extra: Record<string, string>;
  filename: string;
}

const stamp = () => new Date().toISOString().slice(0, 10);

const EXPORTS: ExportDef[] = [
  {
    label: 'CSV — one row per image',
    path: '/api/v1/export/images.csv',
    extra: { mode: 'image' },
    filename: 'assay-images',
  },
  {
    label: 'CSV — one row per image and CVE',
    path: '/api/v1/export/images.csv',
    extra: { mode: 'image_cve' },
    filename: 'assay-images-cves',
  },
  {
    label: 'JSON for re-scanning',
    path: '/api/v1/export/scan-input.json',
    extra: {},
    filename: 'assay-scan-input',
  },
];

export function ExportMenu({
  filters,
  onDone,
}: {
  /** The list's filters; undefined when they select nothing. */
  filters: ImageListParams | undefined;
  onDone: (message: string, ok: boolean) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | FocusEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('focusin', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('focusin', close);
    };
  }, [open]);

  const run = async (e: ExportDef) => {
    if (!filters) return;
    setOpen(false);
    setBusy(true);
    const ext = e.path.endsWith('.csv') ? 'csv' : 'json';
    const filename = `${e.filename}-${stamp()}.${ext}`;
    try {
      const size = await download(withQuery(e.path, { ...filters, ...e.extra }), filename);
      onDone(`Downloaded ${filename} (${bytes(size)}).`, true);
    } catch (err) {
      onDone(`Export failed: ${err instanceof Error ? err.message : String(err)}`, false);
    } finally {
      setBusy(false);
    }
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the menu from any item inside it
    <div
      className="export-menu"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          document.getElementById(`${id}-button`)?.focus();
        }
      }}
    >
      <button
        id={`${id}-button`}
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        disabled={busy || !filters}
        onClick={() => setOpen((o) => !o)}
      >
        {busy ? 'Exporting…' : 'Export'} <span aria-hidden="true">▾</span>
      </button>
      <ul id={`${id}-list`} className="export-list" hidden={!open}>
        {EXPORTS.map((e) => (
          <li key={e.label}>
            <button type="button" onClick={() => run(e)}>
              {e.label}
            </button>
          </li>
        ))}
        <li className="export-note muted">All images matching the filters, not just this page.</li>
      </ul>
    </div>
  );
}
