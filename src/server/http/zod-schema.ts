/**
 * Zod as the single source of route schemas: `zodSchema(s)` gives Fastify (and through it the
 * OpenAPI document) the JSON Schema generated from `s`, and the validator compiler below validates
 * with `s` itself, so what is documented and what is enforced cannot drift apart.
 * https://fastify.dev/docs/latest/Reference/Validation-and-Serialization/#validator-compiler
 */
import type { FastifySchemaCompiler } from 'fastify';
import { type ZodError, type ZodType, z } from 'zod';

const sources = new WeakMap<object, ZodType>();

export function zodSchema(schema: ZodType): Record<string, unknown> {
  const json: Record<string, unknown> = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
  });
  sources.set(json, schema);
  return json;
}

/** "body.image.id: Invalid input: expected string, received undefined" — the field first, then why. */
export function describeZodError(part: string, error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
}

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_VALIDATION';
}

export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const source = typeof schema === 'object' && schema !== null ? sources.get(schema) : undefined;
  if (!source) throw new Error(`route ${httpPart} schema was not built with zodSchema()`);
  const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'request');
  return (data: unknown) => {
    const r = source.safeParse(data);
    return r.success
      ? { value: r.data }
      : { error: new RequestValidationError(describeZodError(part, r.error)) };
  };
};
