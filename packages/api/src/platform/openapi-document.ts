import { type DataAccess, declaredAggregates } from '@aftersales/data';
import { notFoundCode, withDefaultsRequired } from '@aftersales/domain';
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { API_VERSION, createApp, type OpenApiSource } from '../app.ts';
import { ALL_ROUTES } from '../route-groups/all.ts';
import type { RouteGroup } from '../route-groups/group.ts';
import { unavailableAccounts } from './identity-admin.ts';
import { MFA_EXEMPT_OPERATIONS } from './mfa.ts';
import { type ErrorCode, errorCatalogue, Problem } from './problem.ts';
import { isZodSchema, type RouteSpec } from './route.ts';
import { oauth2Scheme } from './token-endpoint.ts';

/**
 * /openapi.json, generated from the operations' declarations (`ApiRoutes.documented`). Only build tools
 * (infra/lib/bundling.ts writes it next to the API's bundle), the local server and tests import this
 * module: the generator and zod's JSON Schema code stay out of the Lambda.
 */

/** The parts of /openapi.json that are not derived from the routes. */
const OPENAPI_OBJECT: Parameters<OpenApiGeneratorV31['generateDocument']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Aftersales Cloud API',
    version: API_VERSION,
    description: [
      'The service department of a car dealer (4S店): customers, vehicles and, on the roadmap, the whole service workflow, warranty claims and customer care.',
      'Errors are `application/problem+json` with a stable `code`; each operation lists the codes it can return as an enum on its problem responses.',
      'Vendor extensions: `x-permission` on each operation is the permission it needs in the store (or dealer group) of the path (`signed-in`: every signed-in caller; `public`: anyone, no token — the public booking page under `/public/v1`); without it the answer is 403 `FORBIDDEN`, whatever the body. `x-exactly-one-of` and `x-at-most-one-of` name query parameters that exclude each other.',
    ].join('\n\n'),
    license: { name: 'Proprietary', identifier: 'LicenseRef-Aftersales-Cloud-Proprietary' },
  },
  servers: [
    { url: '/', description: 'The origin this document is served from (the deployed API, or a local one).' },
    { url: 'http://localhost:3000', description: 'Local: `npm start`.' },
  ],
  tags: [
    { name: 'Session', description: 'The signed-in user and the stores they can open.' },
    {
      name: 'Public booking',
      description:
        'A store’s public booking page (在线预约): no sign-in, free slots only, a proof of work per request, limited per client address.',
    },
    { name: 'Customers', description: 'Customer records (客户档案): look-ups, edits, history.' },
    {
      name: 'Vehicles',
      description: 'Vehicle records (车辆档案): look-ups, owners and drivers, odometer, history.',
    },
    { name: 'Imports', description: 'CSV import of customers and vehicles from a store’s old system.' },
    {
      name: 'Set-up',
      description:
        'Store set-up (门店设置): hours, bays, rates and tax, service intervals, papers; the labour-operation catalogue (工时目录) and walk-around checklist templates (预检表).',
    },
    { name: 'HQ', description: 'Dealer-group headquarters (集团总部): figures per store of the group.' },
    {
      name: 'Repair orders',
      description:
        'Repair orders (维修工单), from reception (接车) to delivery; so far reception, diagnosis and cancellation.',
    },
  ],
  security: [{ bearerAuth: [] }, { oauth2: [] }],
};

/**
 * A record named in the path may not exist (or not be the caller's to see). Read when the document is
 * made, not when this module loads: a capability's declarations load with its routes, in any order.
 */
function pathNotFound(): Record<string, ErrorCode> {
  return {
    // Each declared aggregate's id parameter (`vehicleId` → `VEHICLE_NOT_FOUND`)…
    ...Object.fromEntries(declaredAggregates().map((d) => [d.idParam, notFoundCode(d.label) as ErrorCode])),
    storeId: 'STORE_NOT_FOUND',
    groupId: 'GROUP_NOT_FOUND',
    oemId: 'OEM_NOT_FOUND',
  };
}

/** Codes that come with a query parameter or request header the operation declares. */
const PARAMETER_ERRORS: Record<string, readonly ErrorCode[]> = {
  cursor: ['INVALID_CURSOR'],
  'if-match': ['PRECONDITION_REQUIRED', 'INVALID_IF_MATCH', 'VERSION_CONFLICT'],
  'idempotency-key': ['INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED'],
};

/** The fields of an object schema (structurally: the domain's zod may be another instance). */
function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

/** The schema of a JSON request body (route.ts allows no other). */
function jsonSchemaOf(body: NonNullable<RouteSpec['request']>['body']): unknown {
  const media = body?.content['application/json'];
  return media && 'schema' in media ? media.schema : undefined;
}

