import { fingerprint, type IdempotencyRequest } from '@aftersales/data';
import { AppError, labelWords, TENANT_ID_MAX_LENGTH } from '@aftersales/domain';
import type { Context } from 'hono';
import * as z from 'zod';

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

/** A versioned record's answer: the record, with its version as the ETag the next edit sends in If-Match. */
export function versioned<T extends { version: number }>(c: Context, record: T): T {
  c.header('etag', etag(record.version));
  return record;
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

/** The headers of a 201: the new record's ETag and Location, and whether this replays an earlier request. */
export function setCreatedHeaders(
  c: Context,
  record: { id: string; version: number },
  created: boolean,
): void {
  c.header('etag', etag(record.version));
  c.header('location', `${c.req.path.replace(/\/$/, '')}/${record.id}`);
  if (!created) c.header('idempotent-replayed', 'true');
}

/** A tenant id in a path: bounded by length in the document; its shape is checked by the access middleware. */
export function tenantIdParam(name: string, example: string) {
  return z
    .string()
    .check(z.minLength(1), z.maxLength(TENANT_ID_MAX_LENGTH))
    .meta({ param: { name, in: 'path' }, example });
}

export const StoreParams = z.object({
  storeId: tenantIdParam('storeId', 'st_01JD00000000000000000000AA'),
});

/**
 * The path of one record of a declared aggregate: the store and the record's id parameter, named and
 * described by the declaration (`defineAggregate`'s `idParam`, whose 404 the document lists too).
 */
export function recordParams<P extends string>(declaration: { idParam: P; label: string }) {
  const { idParam, label } = declaration;
  const id = z
    .string()
    .check(z.minLength(1), z.maxLength(100))
    .meta({
      param: { name: idParam, in: 'path' },
      description: `The ${labelWords(label).join(' ').toLowerCase()}'s id.`,
    });
  return StoreParams.extend({ [idParam]: id } as { [K in P]: typeof id });
}

export const PageQuery = z.object({
  // Bounded: an oversized value is a 400 here, never a key DynamoDB refuses with a 500.
  cursor: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: 'Opaque cursor from the previous page’s `nextCursor`.' }),
  limit: z.coerce
    .number()
    .check(z.int(), z.gte(1), z.lte(100))
    .optional()
    .meta({ description: 'Page size, 1–100 (default 25).' }),
});

/** Paging of a search whose criteria travel in its body (`PageQuery` as body fields). */
export const PageFields = z.object({
  cursor: PageQuery.shape.cursor,
  limit: z
    .number()
    .check(z.int(), z.gte(1), z.lte(100))
    .optional()
    .meta({ description: 'Page size, 1–100 (default 25).' }),
});

const NextCursor = z.string().optional().meta({ description: 'Absent on the last page.' });

/** A page of `item`s, named `name` in the document, with any fields about the whole list (`extra`). */
export function pageOf<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  item: T,
  name: string,
  extra?: E,
) {
  return z.object({ items: z.array(item), nextCursor: NextCursor, ...(extra as E) }).meta({ id: name });
}

/**
 * `If-Match` is documented as required, but optional to the validator: a missing one must answer
 * 428 `PRECONDITION_REQUIRED` (from `expectedVersion`), not a 400 about a missing header.
 */
export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .meta({
      description:
        'The `ETag` of the version you edited. Missing: 428 `PRECONDITION_REQUIRED`; not an ETag: 400 `INVALID_IF_MATCH`; stale: 409 `VERSION_CONFLICT`.',
      pattern: '^(W/)?"?[0-9]+"?$',
      example: '"3"',
      param: { required: true },
    }),
});

export const IdempotencyHeader = z.object({
  'idempotency-key': z.string().optional().meta({
    description:
      'Makes a create safe to retry: the same key within 24 h returns the first result (with `Idempotent-Replayed: true`); the same key with a different body is a 422 `IDEMPOTENCY_KEY_REUSED`.',
    pattern: '^[A-Za-z0-9_-]{8,100}$',
    example: 'c0ffee00-retry-1',
  }),
});

export type ResponseHeader = 'ETag' | 'Location' | 'Idempotent-Replayed';

/** Response headers the API sets, documented once (a zod object documents as a response's headers). */
const RESPONSE_HEADERS: Record<ResponseHeader, z.ZodType> = {
  ETag: z.string().meta({
    description: 'The record’s version: send it as `If-Match` with the next edit.',
    example: '"3"',
  }),
  Location: z.string().meta({ description: 'Where the created resource is read.', format: 'uri-reference' }),
  'Idempotent-Replayed': z.enum(['true']).optional().meta({
    description: 'Sent when this is the stored result of an earlier request with the same `Idempotency-Key`.',
  }),
};

/** One schema per set of response headers, shared by the operations that send that set. */
const headerSets = new Map<string, z.ZodObject>();
function headersSchema(headers: readonly ResponseHeader[]): z.ZodObject {
  const key = headers.join();
  let schema = headerSets.get(key);
  if (!schema) {
    schema = z.object(Object.fromEntries(headers.map((h) => [h, RESPONSE_HEADERS[h]])));
    headerSets.set(key, schema);
  }
  return schema;
}

/** A documented JSON response, with the headers the handler sets. */
export function json<T extends z.ZodType>(
  schema: T,
  description: string,
  headers: readonly ResponseHeader[] = [],
) {
  return {
    description,
    content: { 'application/json': { schema } },
    ...(headers.length > 0 ? { headers: headersSchema(headers) } : {}),
  };
}

/** The headers of every create: its ETag, where to read it, and whether it was replayed. */
export const CREATED_HEADERS = [
  'ETag',
  'Location',
  'Idempotent-Replayed',
] as const satisfies ResponseHeader[];
