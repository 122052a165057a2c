import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Context, Env, MiddlewareHandler, Schema } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Hono } from 'hono/tiny';
import { mergePath } from 'hono/utils/url';
import type { ZodType } from 'zod';
import { type Access, requirePermission } from './auth.ts';
import type { AppEnv } from './env.ts';
import { expectedVersion } from './http.ts';
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
  /**
   * A POST that changes nothing: a search whose criteria are personal data, sent in the body to keep
   * them out of URLs. It takes no `Idempotency-Key` and can meet no write conflict.
   */
  readOnly?: true;
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

/** A step of an operation ahead of its handler: an answer refuses the request, `undefined` lets it on. */
type Step = (c: Context) => Response | undefined | Promise<Response | undefined>;

/** Where an operation's declared inputs are read from (Hono's validated-data targets). */
type InputTarget = 'query' | 'param' | 'header';

/** The request's values for `target`: a query parameter given once is a string, more than once a list. */
function inputOf(c: Context, target: InputTarget): Record<string, unknown> {
  if (target === 'param') return c.req.param();
  if (target === 'header') return c.req.header();
  // Built with fromEntries: a parameter named `__proto__` stays a parameter.
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
  );
}

/**
 * Validates one input with its schema, synchronously (no schema of the API is async): a failure
 * answers 400 through `validationHook`; a success is what the handler reads with `c.req.valid()`.
 */
function validated(
  target: InputTarget | 'json',
  schema: ZodType,
  value: unknown,
  c: Context,
): Response | undefined {
  const result = schema.safeParse(value);
  if (!result.success) return validationHook({ success: false, error: result.error, target }, c);
  c.req.addValidatedData(target, result.data as object);
  return undefined;
}

function inputStep(target: InputTarget, schema: ZodType): Step {
  if (target !== 'header') return (c) => validated(target, schema, inputOf(c, target), c);
  // Header names arrive lower-cased; the schema names them as the document does (`Idempotency-Key`).
  const names = new Map(Object.keys(shapeOf(schema)).map((name) => [name.toLowerCase(), name]));
  return (c) => {
    const headers = Object.entries(inputOf(c, 'header'));
    const value = Object.fromEntries(headers.map(([name, v]) => [names.get(name) ?? name, v]));
    return validated('header', schema, value, c);
  };
}

/** The fields of an object schema, also behind a `.transform()` (a pipe's input). */
function shapeOf(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null) return {};
  if ('shape' in schema && typeof schema.shape === 'object' && schema.shape !== null)
    return schema.shape as Record<string, unknown>;
  return 'in' in schema ? shapeOf(schema.in) : {};
}

/** The body of a request that says it is JSON; one that is not parseable is a 400. */
async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' });
  }
}

/**
 * The steps of an operation: its query, path and header inputs, then the body. Every body the API takes
 * is JSON: one that says it is something else, or one sent without a `Content-Type`, is a 415 before it
 * is validated; a required body that is missing fails validation (400); an optional one is validated
 * only when it is sent as JSON.
 */
function stepsOf(spec: RouteSpec): Step[] {
  const { query, params, headers, cookies, body } = spec.request ?? {};
  if (Array.isArray(headers)) throw new Error(`${spec.path}: declare request headers as one zod object`);
  if (cookies) throw new Error(`${spec.path}: the API reads no cookies`);
  const steps: Step[] = [];
  if (query) steps.push(inputStep('query', query));
  if (params) steps.push(inputStep('param', params));
  if (headers) steps.push(inputStep('header', headers));
  // A conditional write without its precondition is refused whatever its body (RFC 6585): a client
  // learns to send If-Match before it learns about the fields, and no body is read for nothing.
  if ('if-match' in shapeOf(headers))
    steps.push((c) => {
      expectedVersion(c);
      return undefined;
    });
  const content = body?.content;
  if (!content) return steps;
  const declared = Object.entries(content);
  const [mediaType, media] = declared[0] ?? [];
  const schema = media && 'schema' in media ? media.schema : undefined;
  if (declared.length !== 1 || !mediaType || !isJsonContentType(mediaType) || !isZodSchema(schema))
    throw new Error(`${spec.path}: a request body is one JSON media type with a zod schema`);
  steps.push(async (c) => {
    const contentType = c.req.header('content-type');
    const refused = contentType
      ? !isJsonContentType(contentType)
      : (await c.req.arrayBuffer()).byteLength > 0;
    if (refused) throw new HTTPException(415, { message: 'Unsupported Media Type' });
    if (contentType) return validated('json', schema, await jsonBody(c), c);
    // No Content-Type and no body: an optional body is absent, a required one fails validation.
    if (body.required) return validated('json', schema, {}, c);
    c.req.addValidatedData('json', {});
    return undefined;
  });
  return steps;
}