/** Every code an operation can answer with, from its declaration. */
function errorCodesOf(spec: RouteSpec): ErrorCode[] {
  const { params, query, headers, body } = spec.request ?? {};
  const open = spec.permission === 'public';
  const codes: ErrorCode[] = ['RATE_LIMITED', 'INTERNAL', 'READ_INCOMPLETE', ...(spec.errors ?? [])];
  // A public operation has no caller to authenticate, nor roles to refuse.
  if (!open) codes.push('UNAUTHENTICATED', 'SESSION_REVOKED', 'NOT_PROVISIONED', 'ACCOUNT_DISABLED');
  if (!open && spec.permission !== 'signed-in') codes.push('FORBIDDEN');
  if (!open && !MFA_EXEMPT_OPERATIONS.has(spec.operationId)) codes.push('MFA_ENROLMENT_REQUIRED');
  for (const key of keysOf(params)) {
    const notFound = pathNotFound()[key];
    if (notFound) codes.push(notFound);
  }
  // A page cursor is a cursor, in the query or in a search's body.
  for (const key of [...keysOf(query), ...keysOf(headers), ...keysOf(jsonSchemaOf(body))])
    codes.push(...(PARAMETER_ERRORS[key] ?? []));
  if (query || headers || body) codes.push('VALIDATION_FAILED');
  if (body) codes.push('MALFORMED_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE');
  // Every write is a conditional transaction: a concurrent one on the same records can cancel it.
  if (spec.method !== 'get' && !spec.readOnly) codes.push('CONCURRENT_UPDATE', 'CONDITION_FAILED');
  return codes;
}

/**
 * `Problem` as a named component: zod-to-openapi documents an `.extend()` of a schema named with its own
 * `.openapi()` as `allOf` of a reference to it and the fields that differ (`.meta({ id })` cannot say
 * this). zod gives a schema the methods of its prototype when it is made, so the one named here is a
 * clone made after `extendZodWithOpenApi`: `Problem` itself was made before, without `.openapi()`.
 */
extendZodWithOpenApi(z);
const NamedProblem = Problem.clone().openapi('Problem');

/** One problem schema per set of codes: most operations share a few sets. */
const problemSchemas = new Map<string, ReturnType<typeof problemSchema>>();
const problemSchema = (codes: [ErrorCode, ...ErrorCode[]]) => NamedProblem.extend({ code: z.enum(codes) });

/** What a 429 carries beside its problem body. */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds until the limit lets requests through again.',
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

/**
 * The documented problem responses for a set of codes: one response per status, whose schema is
 * `Problem` with `code` narrowed to an enum of exactly those codes, so a generated client can switch on it.
 */
function problemResponses(codes: Iterable<ErrorCode>) {
  const byStatus = new Map<number, ErrorCode[]>();
  const catalogue = errorCatalogue();
  const entry = (code: ErrorCode) => {
    const known = catalogue[code];
    if (!known)
      throw new Error(`Error code ${code} is in no catalogue (problem.ts, or a declared aggregate)`);
    return known;
  };
  for (const code of new Set(codes)) {
    const { status } = entry(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => {
        const sorted = [...list].sort() as [ErrorCode, ...ErrorCode[]];
        const key = sorted.join(' ');
        const schema = problemSchemas.get(key) ?? problemSchema(sorted);
        problemSchemas.set(key, schema);
        return [
          String(status),
          {
            description: sorted.map((code) => `\`${code}\`: ${entry(code).when}`).join('\n\n'),
            ...(status === 429 ? { headers: RETRY_AFTER } : {}),
            content: { 'application/problem+json': { schema } },
          },
        ];
      }),
  );
}

/**
 * An operation's answers as the document states them: a field with a default in the schema is always
 * present in what the server sends, so it is required there (a generated client need not check for it).
 */
function answersOf(responses: RouteSpec['responses']): RouteSpec['responses'] {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      if (!('content' in response) || !response.content) return [status, response];
      const content = Object.fromEntries(
        Object.entries(response.content).map(([type, media]) => [
          type,
          media && 'schema' in media && isZodSchema(media.schema)
            ? { ...media, schema: withDefaultsRequired(media.schema) }
            : media,
        ]),
      );
      return [status, { ...response, content }];
    }),
  );
}

/** The OpenAPI 3.1 document of these operations. */
export function openApiDocument(routes: readonly RouteSpec[]) {
  const registry = new OpenAPIRegistry();
  for (const spec of routes) {
    const { permission, errors: _ownErrors, readOnly: _readOnly, ...config } = spec;
    registry.registerPath({
      ...config,
      'x-permission': permission,
      // The document's default is a bearer token; a public operation asks for none.
      ...(permission === 'public' ? { security: [] } : {}),
      responses: { ...answersOf(config.responses), ...problemResponses(errorCodesOf(spec)) },
    });
  }
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito access token (locally: from the development identity provider, see `oauth2`).',
  });
  registry.registerComponent('securitySchemes', 'oauth2', oauth2Scheme());
  return new OpenApiGeneratorV31(registry.definitions).generateDocument(OPENAPI_OBJECT);
}

/** The document as served, generated in-process (the local server, tests). */
export const generatedOpenApi: OpenApiSource = (routes) => JSON.stringify(openApiDocument(routes));

/** What the handlers would use: building the app to read its declarations never calls them. */
const NOT_SERVING = new Proxy({} as DataAccess, {
  get(_target, key) {
    throw new Error(`The app is built only to read its operations (${String(key)})`);
  },
});

/** The operations an app of these route groups serves, read without serving it. */
export function documentedRoutes(routes: readonly RouteGroup[] = ALL_ROUTES): readonly RouteSpec[] {
  const app = createApp({
    routes,
    data: NOT_SERVING,
    verifyToken: () => Promise.reject(new Error('The app is built only to read its operations')),
    identity: unavailableAccounts('The app is built only to read its operations'),
    openapi: generatedOpenApi,
  });
  return app.documented;
}

/** The app's document, without serving it: what the API function's bundle carries as openapi.json. */
export function appOpenApiJson(): string {
  return JSON.stringify(openApiDocument(documentedRoutes()));
}
