/**
 * The CWE ids of a CVE record's `problemTypes` (CVE JSON 5 schema, `problemTypes[].descriptions[]`
 * with `lang`, `description`, optional `cweId` and `type`:
 * https://github.com/CVEProject/cve-schema/blob/main/schema/CVE_Record_Format.json). CNAs fill
 * them unevenly; on the vulnrichment snapshot of 2024-10-24:
 *
 * - `cweId` set, `type` "CWE" — the schema's way; also with `type` "cwe", "cvw" (Splunk) or none
 *   (≈560 descriptions): `cweId` alone decides;
 * - `type` "CWE" without `cweId`, the id only in the text ("cwe-125 Out-of-bounds Read", 746);
 * - no `type` and no `cweId`, the id in the text ("CWE-290 Authentication Bypass…",
 *   "Permissive Regular Expression (CWE-625)", 2,212);
 * - `type` "text" or "Impact" ("n/a", "Remote Code Execution"): no CWE, even if one were named.
 */
import { z } from 'zod';
import { describeZodIssues } from '../common/cve-common.js';

/** The schema's `cweId` pattern. */
const CWE_ID = /^CWE-[1-9][0-9]*$/;
const CWE_IN_TEXT = /\bCWE-0*([1-9][0-9]*)\b/gi;

const description = z.object({
  description: z.string().optional(),
  cweId: z.string().optional(),
  type: z.string().optional(),
});
const problemType = z.object({ descriptions: z.array(z.unknown()) });

/** A container and where it sits in the record, for messages (`containers.adp[0]`). */
export interface ProblemTypesAt {
  where: string;
  container: { problemTypes?: readonly unknown[] };
}

/**
 * The CWE ids the containers name, in order (the CNA's first), each once. An entry of the wrong
 * shape or a `cweId` that is not a CWE id is reported and skipped; the others are kept.
 */
export function cwesOf(containers: readonly ProblemTypesAt[], problems: string[]): string[] {
  const out = new Set<string>();
  for (const { where, container } of containers)
    for (const [i, item] of (container.problemTypes ?? []).entries()) {
      const at = `${where}.problemTypes[${i}]`;
      const parsed = problemType.safeParse(item);
      if (!parsed.success) {
        problems.push(`${at} dropped: ${describeZodIssues(parsed.error.issues)}`);
        continue;
      }
      for (const [j, d] of parsed.data.descriptions.entries())
        for (const id of cwesOfDescription(d, `${at}.descriptions[${j}]`, problems)) out.add(id);
    }
  return [...out];
}

function cwesOfDescription(item: unknown, at: string, problems: string[]): string[] {
  const parsed = description.safeParse(item);
  if (!parsed.success) {
    problems.push(`${at} dropped: ${describeZodIssues(parsed.error.issues)}`);
    return [];
  }
  const { cweId, type, description: text } = parsed.data;
  if (cweId !== undefined) {
    const id = cweId.trim().toUpperCase();
    if (CWE_ID.test(id)) return [id];
    problems.push(`${at}.cweId ${JSON.stringify(cweId.slice(0, 40))} is not a CWE id`);
    return [];
  }
  // Free text ("text", "Impact") is not a weakness classification even when it names one.
  if (type && type.toUpperCase() !== 'CWE') return [];
  return [...(text ?? '').matchAll(CWE_IN_TEXT)].map((m) => `CWE-${m[1]}`);
}
