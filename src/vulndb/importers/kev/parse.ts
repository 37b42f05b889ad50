/**
 * CISA's Known Exploited Vulnerabilities catalog (https://www.cisa.gov/known-exploited-vulnerabilities-catalog,
 * JSON schema: https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities_schema.json):
 * `{title, catalogVersion, dateReleased, count, vulnerabilities: [{cveID, vendorProject, product,
 * vulnerabilityName, dateAdded, shortDescription, requiredAction, dueDate,
 * knownRansomwareCampaignUse, notes, cwes}]}`. An entry without a valid CVE id or `dateAdded`
 * is skipped; a malformed optional field is reported and left out, the entry kept — a wrong due
 * date must not hide that a CVE is exploited.
 */
import type { KevRecord } from '../../types.js';
import { calendarDate } from '../common/feed-input.js';

const CVE = /^CVE-\d{4}-\d{4,}$/;

type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The record, or a message saying why the entry is skipped; `problems` collects fields left out. */
export function kevRecord(entry: unknown, problems: string[]): KevRecord | string {
  if (!isObject(entry)) return `expected an object, found ${entry === null ? 'null' : typeof entry}`;
  const { cveID, dateAdded } = entry;
  if (typeof cveID !== 'string' || !CVE.test(cveID))
    return cveID === undefined ? 'no cveID' : `cveID ${JSON.stringify(cveID)} is not a CVE id`;
  const added = calendarDate(dateAdded);
  if (!added || added !== dateAdded) return `dateAdded ${JSON.stringify(dateAdded)} is not a YYYY-MM-DD date`;
  const record: KevRecord = {
    cve: cveID,
    dateAdded: added,
    knownRansomwareCampaignUse: ransomware(entry.knownRansomwareCampaignUse, problems),
  };
  const text = (field: string): string | undefined => {
    const v = entry[field];
    if (typeof v === 'string') return v.trim() || undefined;
    if (v !== undefined && v !== null) problems.push(`${field} is not a string`);
    return undefined;
  };
  assign(record, 'vendorProject', text('vendorProject'));
  assign(record, 'product', text('product'));
  assign(record, 'name', text('vulnerabilityName'));
  assign(record, 'requiredAction', text('requiredAction'));
  assign(record, 'notes', text('notes'));
  const due = text('dueDate');
  if (due !== undefined && calendarDate(due) !== due)
    problems.push(`dueDate ${JSON.stringify(due)} is not a YYYY-MM-DD date`);
  else assign(record, 'dueDate', due);
  return record;
}

/** The catalog's own date: `dateReleased`'s day, else its `catalogVersion` (`2025.08.25`). */
export function catalogDate(doc: Json): string | undefined {
  const released = calendarDate(doc.dateReleased);
  if (released) return released;
  return typeof doc.catalogVersion === 'string' && doc.catalogVersion ? doc.catalogVersion : undefined;
}

function ransomware(value: unknown, problems: string[]): boolean {
  if (value === 'Known') return true;
  if (value !== 'Unknown')
    problems.push(`knownRansomwareCampaignUse ${JSON.stringify(value)} is not Known or Unknown`);
  return false;
}

function assign<K extends keyof KevRecord>(record: KevRecord, key: K, value: KevRecord[K] | undefined): void {
  if (value !== undefined) record[key] = value;
}
