/**
 * An in-memory vulnerability DB implementing both sides of the contract (sink and reader) with
 * the same upsert and snapshot rules as the SQLite store, for importer and matcher tests that do
 * not need a file. `store.test.ts` checks that both give the same answers.
 */
import type { DenyList, DenyListEntry } from '../../content/types.js';
import type { AdvisorySink } from '../importer.js';
import { normalizePackageName } from '../names.js';
import type { AdvisoryInfo, AffectedEntry, DbInfo, VulnDbReader } from '../reader.js';
import {
  type AdvisoryRecord,
  type CvssRecord,
  DB_SCHEMA_VERSION,
  type EpssRecord,
  type KevRecord,
  type SourceInfo,
  type ThreatHashRecord,
} from '../types.js';

interface Scoped<T> {
  scope: string | undefined;
  value: T;
}

const cvssKey = (feed: string, r: CvssRecord) =>
  `${r.vulnId}\u0000${feed}\u0000${r.source}\u0000${r.sourceName ?? ''}\u0000${r.version}`;

export class MemoryDb implements AdvisorySink, VulnDbReader {
  private scope: string | undefined;
  readonly advisories = new Map<string, Scoped<AdvisoryRecord>>();
  private readonly scores = new Map<string, Scoped<CvssRecord>>();
  private readonly epssRows = new Map<string, Scoped<EpssRecord>>();
  private readonly kevRows = new Map<string, Scoped<KevRecord>>();
  /** By `sha256\0scope`: each list keeps its own entry. */
  private readonly threatRows = new Map<string, Scoped<ThreatHashRecord>>();
  readonly sources: SourceInfo[] = [];

  /** (feed, id) keys written by the current import: a second write merges into the first. */
  private written = new Set<string>();

  snapshot(scope: string): void {
    this.scope = scope;
    for (const map of [this.advisories, this.scores, this.epssRows, this.kevRows, this.threatRows] as Map<
      string,
      Scoped<unknown>
    >[])
      for (const [k, v] of map) if (v.scope === scope) map.delete(k);
  }

  putAdvisory(record: AdvisoryRecord): void {
    const key = `${record.feed}\u0000${record.id}`;
    const earlier = this.written.has(key) ? this.advisories.get(key)?.value : undefined;
    this.written.add(key);
    if (!earlier) {
      this.advisories.set(key, { scope: this.scope, value: structuredClone(record) });
      return;
    }
    const copy = structuredClone(record);
    earlier.aliases = [...new Set([...earlier.aliases, ...copy.aliases])];
    earlier.references.push(...copy.references);
    if (earlier.cwes || copy.cwes)
      earlier.cwes = [...new Set([...(earlier.cwes ?? []), ...(copy.cwes ?? [])])];
    earlier.cvss.push(...copy.cvss);
    earlier.affected.push(...copy.affected);
  }

  putCvss(feed: string, vulnId: string, records: readonly CvssRecord[]): void {
    const prefix = `${vulnId}\u0000${feed}\u0000`;
    for (const k of this.scores.keys()) if (k.startsWith(prefix)) this.scores.delete(k);
    for (const r of records) this.scores.set(cvssKey(feed, r), { scope: this.scope, value: { ...r } });
  }

  putEpss(record: EpssRecord): void {
    this.epssRows.set(record.cve, { scope: this.scope, value: { ...record } });
  }

  putKev(record: KevRecord): void {
    this.kevRows.set(record.cve, { scope: this.scope, value: { ...record } });
  }

  putThreatHash(record: ThreatHashRecord): void {
    if (this.scope === undefined)
      throw new Error('putThreatHash before snapshot: a deny-list entry needs its list');
    this.threatRows.set(`${record.sha256}\u0000${this.scope}`, { scope: this.scope, value: { ...record } });
  }

  /** Ends one import: the next one starts without a scope unless it declares one. */
  endImport(): void {
    this.scope = undefined;
    this.written = new Set();
  }

  affected(ecosystem: string, name: string): readonly AffectedEntry[] {
    const out: AffectedEntry[] = [];
    for (const { value: adv } of this.advisories.values())
      for (const a of adv.affected)
        if (a.ecosystem === ecosystem && a.package === normalizePackageName(ecosystem, name))
          out.push({ ...a, feed: adv.feed, advisoryId: adv.id });
    return out;
  }

  advisory(feed: string, id: string): AdvisoryInfo | undefined {
    const found = this.advisories.get(`${feed}\u0000${id}`)?.value;
    if (!found) return undefined;
    const { affected: _affected, ...info } = found;
    return info;
  }

  advisoriesFor(id: string): readonly AdvisoryInfo[] {
    const out: AdvisoryInfo[] = [];
    for (const { value } of this.advisories.values())
      if (value.id === id || value.aliases.includes(id)) {
        const { affected: _affected, ...info } = value;
        out.push(info);
      }
    return out;
  }

  cvss(ids: readonly string[]): readonly CvssRecord[] {
    const wanted = new Set(ids);
    const out: CvssRecord[] = [];
    for (const { value } of this.scores.values()) if (wanted.has(value.vulnId)) out.push(value);
    for (const { value } of this.advisories.values())
      for (const c of value.cvss) if (wanted.has(c.vulnId)) out.push(c);
    return out;
  }

  epss(cve: string): EpssRecord | undefined {
    return this.epssRows.get(cve)?.value;
  }

  kev(cve: string): KevRecord | undefined {
    return this.kevRows.get(cve)?.value;
  }

  ecosystems(): readonly string[] {
    const set = new Set<string>();
    for (const { value } of this.advisories.values()) for (const a of value.affected) set.add(a.ecosystem);
    return [...set].sort();
  }

  threatHashes(): DenyList {
    const out = new Map<string, DenyListEntry>();
    const rows = [...this.threatRows.values()].sort(
      (a, b) => compare(a.value.sha256, b.value.sha256) || compare(a.scope ?? '', b.scope ?? ''),
    );
    for (const { scope, value } of rows) {
      const earlier = out.get(value.sha256);
      if (earlier === undefined || (earlier.name === undefined && value.name !== undefined))
        out.set(
          value.sha256,
          value.name === undefined ? { source: `db:${scope}` } : { name: value.name, source: `db:${scope}` },
        );
    }
    return out;
  }

  threatHash(sha256: string): DenyListEntry | undefined {
    return this.threatHashes().get(sha256.toLowerCase());
  }

  threatHashCount(): number {
    return this.threatHashes().size;
  }

  info(): DbInfo {
    return { schemaVersion: DB_SCHEMA_VERSION, sources: [...this.sources] };
  }
}

/** Code-unit order, as SQLite's BINARY collation compares ASCII keys. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
