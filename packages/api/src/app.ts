import type { DataAccess } from '@aftersales/data';
import { requireEnv } from '@aftersales/runtime';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate, storeAccess, type TokenVerifier, tokenVerifier } from './auth.ts';
import type { AppEnv } from './env.ts';
import { onError, problemResponse, validationHook } from './problem.ts';
import { customers } from './routes/customers.ts';
import { imports } from './routes/imports.ts';
import { me, store } from './routes/me.ts';
import { vehicles } from './routes/vehicles.ts';

export interface AppDeps {
  data: DataAccess;
  verifyToken: TokenVerifier;
}

export const API_VERSION = '0.1.0';

/**
 * The HTTP API as one Hono app. The Lambda entry (functions/api/lambda.ts) and the local server
 * (packages/local) both serve this same object.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requestId(), secureHeaders());
  // API Gateway's payload limit is 10 MB; imports are capped at 8 MB of CSV.
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: 9 * 1024 * 1024,
      onError: (c) => problemResponse(c, 413, 'PAYLOAD_TOO_LARGE', 'Send at most 9 MB.'),
    }),
  );
  app.use('/v1/*', authenticate(deps.verifyToken, deps.data));
  // Matches the store itself and everything below it.
  app.use('/v1/stores/:storeId/*', storeAccess(deps.data));

  app.get('/health', (c) => c.json({ ok: true, version: API_VERSION }));
  app.route('/v1/me', me(deps.data));
  app.route('/v1/stores/:storeId', store);
  app.route('/v1/stores/:storeId/customers', customers);
  app.route('/v1/stores/:storeId/vehicles', vehicles);
  app.route('/v1/stores/:storeId/imports', imports(deps.data));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito access token (locally: from the development identity provider, see README).',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Aftersales Cloud API',
      version: API_VERSION,
      description:
        'The service department of a car dealer (4S店): customers, vehicles and, on the roadmap, the whole service workflow, warranty claims and customer care. Errors are `application/problem+json` with a stable `code`.',
    },
    security: [{ bearerAuth: [] }],
  });
  app.notFound((c) => problemResponse(c, 404, 'ROUTE_NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;

/** The app configured from the environment, read at cold start (fails fast when a value is missing). */
export function appFromEnv(data: DataAccess, env: NodeJS.ProcessEnv = process.env) {
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