/** `/customers/{customerId}` (OpenAPI) → `/customers/:customerId` (Hono). */
const honoPath = (path: string) => path.replaceAll(/\/{(.+?)}/g, '/:$1');
/** `/stores/:storeId` (Hono) → `/stores/{storeId}` (OpenAPI). */
const openApiPath = (path: string) => path.replaceAll(/:([^/]+)/g, '{$1}');

/** A route's path (`/v1/stores/:storeId`) as the request paths it serves; none for a middleware's `*`. */
function requestPathPattern(path: string): RegExp | undefined {
  if (path.includes('*')) return undefined;
  const segments = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}

/**
 * A Hono app of documented operations, in the place of @hono/zod-openapi's `OpenAPIHono` (whose
 * handler types it borrows): `openapi(spec, handler)` registers the handler behind the permission check
 * and the validation of the declared input (failures answer through `validationHook`), and records the declaration, with
 * its full path once the app is mounted with `route()`. The document is made from `documented` by
 * openapi-document.ts, which the Lambda does not import: it carries no OpenAPI generator.
 */
export class ApiRoutes extends Hono<AppEnv> {
  /** The declarations of the operations this app (and every app mounted in it) serves, in order. */
  readonly documented: RouteSpec[] = [];

  openapi<const R extends RouteSpec>(spec: R, handler: RouteHandler<R, AppEnv>): this {
    this.documented.push(spec);
    const steps = stepsOf(spec);
    const handle = handler as unknown as MiddlewareHandler;
    // One handler per operation, not a middleware per check: each link of Hono's chain costs a few
    // promises, and a GET has no step that needs to wait.
    this.on(spec.method, honoPath(spec.path), async (c, next) => {
      requirePermission(c, spec.permission);
      for (const step of steps) {
        const answer = step(c);
        const refused = answer instanceof Promise ? await answer : answer;
        if (refused) return refused;
      }
      return handle(c, next);
    });
    return this;
  }

  /** Each path's methods, built on first use (every route is registered by then); `count` is `routes.length` then. */
  #methodsByPath?: { count: number; paths: { pattern: RegExp; methods: string[] }[] };

  /**
   * The methods the app serves at a request path, HEAD with GET (Hono answers HEAD with the GET
   * handler); none when no route has that path. Read from every registered route, so the plain GETs
   * outside the document (`/health`, `/openapi.json`) count as well as the operations.
   */
  allowedMethods(requestPath: string): string[] {
    if (this.#methodsByPath?.count !== this.routes.length) {
      const byPath = new Map<string, Set<string>>();
      for (const r of this.routes) {
        if (r.method === 'ALL') continue; // middleware
        const methods = byPath.get(r.path) ?? new Set<string>();
        methods.add(r.method.toUpperCase());
        if (r.method.toUpperCase() === 'GET') methods.add('HEAD');
        byPath.set(r.path, methods);
      }
      const paths = [...byPath].flatMap(([path, methods]) => {
        const pattern = requestPathPattern(path);
        return pattern ? [{ pattern, methods: [...methods] }] : [];
      });
      this.#methodsByPath = { count: this.routes.length, paths };
    }
    const allowed = new Set<string>();
    for (const { pattern, methods } of this.#methodsByPath.paths)
      if (pattern.test(requestPath)) for (const m of methods) allowed.add(m);
    return [...allowed];
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
