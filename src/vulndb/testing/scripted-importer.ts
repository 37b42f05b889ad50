/**
 * An importer that replays a script of sink calls, so tests can drive the SQLite store and
 * `MemoryDb` with exactly the same writes (and make an import fail half-way).
 */
import type { AdvisoryImporter, AdvisorySink, ImporterId, ImportStats } from '../importer.js';
import type { AdvisoryRecord, CvssRecord, EpssRecord, KevRecord } from '../types.js';

export type SinkCall =
  | { snapshot: string }
  | { advisory: AdvisoryRecord }
  | { cvss: CvssRecord[] }
  | { epss: EpssRecord }
  | { kev: KevRecord }
  | { fail: string };

export function replay(calls: readonly SinkCall[], sink: AdvisorySink): ImportStats {
  let records = 0;
  let scope: string | undefined;
  for (const c of calls) {
    if ('snapshot' in c) {
      scope = c.snapshot;
      sink.snapshot(c.snapshot);
      continue;
    } else if ('advisory' in c) sink.putAdvisory(structuredClone(c.advisory));
    else if ('cvss' in c)
      for (const id of new Set(c.cvss.map((r) => r.vulnId)))
        sink.putCvss('test', id, structuredClone(c.cvss.filter((r) => r.vulnId === id)));
    else if ('epss' in c) sink.putEpss({ ...c.epss });
    else if ('kev' in c) sink.putKev({ ...c.kev });
    else throw new Error(c.fail);
    records++;
  }
  return scope === undefined ? { records, skipped: 0 } : { records, skipped: 0, scope };
}

export function scriptedImporter(calls: readonly SinkCall[], id: ImporterId = 'osv'): AdvisoryImporter {
  return {
    id,
    version: 1,
    detect: () => false,
    import: async (_path, sink) => replay(calls, sink),
  };
}
