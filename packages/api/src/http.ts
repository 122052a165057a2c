import { fingerprint, type IdempotencyRequest } from '@aftersales/data';
import { AppError } from '@aftersales/domain';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

/** `If-Match: "3"` (or `W/"3"`) → 3. Updates without it are refused: a blind write could lose another's. */
export function expectedVersion(c: Context): number {
  const header = c.req.header('if-match');
  if (!header) {
    throw new AppError(
      428,
      'PRECONDITION_REQUIRED',
      'Send If-Match with the ETag of the version you edited.',
    );
  }
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m) throw new AppError(400, 'INVALID_IF_MATCH', 'If-Match must be the ETag you received, e.g. "3".');
  return Number(m[1]);
}

export function etag(version: number): string {
  return `"${version}"`;
}

/** The optional `Idempotency-Key` of a create, with a fingerprint of the request it guards. */
export function idempotency(c: Context, body: unknown): IdempotencyRequest | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\w-]{8,100}$/.test(key)) {
    throw new AppError(
      400,
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 8–100 letters, digits, - or _.',
    );
  }
  return { key, fingerprint: fingerprint(body) };
}

export const StoreParams = z.object({
  storeId: z
    .string()
    .openapi({ param: { name: 'storeId', in: 'path' }, example: 'st_01JD00000000000000000000AA' }),
});

export const PageQuery = z.object({
  cursor: z
    .string()
    .optional()
    .openapi({ description: 'Opaque cursor from the previous page’s `nextCursor`.' }),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}

export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ description: 'ETag of the version being edited (required).', example: '"3"' }),
});

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ description: 'Retry-safe creates: the same key within 24 h returns the first result.' }),
});

/** A documented JSON response. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
