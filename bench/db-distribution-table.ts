/**
 * The rows db-distribution.bench.ts prints: each figure next to the reference measured in the
 * same run (the ratio is what carries over between machines) and the issue's goal when it has one.
 */
export interface Row {
  measure: string;
  value: string;
  reference?: string;
  /** value / reference, as printed (`2.31x`). */
  ratio?: string;
  goal?: string;
  met?: boolean;
}

export const rows: Row[] = [];

/** Records a row and prints it at once, so a run that dies half-way still shows what it measured. */
export function record(r: Row): void {
  rows.push(r);
  const ref = r.reference ? ` (reference ${r.reference}${r.ratio ? `, ${r.ratio}` : ''})` : '';
  const goal = r.goal ? ` [goal ${r.goal}: ${r.met ? 'met' : 'NOT met'}]` : '';
  console.log(`- ${r.measure}: ${r.value}${ref}${goal}`);
}

export function printTable(list: readonly Row[]): void {
  console.log('');
  console.log('| measure | value | reference | ratio | goal | met |');
  console.log('|---|---|---|---|---|---|');
  for (const r of list) {
    const met = r.goal ? (r.met ? 'yes' : '**no**') : '';
    console.log(
      `| ${r.measure} | ${r.value} | ${r.reference ?? ''} | ${r.ratio ?? ''} | ${r.goal ?? ''} | ${met} |`,
    );
  }
  console.log('');
}

export const sec = (s: number) => `${s.toFixed(s < 0.1 ? 3 : 2)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const rate = (bytes: number, s: number) => `${(bytes / 1024 / 1024 / s).toFixed(0)} MB/s`;
export const times = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; out: T }> {
  const t0 = performance.now();
  const out = await fn();
  return { seconds: (performance.now() - t0) / 1000, out };
}
