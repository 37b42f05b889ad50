/**
 * OpenVEX documents as exceptions (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md).
 * A statement whose status is `not_affected` or `fixed` says the vulnerability does not apply
 * to its products: each product (a package purl, or an image as a `pkg:oci` purl or a
 * `…@sha256:` reference, optionally narrowed to its subcomponents) becomes a `vulnerability`
 * exception. `affected` and `under_investigation` statements except nothing. Both the v0.2
 * object forms and the v0.0.x string forms of `vulnerability` and `products` are read.
 */
import { z } from 'zod';
import { AssayError } from '../model/errors.js';
import { type ExceptionEntry, type ExceptionScope, isExceptionDate } from '../model/exception.js';
import { parsePurlBase } from './purl-parts.js';

const ComponentSchema = z.union([
  z.string().min(1),
  z.object({
    '@id': z.string().optional(),
    identifiers: z.object({ purl: z.string().optional() }).optional(),
  }),
]);
const ProductSchema = z.union([
  z.string().min(1),
  z.object({
    '@id': z.string().optional(),
    identifiers: z.object({ purl: z.string().optional() }).optional(),
    subcomponents: z.array(ComponentSchema).optional(),
  }),
]);
const StatementSchema = z.object({
  vulnerability: z.union([
    z.string().min(1),
    z.object({
      '@id': z.string().optional(),
      name: z.string().optional(),
      aliases: z.array(z.string()).optional(),
    }),
  ]),
  products: z.array(ProductSchema).optional(),
  status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
  justification: z.string().optional(),
  impact_statement: z.string().optional(),
  status_notes: z.string().optional(),
  timestamp: z.string().optional(),
});
const OpenVexSchema = z.object({
  '@context': z.string(),
  '@id': z.string().optional(),
  author: z.string().optional(),
  timestamp: z.string().optional(),
  statements: z.array(StatementSchema),
});
type Statement = z.infer<typeof StatementSchema>;
type Component = z.infer<typeof ComponentSchema>;

export function isOpenVex(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || !('@context' in doc)) return false;
  const context = doc['@context'];
  return typeof context === 'string' && context.startsWith('https://openvex.dev/ns');
}

const idOf = (c: Component): string | undefined =>
  typeof c === 'string' ? c : (c.identifiers?.purl ?? c['@id']);

function targetsOf(s: Statement): string[] {
  const v = s.vulnerability;
  const ids = typeof v === 'string' ? [v] : [v.name ?? v['@id'], ...(v.aliases ?? [])];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.trim() !== ''))];
}

function reasonOf(s: Statement): string {
  const head = s.justification ? `${s.status} (${s.justification})` : s.status;
  const detail = s.impact_statement ?? s.status_notes;
  return `OpenVEX: ${detail ? `${head}: ${detail}` : head}`;
}

/** An image product: a `pkg:oci` purl (its version is the digest) or a `name@sha256:…` reference. */
function imageDigest(id: string): string | undefined {
  const purl = parsePurlBase(id);
  if (purl?.type === 'oci') return purl.version;
  return purl ? undefined : /@(sha256:[0-9a-f]{64})$/.exec(id)?.[1];
}

interface Target {
  scope?: ExceptionScope;
  package?: string;
}

function productTargets(product: z.infer<typeof ProductSchema>): Target[] | string {
  const id = idOf(product);
  if (!id) return 'a product without an @id or purl';
  const subs = typeof product === 'string' ? [] : (product.subcomponents ?? []).map(idOf);
  const packages = subs.filter((p): p is string => p?.startsWith('pkg:') === true);
  const digest = imageDigest(id);
  if (digest)
    return packages.length > 0
      ? packages.map((p) => ({ scope: { image: digest }, package: p }))
      : [{ scope: { image: digest } }];
  if (!id.startsWith('pkg:')) return `product ${JSON.stringify(id)} is neither a purl nor an image digest`;
  return packages.length > 0 ? packages.map((p) => ({ package: p })) : [{ package: id }];
}

export function openVexEntries(
  doc: unknown,
  path: string,
): { entries: ExceptionEntry[]; warnings: string[] } {
  const parsed = OpenVexSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
    throw new AssayError(
      'invalid-input',
      `ignore file ${path}: OpenVEX ${where || 'document'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const entries: ExceptionEntry[] = [];
  const warnings: string[] = [];
  parsed.data.statements.forEach((s, i) => {
    if (s.status !== 'not_affected' && s.status !== 'fixed') return;
    const stamp = (s.timestamp ?? parsed.data.timestamp ?? '').slice(0, 10);
    // Without products a statement would except the vulnerability everywhere: too broad to guess.
    if ((s.products ?? []).length === 0)
      warnings.push(`${path}: statements[${i}] names no products; not applied`);
    for (const [p, product] of (s.products ?? []).entries()) {
      const targets = productTargets(product);
      if (typeof targets === 'string') {
        warnings.push(`${path}: statements[${i}].products[${p}]: ${targets}; not applied`);
        continue;
      }
      for (const target of targetsOf(s))
        for (const t of targets)
          entries.push({
            kind: 'vulnerability',
            target,
            ...t,
            reason: reasonOf(s),
            ...(parsed.data.author ? { author: parsed.data.author } : {}),
            ...(isExceptionDate(stamp) ? { created: stamp } : {}),
          });
    }
  });
  return { entries, warnings };
}
