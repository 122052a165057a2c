import type { DataAccess } from '@aftersales/data';
import { requireEnv } from '@aftersales/runtime';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate, groupAccess, storeAccess, type TokenVerifier, tokenVerifier } from './auth.ts';
import type { AppEnv } from './env.ts';
import { onError, problemResponse, validationHook } from './problem.ts';
import { customers } from './routes/customers.ts';
import { hq } from './routes/hq.ts';
import { imports } from './routes/imports.ts';
import { me, store } from './routes/me.ts';
import { vehicles } from './routes/vehicles.ts';

export interface AppDeps {
  data: DataAccess;
  verifyToken: TokenVerifier;
}

export const API_VERSION = '0.1.0';

// Not a literal in the document below: @hono/zod-openapi types its 3.1 config with 3.0's license, which
// has no `identifier` (3.1 has it).
const LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Aftersales-Cloud-Proprietary' };

/** The parts of /openapi.json that are not derived from the routes. */
const OPENAPI_OBJECT: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Aftersales Cloud API',
    version: API_VERSION,
    description: [
      'The service department of a car dealer (4S店): customers, vehicles and, on the roadmap, the whole service workflow, warranty claims and customer care.',
      'Errors are `application/problem+json` with a stable `code`; each operation lists the codes it can return as an enum on its problem responses.',
      'Vendor extensions: `x-permission` on each operation is the permission it needs in the store (or dealer group) of the path (`signed-in`: every signed-in caller); without it the answer is 403 `FORBIDDEN`, whatever the body. `x-exactly-one-of` and `x-at-most-one-of` name query parameters that exclude each other.',
    ].join('\n\n'),
    license: LICENSE,
  },
  servers: [
    { url: '/', description: 'The origin this document is served from (the deployed API, or a local one).' },
    { url: 'http://localhost:3000', description: 'Local: `npm start`.' },
  ],
  tags: [
    { name: 'Session', description: 'The signed-in user and the stores they can open.' },
    { name: 'Customers', description: 'Customer records (客户档案): look-ups, edits, history.' },
    {
      name: 'Vehicles',
      description: 'Vehicle records (车辆档案): look-ups, owners and drivers, odometer, history.',
    },
    { name: 'Imports', description: 'CSV import of customers and vehicles from a store’s old system.' },
    { name: 'HQ', description: 'Dealer-group headquarters (集团总部): figures per store of the group.' },
  ],
  security: [{ bearerAuth: [] }, { oauth2: [] }],
};

/**
 * The HTTP API as one Hono app. The Lambda entry (functions/api/lambda.ts) and the local server
 * (packages/local) both serve this same object.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requestId(), secureHeaders());
  // Lambda takes at most 6 MB per request: files go to S3 by presigned URL, bodies here are small.
  const limitBody = bodyLimit({
    maxSize: 1024 * 1024,
    onError: (c) => problemResponse(c, 413, 'PAYLOAD_TOO_LARGE', 'Send at most 1 MiB.'),
  });
  // Only requests whose body we read: looking at the body makes the Node server build a whole fetch
  // Request, which was a third of Hono's CPU time on every GET.
  app.use('/v1/*', (c, next) => (c.req.method === 'GET' ? next() : limitBody(c, next)));
  app.use('/v1/*', authenticate(deps.verifyToken, deps.data));
  // Matches the store itself and everything below it.
  app.use('/v1/stores/:storeId/*', storeAccess(deps.data));
  app.use('/v1/groups/:groupId/*', groupAccess(deps.data));

  app.get('/health', (c) => c.json({ ok: true, version: API_VERSION }));
  app.route('/v1/me', me(deps.data));
  app.route('/v1/stores/:storeId', store);
  app.route('/v1/stores/:storeId/customers', customers);
  app.route('/v1/stores/:storeId/vehicles', vehicles);
  app.route('/v1/stores/:storeId/imports', imports(deps.data));
  app.route('/v1/groups/:groupId', hq(deps.data));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito access token (locally: from the development identity provider, see `oauth2`).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    description:
      'Where access tokens come from. Locally: the development identity provider at `/dev-idp/token` (password grant for the demo users, client credentials for OEM clients). In AWS: the Cognito domain’s `/oauth2/token` (`https://<domain>.auth.<region>.amazoncognito.com/oauth2/token`) for OEM clients (client credentials); staff sign in to Cognito from the web app. Either way, send the access token as `Authorization: Bearer <token>`.',
    flows: {
      password: { tokenUrl: '/dev-idp/token', scopes: {} },
      clientCredentials: {
        tokenUrl: '/dev-idp/token',
        scopes: { 'aftersales/claims': 'File, read and adjudicate warranty claims (OEM clients).' },
      },
    },
  });
  app.doc31('/openapi.json', OPENAPI_OBJECT);
  app.notFound((c) => problemResponse(c, 404, 'ROUTE_NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;

/** The app configured from the environment, read at cold start (fails fast when a value is missing). */
export function appFromEnv(data: DataAccess, env: NodeJS.ProcessEnv = process.env) {
  // Imports read their files from the uploads bucket (read into `data` by `dataAccessFromEnv`).
  requireEnv('UPLOAD_BUCKET', env);
  return createApp({
    data,
    verifyToken: tokenVerifier({
      issuer: requireEnv('AUTH_ISSUER', env),
      jwksUrl: requireEnv('AUTH_JWKS_URL', env),
      clientIds: requireEnv('AUTH_CLIENT_IDS', env)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }),
  });
}
