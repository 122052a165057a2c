import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { zValidator } from '@hono/zod-validator';
import type { Context, Env, MiddlewareHandler, Schema } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Hono } from 'hono/tiny';
import { mergePath } from 'hono/utils/url';
import type { ZodType } from 'zod';
import { type Access, requirePermission } from './auth.ts';
import { type ErrorCode, validationHook } from './problem.ts';

/**
 * An operation of the API, declared once: its OpenAPI description, the permission it needs and the
 * error codes of its own (beyond those that follow from its shape). The document adds `x-permission`
 * and the problem responses (with their `code` enums) from it (openapi-document.ts), so no route
 * repeats them.
 */
export type RouteSpec = Omit<RouteConfig, 'middleware' | 'hide' | 'operationId'> & {
  /** Stable name of the operation for generated clients, e.g. `updateCustomer`. */
  operationId: string;
  /** Enforced by `requirePermission` before any input is validated; published as `x-permission`. */
  permission: Access;
  /** Codes only this operation's logic produces (uniqueness, state rules). */
  errors?: readonly ErrorCode[];
};

// The body checks below follow @hono/zod-openapi 1.6.3 (MIT), whose `OpenAPIHono.openapi` answered for
// these routes before, so that a request is refused (415) or validated exactly as it was.

/** `application/json` or a `+json` type: every request body the API validates is one. */
function isJsonMediaType(mediaType: string): boolean {
  return /^application\/([a-z-.]+\+)?json/i.test(mediaType);
}
const JSON_CONTENT_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/** Whether a request's `Content-Type` is one a declared media type admits (as @hono/zod-openapi decides). */
function matchesMediaType(contentType: string, mediaType: string): boolean {
  if (mediaType === '*/*') return true;
  if (isJsonMediaType(mediaType)) return JSON_CONTENT_TYPE.test(contentType);
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType.endsWith('/*')) return essence.startsWith(mediaType.slice(0, -1).toLowerCase());
  return essence === mediaType.toLowerCase();
}

/** A zod schema (structurally: the domain's zod may be another instance), not an OpenAPI schema object. */
function isZod(schema: unknown): schema is ZodType {
  const s = schema as Partial<
    Record<'parse' | 'safeParse' | 'parseAsync' | 'safeParseAsync', unknown>
  > | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    [s.parse, s.safeParse, s.parseAsync, s.safeParseAsync].every((f) => typeof f === 'function')
  );
}

/** Whether a request without `Content-Type` carries a body after all (read from a clone). */
async function hasRequestBody(c: Context): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * The validators of an operation, in @hono/zod-openapi's order: query, path, headers, then the body —
 * a body of an undeclared media type (or one sent without `Content-Type`) is a 415 before it is read,
 * and an optional JSON body is validated only when one is sent as JSON.
 */
function validatorsOf(spec: RouteSpec): MiddlewareHandler[] {
  const { query, params, headers, cookies, body } = spec.request ?? {};
  if (Array.isArray(headers)) throw new Error(`${spec.path}: declare request headers as one zod object`);
  const validators: MiddlewareHandler[] = [];
  if (query) validators.push(zValidator('query', query, validationHook));
  if (params) validators.push(zValidator('param', params, validationHook));
  if (headers) validators.push(zValidator('header', headers, validationHook));
  if (cookies) validators.push(zValidator('cookie', cookies, validationHook));
  const content = body?.content;
  if (!content) return validators;
  const declared = Object.keys(content);
  const json = declared.flatMap((mediaType) => {
    const media = content[mediaType];
    const schema = media && 'schema' in media ? media.schema : undefined;
    if (isJsonMediaType(mediaType) && isZod(schema)) return [schema];
    // @hono/zod-openapi also validates form bodies; this API takes none.
    if (isZod(schema))
      throw new Error(`${spec.path}: only JSON request bodies are validated, not ${mediaType}`);
    return [];
  });
  if (json.length === 0) return validators;
  validators.push(async (c, next) => {
    const contentType = c.req.header('content-type');
    const accepted = contentType
      ? declared.some((mediaType) => matchesMediaType(contentType, mediaType))
      : !(await hasRequestBody(c));
    if (!accepted) throw new HTTPException(415, { message: 'Unsupported Media Type' });
    await next();
  });
  for (const schema of json) {
    const validator = zValidator('json', schema, validationHook);
    if (body.required) validators.push(validator);
    else
      validators.push(async (c, next) => {
        const contentType = c.req.header('content-type');
        if (contentType && isJsonMediaType(contentType)) return validator(c, next);
        c.req.addValidatedData('json', {});
        await next();
      });
  }
  return validators;
}

/** `/customers/{customerId}` (OpenAPI) → `/customers/:customerId` (Hono). */
const honoPath = (path: string) => path.replaceAll(/\/{(.+?)}/g, '/:$1');
/** `/stores/:storeId` (Hono) → `/stores/{storeId}` (OpenAPI). */
const openApiPath = (path: string) => path.replaceAll(/:([^/]+)/g, '{$1}');

/**
 * A Hono app of documented operations, in the place of @hono/zod-openapi's `OpenAPIHono` (whose types it
 * borrows): `openapi(spec, handler)` registers the handler behind the permission check and the validators
 * of the declared input (failures answer through `validationHook`), and records the declaration, with
 * its full path once the app is mounted with `route()`. The document is made from `documented` by
 * openapi-document.ts, which the Lambda does not import: it carries no OpenAPI generator.
 */
export class ApiRoutes<E extends Env> extends Hono<E> {
  /** The declarations of the operations this app (and every app mounted in it) serves, in order. */
  readonly documented: RouteSpec[] = [];

  openapi<const R extends RouteSpec>(spec: R, handler: RouteHandler<R, E>): this {
    this.documented.push(spec);
    const handlers: MiddlewareHandler[] = [
      requirePermission(spec.permission) as MiddlewareHandler,
      ...validatorsOf(spec),
      handler as unknown as MiddlewareHandler,
    ];
    this.on(spec.method, honoPath(spec.path), ...(handlers as [MiddlewareHandler]));
    return this;
  }

  override route<
    SubPath extends string,
    SubEnv extends Env,
    SubSchema extends Schema,
    SubBasePath extends string,
  >(path: SubPath, app: Hono<SubEnv, SubSchema, SubBasePath>): this {
    super.route(path, app);
    if (app instanceof ApiRoutes) {
      for (const r of app.documented as RouteSpec[])
        this.documented.push({ ...r, path: mergePath(openApiPath(path), r.path) });
    }
    return this;
  }
}
