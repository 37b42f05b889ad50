/**
 * One `vulnerabilities[].cve` object of an NVD CVE API 2.0 response
 * (https://nvd.nist.gov/developers/vulnerabilities, schema
 * https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema) → an advisory and its
 * scores. Pure: no I/O; problems come back as messages for the caller to locate.
 */
import { z } from 'zod';
import type { AdvisoryRecord, CvssRecord, Reference } from '../../types.js';
import {
  CVE_ID,
  checkScore,
  describeZodIssues,
  englishText,
  normalizeTimestamp,
  summaryOf,
} from '../common/cve-common.js';

/** The metric lists that carry CVSS (others, such as `ssvcV203`, are not scores and are ignored). */
const METRIC_KEYS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;
const NVD_SOURCE = 'nvd@nist.gov';

const langString = z.object({ lang: z.string(), value: z.string() });
const reference = z.object({ url: z.string().min(1), tags: z.array(z.string()).optional() });
const metric = z.object({
  source: z.string().optional(),
  type: z.string().optional(),
  cvssData: z.object({ vectorString: z.string(), baseScore: z.number().optional() }),
});
const nvdCve = z.object({
  id: z.string().regex(CVE_ID, 'not a CVE id'),
  published: z.string(),
  lastModified: z.string(),
  vulnStatus: z.string().optional(),
  descriptions: z.array(langString),
  references: z.array(z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
type NvdCve = z.infer<typeof nvdCve>;

export interface ParsedCve {
  /** The CVE id when it could be read, even if the record was rejected. */
  id?: string;
  advisory?: AdvisoryRecord;
  scores: CvssRecord[];
  /** Record-level problems: with no advisory the record was skipped, else only a part of it. */
  problems: string[];
}

export function parseNvdCve(raw: unknown): ParsedCve {
  const id = idOf(raw);
  const parsed = nvdCve.safeParse(raw);
  if (!parsed.success) return { id, scores: [], problems: [describeZodIssues(parsed.error.issues)] };
  const cve = parsed.data;
  const problems: string[] = [];
  const published = normalizeTimestamp(cve.published);
  const modified = normalizeTimestamp(cve.lastModified);
  if (!published || !modified) return { id, scores: [], problems: ['published/lastModified is not a date'] };
  const details = englishText(cve.descriptions);
  const rejected = cve.vulnStatus === 'Rejected';
  const advisory: AdvisoryRecord = {
    feed: 'nvd',
    id: cve.id,
    aliases: [],
    ...(details ? { summary: summaryOf(details), details } : {}),
    published,
    modified,
    // A rejected CVE stays (users look it up) but is marked withdrawn as of its last change.
    ...(rejected ? { withdrawn: modified } : {}),
    references: referencesOf(cve.references ?? [], problems),
    cvss: [],
    affected: [],
  };
  // NVD keeps no scores on rejected CVEs; any left over would grade images on a void CVE.
  const scores = rejected ? [] : scoresOf(cve, problems);
  return { id, advisory, scores, problems };
}

function idOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return undefined;
  return typeof raw.id === 'string' ? raw.id.slice(0, 64) : undefined;
}

/** NVD tags a reference with several labels (`Patch`, `Third Party Advisory`); they are kept as one. */
function referencesOf(list: readonly unknown[], problems: string[]): Reference[] {
  const out: Reference[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const ref = reference.safeParse(item);
    if (!ref.success) {
      problems.push(`references[${i}] dropped: ${describeZodIssues(ref.error.issues)}`);
      return;
    }
    if (seen.has(ref.data.url)) return;
    seen.add(ref.data.url);
    const type = ref.data.tags?.filter(Boolean).join(', ');
    out.push(type ? { type, url: ref.data.url } : { url: ref.data.url });
  });
  return out;
}

function scoresOf(cve: NvdCve, problems: string[]): CvssRecord[] {
  const out: CvssRecord[] = [];
  for (const key of METRIC_KEYS) {
    const list = cve.metrics?.[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`metrics.${key} is not a list`);
      continue;
    }
    list.forEach((item, i) => {
      const entry = metric.safeParse(item);
      if (!entry.success) {
        problems.push(`metrics.${key}[${i}] dropped: ${describeZodIssues(entry.error.issues)}`);
        return;
      }
      const checked = checkScore({
        vulnId: cve.id,
        source: sourceOf(entry.data),
        sourceName: entry.data.source,
        vector: entry.data.cvssData.vectorString,
        stated: entry.data.cvssData.baseScore,
      });
      if (checked.problem) problems.push(`metrics.${key}[${i}]: ${checked.problem}`);
      if (checked.record) out.push(checked.record);
    });
  }
  return out;
}

/**
 * `Primary` is NVD's own assessment, `Secondary` a CNA's. Older records mark a CNA's score
 * `Primary` when NVD added none (CVE-2022-34668: `psirt@nvidia.com`, Primary), so only NVD's own
 * source counts as `nvd`: anything else is the CNA's, whatever its type.
 */
function sourceOf(entry: z.infer<typeof metric>): 'nvd' | 'cna' {
  return entry.type === 'Primary' && entry.source === NVD_SOURCE ? 'nvd' : 'cna';
}
