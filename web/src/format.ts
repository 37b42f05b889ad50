/** How numbers and dates are shown everywhere: CVSS with one decimal, EPSS as a percentage. */

export function cvss(score: number | null | undefined): string {
  return score === null || score === undefined ? '' : score.toFixed(1);
}

/** EPSS probability 0..1 as a percentage: 0.91234 → "91.2%", 0.00043 → "0.04%". */
export function epss(score: number | null | undefined): string {
  if (score === null || score === undefined) return '';
  const pct = score * 100;
  return `${pct >= 10 ? pct.toFixed(1) : pct >= 0.1 ? pct.toFixed(2) : pct.toFixed(3)}%`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

/** "2026-11-30 08:13 UTC": unambiguous, sortable, the same for every viewer. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function date(iso: string | null | undefined): string {
  return iso ? dateTime(iso).slice(0, 10) : '';
}

/** "3 h ago", "2 d ago": for last-scanned columns (the exact time goes in a title). */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A digest shortened for tables: "sha256:0123456789ab". */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest.slice(0, 12) : digest.slice(0, i + 13);
}
