/**
 * The OSV record shape (https://ossf.github.io/osv-schema/), leniently: unknown fields are
 * ignored (the schema grows: `upstream` came in 1.6, the `Ubuntu` severity type in 1.7), but the
 * fields Assay stores must have their documented types, or the record is reported and skipped.
 * Nullable where real feeds write `null` (GHSA's `database_specific.nvd_published_at`).
 */
import { z } from 'zod';

const optionalString = z.string().nullish();
const stringList = z.array(z.string()).nullish();

/** https://ossf.github.io/osv-schema/#affectedrangesevents-fields: exactly one key per event. */
const event = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

const range = z.object({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(event),
});

/** `ecosystem_specific` / `database_specific`: free-form objects the importer only peeks into. */
const freeForm = z.record(z.string(), z.unknown()).nullish();

/** https://ossf.github.io/osv-schema/#severity-field */
const severity = z.object({ type: z.string(), score: z.string() });

const affected = z.object({
  package: z.object({
    ecosystem: z.string(),
    name: z.string(),
    purl: optionalString,
  }),
  ranges: z.array(range).nullish(),
  versions: stringList,
  /** Per-package vectors (schema 1.5+), for records whose severity differs by package. */
  severity: z.array(severity).nullish(),
  ecosystem_specific: freeForm,
  database_specific: freeForm,
});

export const osvRecordSchema = z.object({
  schema_version: optionalString,
  id: z.string().min(1),
  modified: z.string(),
  published: optionalString,
  withdrawn: optionalString,
  aliases: stringList,
  upstream: stringList,
  related: stringList,
  summary: optionalString,
  details: optionalString,
  severity: z.array(severity).nullish(),
  affected: z.array(affected).nullish(),
  references: z.array(z.object({ type: z.string().optional(), url: z.string() })).nullish(),
  database_specific: freeForm,
});

export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = z.infer<typeof affected>;
export type OsvRangeInput = z.infer<typeof range>;

/** The first problem zod found, as `path: message` (one line for an issue report). */
export function firstProblem(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid record';
  const path = first.path.length > 0 ? first.path.join('.') : 'record';
  return `${path}: ${first.message}`;
}
