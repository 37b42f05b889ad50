/**
 * Exceptions (ARCHITECTURE "Settled points: Exceptions"): ONE schema for every kind, read by
 * `scan --ignore-file`, stored by the manager and exported by it in this same shape
 * (`GET /api/v1/exceptions/export` → `{exceptions: ExceptionEntry[]}`).
 */
import { z } from 'zod';

export const exceptionKinds = ['vulnerability', 'repository', 'secret', 'threat', 'config'] as const;
export const ExceptionKindSchema = z.enum(exceptionKinds);
export type ExceptionKind = z.infer<typeof ExceptionKindSchema>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// RFC 3339 date-time (https://www.rfc-editor.org/rfc/rfc3339#section-5.6), seconds optional.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True for a `YYYY-MM-DD` date or an RFC 3339 date-time that names a real instant. */
export function isExceptionDate(value: string): boolean {
  if (!DATE.test(value) && !DATE_TIME.test(value)) return false;
  const t = Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);
  // Date.parse rolls 2024-02-30 over to March; reject dates that do not round-trip.
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === value.slice(0, 10);
}

const DateString = z
  .string()
  .refine(isExceptionDate, { message: 'expected YYYY-MM-DD or an RFC 3339 date-time' });

/**
 * Where an exception applies: every image, images whose repository matches a pattern (`*` within
 * one path segment, `**` across segments), or one image by digest (manifest digest or image id).
 */
export const ExceptionScopeSchema = z.union([
  z.literal('all'),
  z.object({ repository: z.string().min(1) }).strict(),
  z.object({ image: z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/) }).strict(),
]);
export type ExceptionScope = z.infer<typeof ExceptionScopeSchema>;

export const ExceptionEntrySchema = z
  .object({
    /** The manager's id for a stored entry; absent in hand-written files. */
    id: z.string().min(1).optional(),
    kind: ExceptionKindSchema,
    /** Vulnerability id or alias, repository pattern, secret rule id + path, threat sha256, config check id. */
    target: z.string().trim().min(1),
    /** Limits a vulnerability exception to one package: a purl (its version and qualifiers optional) or a name. */
    package: z.string().trim().min(1).optional(),
    scope: ExceptionScopeSchema.optional(),
    reason: z.string().trim().min(1),
    author: z.string().optional(),
    created: DateString.optional(),
    /** From this date (00:00 UTC for a plain date) or instant on, the entry no longer applies. */
    expires: DateString.optional(),
    cancelled: z
      .object({ by: z.string().min(1), reason: z.string().min(1), at: z.string().min(1) })
      .optional(),
  })
  .strict();
export type ExceptionEntry = z.infer<typeof ExceptionEntrySchema>;

export const ExceptionDocumentSchema = z.object({ exceptions: z.array(ExceptionEntrySchema) });
export type ExceptionDocument = z.infer<typeof ExceptionDocumentSchema>;

/** The instant an `expires`/`created` value stands for (a plain date is its 00:00 UTC). */
export function exceptionInstant(value: string): number {
  return Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);
}
