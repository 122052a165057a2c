import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { zValidator } from '@hono/zod-validator';
import type { Env, MiddlewareHandler, Schema } from 'hono';
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

/** `application/json`, or a `+json` type such as `application/merge-patch+json`, with any parameters. */
function isJsonContentType(contentType: string): boolean {
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.-]+\+json$/.test(essence);
}

/** A zod schema, recognised structurally: the domain's zod could be another instance than ours. */
export function isZodSchema(x: unknown): x is ZodType {
  return typeof x === 'object' && x !== null && '_zod' in x;
}

/**
 * The validators of an operation: query, path, headers, then the body. Every body the API takes is
 * JSON: one that says it is something else, or one sent without a `Content-Type`, is a 415 before it is
 * validated; a required body that is missing fails validation (400); an optional one is validated only
 * when it is sent as JSON.
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
  const schemas = Object.entries(content).map(([mediaType, media]) => {
    const schema = media && 'schema' in media ? media.schema : undefined;
    if (!isJsonContentType(mediaType) || !isZodSchema(schema))
      throw new Error(`${spec.path}: request bodies are JSON with a zod schema, not ${mediaType}`);
    return schema;
  });
  validators.push(async (c, next) => {
    const contentType = c.req.header('content-type');
    const refused = contentType
      ? !isJsonContentType(contentType)
      : (await c.req.arrayBuffer()).byteLength > 0; // read once; the validator reuses Hono's cached body
    if (refused) throw new HTTPException(415, { message: 'Unsupported Media Type' });
    await next();
  });
  for (const schema of schemas) {
    const validator = zValidator('json', schema, validationHook);
    if (body.required) validators.push(validator);
    else
      validators.push(async (c, next) => {
        const contentType = c.req.header('content-type');
        if (contentType && isJsonContentType(contentType)) return validator(c, next);
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
 * A Hono app of documented operations, in the place of @hono/zod-openapi's `OpenAPIHono` (whose
 * handler types it borrows): `openapi(spec, handler)` registers the handler behind the permission check and the validators
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
