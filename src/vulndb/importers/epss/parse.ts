/**
 * FIRST's EPSS CSV (https://www.first.org/epss/data_stats): an optional first line
 * `#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000` (older files have none),
 * the header `cve,epss,percentile`, then one row per CVE with the probability of
 * exploitation activity in the next 30 days and its percentile, both between 0 and 1.
 */
import { calendarDate } from '../common/feed-input.js';

export interface EpssHeader {
  modelVersion?: string;
  /** `YYYY-MM-DD` of `score_date`. */
  date?: string;
}

export interface EpssRow {
  cve: string;
  score: number;
  percentile: number;
}

export const COLUMNS = 'cve,epss,percentile';

const CVE = /^CVE-\d{4}-\d{4,}$/;
/** A plain decimal, as FIRST writes scores (`0.00043`), also in exponent form (`4.3e-04`). */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const MODEL = /^[\w.+-]{1,64}$/;

/** The `#model_version…` comment line's fields, or a message saying what is wrong with it. */
export function parseModelLine(text: string): EpssHeader | string {
  const header: EpssHeader = {};
  for (const field of text.replace(/^#/, '').split(',')) {
    const colon = field.indexOf(':');
    const key = field.slice(0, colon).trim();
    const value = field.slice(colon + 1).trim();
    if (colon < 0) return `malformed comment field "${clip(field)}"`;
    if (key === 'model_version') {
      if (!MODEL.test(value)) return `malformed model_version "${clip(value)}"`;
      header.modelVersion = value;
    } else if (key === 'score_date') {
      const date = calendarDate(value);
      if (!date) return `malformed score_date "${clip(value)}"`;
      header.date = date;
    }
  }
  return header;
}

export function isColumnsLine(text: string): boolean {
  return (
    text
      .split(',')
      .map((f) => f.trim().toLowerCase())
      .join(',') === COLUMNS
  );
}

/** One data row, or a message saying what is wrong with it. */
export function parseRow(text: string): EpssRow | string {
  const fields = text.split(',').map((f) => f.trim());
  if (fields.length !== 3) return `expected 3 fields (${COLUMNS}), found ${fields.length}: "${clip(text)}"`;
  const [cve, score, percentile] = fields as [string, string, string];
  if (!CVE.test(cve)) return `"${clip(cve)}" is not a CVE id`;
  const s = probability(score);
  if (s === undefined) return `${cve}: epss "${clip(score)}" is not a number between 0 and 1`;
  const p = probability(percentile);
  if (p === undefined) return `${cve}: percentile "${clip(percentile)}" is not a number between 0 and 1`;
  return { cve, score: s, percentile: p };
}

function probability(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 1 ? n : undefined;
}

/** Feed text quoted in a message, cut short: a junk line can be anything. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
