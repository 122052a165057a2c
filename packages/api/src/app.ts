import type { DataAccess } from '@aftersales/data';
import type { ChallengeOptions } from '@aftersales/data/appointments';
import {
  DEFAULT_RATE_LIMITS,
  optionalEnv,
  type RateLimit,
  type RateLimits,
  rateLimitsFromEnv,
  requireEnv,
} from '@aftersales/runtime';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import {
  authenticate,
  groupAccess,
  oemAccess,
  Principals,
  storeAccess,
  type TokenVerifier,
  tokenVerifier,
} from './platform/auth.ts';
import { clientAddress } from './platform/client-address.ts';
import { cognitoAccounts, type IdentityAccounts } from './platform/identity-admin.ts';
import { cognitoIdentity, requireMfaEnrolment } from './platform/mfa.ts';
import { onError, problemResponse } from './platform/problem.ts';
import { DEFAULT_PUBLIC_LIMIT, publicRateLimit, rateLimit } from './platform/rate-limit.ts';
import { ApiRoutes, type RouteSpec } from './platform/route.ts';
import { securityHeaders } from './platform/security-headers.ts';
import { withTokenUrl } from './platform/token-endpoint.ts';
import type { RouteGroup } from './route-groups/group.ts';

/**
 * The text of /openapi.json for the app's operations. The Lambda reads the file written next to its
 * bundle at build time; the local server and tests generate it in-process (openapi-document.ts), so the
 * generator never ships in the Lambda.
 */
export type OpenApiSource = (routes: readonly RouteSpec[]) => string | Promise<string>;

