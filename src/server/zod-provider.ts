// Schema-first routes with the shared zod DTOs: a Fastify type provider and the compilers that validate with zod.
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

const isZod = (schema: unknown): schema is z.ZodType =>
  typeof schema === 'object' && schema !== null && typeof (schema as { safeParse?: unknown }).safeParse === 'function';

/** Validates with the route's zod schema; the parsed (coerced, stripped) value replaces the input. */
export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => (data: unknown) => {
  if (!isZod(schema)) return { value: data };
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  const detail = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return { error: Object.assign(new Error(detail), { zodDetail: detail }) };
};
