/**
 * One CVE record in the CVE JSON 5 format (https://cveproject.github.io/cve-schema/schema/docs/,
 * schema https://github.com/CVEProject/cve-schema/blob/main/schema/CVE_Record_Format.json) → a
 * `cve5` advisory (description, dates, references, CWE ids) and the scores of its CNA container
 * and ADP containers (CISA's vulnrichment is one ADP). Pure: no I/O; problems come back as messages for the caller to locate.
 */
import { z } from 'zod';
import type { AdvisoryRecord, CvssRecord, CvssSource, Reference } from '../../types.js';
import {
  CVE_ID,
  checkScore,
  describeZodIssues,
  englishText,
  normalizeTimestamp,
  summaryOf,
} from '../common/cve-common.js';
import type { ParsedCve } from '../nvd/parse.js';
import { cwesOf } from './problem-types.js';

/** The CVSS members of a `metrics[]` entry; `other` (SSVC, KEV) and `format`/`scenarios` are not scores. */
const CVSS_KEYS = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0'] as const;
/** A CVE Program bookkeeping tag ("copied from the CNA"), not a kind of reference. */
const BOOKKEEPING_TAG = 'x_transferred';

const langString = z.object({ lang: z.string(), value: z.string() });
const cvss = z.object({ vectorString: z.string(), baseScore: z.number().optional() });
const reference = z.object({ url: z.string().min(1), tags: z.array(z.string()).optional() });
const container = z.object({
  providerMetadata: z.object({ orgId: z.string().optional(), shortName: z.string().optional() }).optional(),
  descriptions: z.array(langString).optional(),
  // A rejected record's CNA container (cnaRejectedContainer) gives reasons instead of descriptions.
  rejectedReasons: z.array(langString).optional(),
  references: z.array(z.unknown()).optional(),
  metrics: z.array(z.unknown()).optional(),
  problemTypes: z.array(z.unknown()).optional(),
});
type Container = z.infer<typeof container>;
interface Located {
  where: string;
  container: Container;
}
const cveRecord = z.object({
  dataType: z.literal('CVE_RECORD'),
  dataVersion: z.string().regex(/^5\.\d+(\.\d+)?$/, 'not a 5.x version'),
  cveMetadata: z.object({
    cveId: z.string().regex(CVE_ID, 'not a CVE id'),
    state: z.enum(['PUBLISHED', 'REJECTED']),
    datePublished: z.string().optional(),
    dateUpdated: z.string().optional(),
    dateRejected: z.string().optional(),
  }),
  containers: z.object({ cna: container, adp: z.array(z.unknown()).optional() }),
});

export function parseCveRecord(raw: unknown): ParsedCve {
  const id = idOf(raw);
  const parsed = cveRecord.safeParse(raw);
  if (!parsed.success) return { id, scores: [], problems: [describeZodIssues(parsed.error.issues)] };
  const { cveMetadata: meta, containers } = parsed.data;
  const problems: string[] = [];
  const rejected = meta.state === 'REJECTED';
  const adps = adpContainers(containers.adp ?? [], problems);
  const details = englishText(
    (rejected ? containers.cna.rejectedReasons : containers.cna.descriptions) ?? [],
  );
  const published = normalizeTimestamp(meta.datePublished);
  // Every record in the snapshot has dateUpdated; a record never updated would state only
  // datePublished. dateReserved is not used: an id is reserved long before anything is public.
  const modified = normalizeTimestamp(meta.dateUpdated) ?? published;
  const located = [{ where: 'containers.cna', container: containers.cna }, ...adps];
  // Rejecting a record voids its CNA and ADP data: no weakness either.
  const cwes = rejected ? [] : cwesOf(located, problems);
  const advisory: AdvisoryRecord = {
    feed: 'cve5',
    id: meta.cveId,
    aliases: [],
    ...(details ? { summary: summaryOf(details), details } : {}),
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
    ...(rejected ? { withdrawn: normalizeTimestamp(meta.dateRejected) ?? modified } : {}),
    references: referencesOf(located, problems),
    ...(cwes.length > 0 ? { cwes } : {}),
    cvss: [],
    affected: [],
  };
  // Rejecting a record removes its CNA and ADP data; no score of a void CVE may grade an image.
  const scores = rejected
    ? []
    : [
        ...scoresOf(meta.cveId, 'cna', { where: 'containers.cna', container: containers.cna }, problems),
        ...adps.flatMap((adp) => scoresOf(meta.cveId, 'adp', adp, problems)),
      ];
  return { id, advisory, scores, problems };
}

function idOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('cveMetadata' in raw)) return undefined;
  const meta = raw.cveMetadata;
  if (typeof meta !== 'object' || meta === null || !('cveId' in meta)) return undefined;
  return typeof meta.cveId === 'string' ? meta.cveId.slice(0, 64) : undefined;
}

/** The usable ADP containers, each with its path in the record (`containers.adp[1]`) for messages. */
function adpContainers(list: readonly unknown[], problems: string[]): Located[] {
  const out: Located[] = [];
  list.forEach((item, i) => {
    const adp = container.safeParse(item);
    if (adp.success) out.push({ where: `containers.adp[${i}]`, container: adp.data });
    else problems.push(`containers.adp[${i}] dropped: ${describeZodIssues(adp.error.issues)}`);
  });
  return out;
}

/** The CNA's references, then those an ADP adds; each URL once. */
function referencesOf(from: readonly Located[], problems: string[]): Reference[] {
  const out: Reference[] = [];
  const seen = new Set<string>();
  for (const { where, container: c } of from)
    for (const [i, item] of (c.references ?? []).entries()) {
      const ref = reference.safeParse(item);
      if (!ref.success) {
        problems.push(`${where}.references[${i}] dropped: ${describeZodIssues(ref.error.issues)}`);
        continue;
      }
      if (seen.has(ref.data.url)) continue;
      seen.add(ref.data.url);
      const type = ref.data.tags?.filter((t) => t && t !== BOOKKEEPING_TAG).join(', ');
      out.push(type ? { type, url: ref.data.url } : { url: ref.data.url });
    }
  return out;
}

function scoresOf(vulnId: string, source: CvssSource, at: Located, problems: string[]): CvssRecord[] {
  const { where, container: c } = at;
  const out: CvssRecord[] = [];
  const sourceName = c.providerMetadata?.shortName ?? c.providerMetadata?.orgId;
  (c.metrics ?? []).forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`${where}.metrics[${i}] is not an object`);
      return;
    }
    for (const key of CVSS_KEYS) {
      if (!(key in entry)) continue;
      const value = cvss.safeParse((entry as Record<string, unknown>)[key]);
      if (!value.success) {
        problems.push(`${where}.metrics[${i}].${key} dropped: ${describeZodIssues(value.error.issues)}`);
        continue;
      }
      const checked = checkScore({
        vulnId,
        source,
        sourceName,
        vector: value.data.vectorString,
        stated: value.data.baseScore,
      });
      if (checked.problem) problems.push(`${where}.metrics[${i}].${key}: ${checked.problem}`);
      if (checked.record) out.push(checked.record);
    }
  });
  return out;
}
