/**
 * cargo-auditable's dependency list (https://github.com/rust-secure-code/cargo-auditable, format:
 * cargo-auditable.schema.json in that repository): zlib-compressed JSON in the `.dep-v0` ELF
 * section, `{format?, packages: [{name, version, source, kind?, dependencies?, root?}]}`.
 * `source` serializes as "crates.io", "git", "local", "registry" (or `{Other: "…"}`); `kind` is
 * "build" or "runtime" (absent = runtime). Pure, bounded: the inflated size is capped and every
 * package entry is checked on its own, so one bad entry costs that entry only.
 */
import { inflateSync } from 'node:zlib';
import { z } from 'zod';

/** The largest dependency trees are a few hundred KiB of JSON; more is a bomb or garbage. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
export const MAX_PACKAGES = 50_000;

export interface AuditableCrate {
  name: string;
  version: string;
  source: string;
  kind: 'build' | 'runtime';
  root: boolean;
  /** Index in the `packages` array. */
  index: number;
}

export interface ParsedAuditable {
  crates: AuditableCrate[];
  problems: Array<{ code: 'corrupt-database' | 'malformed-record' | 'too-many-records'; message: string }>;
}

const DocumentSchema = z.object({ packages: z.array(z.unknown()) });
const SourceSchema = z.union([z.string(), z.object({ Other: z.string() }).transform((o) => o.Other)]);
const CrateSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  source: SourceSchema,
  kind: z.enum(['build', 'runtime']).optional(),
  root: z.boolean().optional(),
});

export function parseAuditable(compressed: Buffer): ParsedAuditable {
  const out: ParsedAuditable = { crates: [], problems: [] };
  let json: Buffer;
  try {
    json = inflateSync(compressed, { maxOutputLength: MAX_JSON_BYTES });
  } catch (err) {
    const reason = err instanceof RangeError ? `inflates beyond ${MAX_JSON_BYTES} bytes` : 'not zlib data';
    out.problems.push({ code: 'corrupt-database', message: `.dep-v0: ${reason}` });
    return out;
  }
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    out.problems.push({ code: 'corrupt-database', message: '.dep-v0: not JSON' });
    return out;
  }
  const doc = DocumentSchema.safeParse(value);
  if (!doc.success) {
    out.problems.push({ code: 'corrupt-database', message: '.dep-v0: no `packages` array' });
    return out;
  }
  const entries = doc.data.packages;
  if (entries.length > MAX_PACKAGES) {
    out.problems.push({
      code: 'too-many-records',
      message: `.dep-v0: ${entries.length} packages; the first ${MAX_PACKAGES} read`,
    });
  }
  entries.slice(0, MAX_PACKAGES).forEach((entry, index) => {
    const crate = CrateSchema.safeParse(entry);
    if (!crate.success) {
      out.problems.push({
        code: 'malformed-record',
        message: `.dep-v0 package ${index}: not {name, version, source}`,
      });
      return;
    }
    const { name, version, source, kind, root } = crate.data;
    out.crates.push({ name, version, source, kind: kind ?? 'runtime', root: root ?? false, index });
  });
  return out;
}