const notFound = (c: Context) =>
  problemResponse(c, 404, 'ROUTE_NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`);

/** A path the app serves, asked with a method it does not have: 405 and the methods it has (RFC 9110). */
function methodNotAllowed(c: Context, allowed: readonly string[]): Response {
  c.header('allow', allowed.join(', '));
  return problemResponse(
    c,
    405,
    'METHOD_NOT_ALLOWED',
    `${c.req.path} does not take ${c.req.method}; it takes ${allowed.join(', ')}.`,
  );
}

export interface AppDeps {
  data: DataAccess;
  verifyToken: TokenVerifier;
  openapi: OpenApiSource;
  /** Per-user and per-tenant request limits (default: `DEFAULT_RATE_LIMITS`). */
  limits?: RateLimits;
  /** The clock of caches, limits and revocations (the system's by default; tests move their own). */
  now?: () => Date;
  /**
   * The identity provider's accounts: where MFA enrolment is confirmed and staff accounts are created
   * and disabled. Cognito in AWS, the dev identity provider locally.
   */
  identity: IdentityAccounts;
  /**
   * The secret CloudFront sends as `X-Origin-Verify` (`ORIGIN_SECRET`): only a request carrying it is
   * believed about its viewer's address. Absent, no request is (the connection's address counts).
   */
  originSecret?: string | undefined;
  /** The public booking page's limit per client address per store (default: `DEFAULT_PUBLIC_LIMIT`). */
  publicLimit?: RateLimit;
  /**
   * Its proof-of-work challenges: sealed with `CURSOR_SECRET` (so any instance opens what another
   * issued), difficulty and lifetime (defaults: `DEFAULT_CHALLENGE`).
   */
  challenges?: { secret?: string | undefined } & Partial<ChallengeOptions>;
  /**
   * The route groups this app serves: both locally and in tests, one per function in AWS
   * (`route-groups/`), so that a function's bundle carries only its own routes.
   */
  routes: readonly RouteGroup[];
  /**
   * Webhook endpoints (the manufacturer API): plain http to this machine is a valid URL only on a server
   * running locally (`WEBHOOK_ALLOW_LOOPBACK_HTTP=true`, set by packages/local), for its receiver.
   */
  webhooks?: { allowLoopbackHttp?: boolean };
}

export const API_VERSION = '0.1.0';

/**
 * The HTTP API as one Hono app. The Lambda entry (functions/api/lambda.ts) and the local server
 * (packages/local) both serve an app made here, differing only in where /openapi.json comes from.
 */
export function createApp(deps: AppDeps) {
  const app = new ApiRoutes();
  const now = deps.now ?? (() => new Date());
  const principals = new Principals(deps.data, now);
  app.use('*', requestId(), securityHeaders);
  // Decided once, here: the limits and the public routes read `c.var.clientAddress`.
  app.use('*', (c, next) => {
    c.set('clientAddress', clientAddress(c, deps.originSecret));
    return next();
  });
  // The router (hono/tiny's PatternRouter) would also match `/v1/me/`: only the documented paths exist.
  app.use('*', (c, next) => {
    const { path } = c.req;
    return path.length > 1 && path.endsWith('/') ? Promise.resolve(notFound(c)) : next();
  });
  // Lambda takes at most 6 MB per request: files go to S3 by presigned URL, bodies here are small.
  const limitBody = bodyLimit({
    maxSize: 1024 * 1024,
    onError: (c) => problemResponse(c, 413, 'PAYLOAD_TOO_LARGE', 'Send at most 1 MiB.'),
  });
  // Only requests whose body we read: looking at the body makes the Node server build a whole fetch
  // Request, which was a third of Hono's CPU time on every GET.
  app.use('/v1/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  app.use('/v1/*', authenticate(deps.verifyToken, principals));
  app.use('/v1/*', requireMfaEnrolment(deps.data));
  // Matches the store itself and everything below it.
  app.use('/v1/stores/:storeId/*', storeAccess(deps.data));
  app.use('/v1/groups/:groupId/*', groupAccess(deps.data));
  app.use('/v1/oems/:oemId/*', oemAccess(deps.data));
  // After the access checks: the limits count per tenant, which those resolve.
  app.use('/v1/*', rateLimit(deps.data, deps.limits ?? DEFAULT_RATE_LIMITS, now));
  // The public booking page: no sign-in, so a limit per client address in each store instead.
  app.use('/public/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  app.use(
    '/public/v1/stores/:storeId/*',
    publicRateLimit(deps.data, deps.publicLimit ?? DEFAULT_PUBLIC_LIMIT, now),
  );

  app.get('/health', (c) => c.json({ ok: true, version: API_VERSION }));
  for (const group of deps.routes) group.mount(app, deps, { now, principals });

  // Read (or generated) on the first request, then kept: it changes only with the code.
  let document: Promise<string> | undefined;
  app.get('/openapi.json', async (c) => {
    document ??= Promise.resolve()
      .then(() => deps.openapi(app.documented))
      .catch((err: unknown) => {
        document = undefined;
        throw err;
      });
    // Public and the same for everyone until the next deploy: browsers and the docs page may keep it a while.
    return c.body(await document, 200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
    });
  });
  // No route matched the method and path: a path the app has, with another method, is a 405.
  app.notFound((c) => {
    const allowed = app.allowedMethods(c.req.path);
    return allowed.length > 0 ? methodNotAllowed(c, allowed) : notFound(c);
  });
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;

/**
 * The app configured from the environment, read at cold start (fails fast when a value is missing).
 * `identity` is Cognito's user pool (`USER_POOL_ID`) unless given: the local server gives its own.
 */
export function appFromEnv(
  routes: readonly RouteGroup[],
  data: DataAccess,
  openapi: OpenApiSource,
  env: NodeJS.ProcessEnv = process.env,
  identity: IdentityAccounts = cognitoAccounts(
    requireEnv('USER_POOL_ID', env),
    cognitoIdentity(requireEnv('USER_POOL_ID', env)),
  ),
) {
  // Imports read their files from the uploads bucket (read into `data` by `dataAccessFromEnv`).
  requireEnv('UPLOAD_BUCKET', env);
  // In AWS the document advertises Cognito's token URL (set by CDK); locally the dev IdP's.
  const tokenUrl = optionalEnv('AUTH_TOKEN_URL', env);
  // Cursors it issues are sealed with this secret (read into `data` too): every instance must open them.
  const cursorSecret = requireEnv('CURSOR_SECRET', env);
  return createApp({
    routes,
    data,
    challenges: { secret: cursorSecret },
    originSecret: optionalEnv('ORIGIN_SECRET', env),
    openapi: tokenUrl ? withTokenUrl(openapi, tokenUrl) : openapi,
    limits: rateLimitsFromEnv(env),
    webhooks: { allowLoopbackHttp: optionalEnv('WEBHOOK_ALLOW_LOOPBACK_HTTP', env) === 'true' },
    identity,
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
