import { type AppDeps, createApp, tokenVerifier } from '@aftersales/api';
import { generatedOpenApi } from '@aftersales/api/openapi-document';
import { ALL_ROUTES } from '@aftersales/api/route-groups/all';
import { DataAccess } from '@aftersales/data';
import type { Role } from '@aftersales/domain';
import { createDevIdp, type DevIdp, LOCAL_ORIGIN_SECRET, LOCAL_WEB_CLIENT_ID } from '@aftersales/local';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@aftersales/seed';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { stack, useStackEnv } from './api.ts';
import { uniqueSuffix } from './demo.ts';

/**
 * The API app built in the test's worker over the stack's DynamoDB Local, verifying the development
 * identity provider's real tokens, with a clock the test moves: what 30 s of caches or a limit's window
 * do is checked without waiting for them. Each app is one more API instance (its own caches and leases).
 */
export function appWithClock(
  opts: { limits?: AppDeps['limits']; publicLimit?: AppDeps['publicLimit']; startAt?: number } = {},
) {
  useStackEnv();
  let offset = 0;
  const start = opts.startAt;
  const now = () => new Date((start ?? Date.now()) + offset);
  const data = new DataAccess({ tableName: stack.tableName, clock: now });
  let idp: Promise<DevIdp> | undefined;
  const devIdp = () => {
    idp ??= createDevIdp({
      issuer: `${stack.url}/dev-idp`,
      directory: data.directory,
      dynamo: new DynamoDBClient({}),
      tableName: stack.tableName,
      password: DEMO_PASSWORD,
      defaultTotpSecret: DEMO_TOTP_SECRET,
      machineClients: [],
    });
    return idp;
  };
  const app = createApp({
    routes: ALL_ROUTES,
    data,
    now,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.publicLimit ? { publicLimit: opts.publicLimit } : {}),
    openapi: generatedOpenApi,
    originSecret: LOCAL_ORIGIN_SECRET,
    // A development identity provider over the stack's table answers "is TOTP set up", as the local
    // server's does (its state is in the table, so any instance gives the same answer).
    // Staff accounts are made in it too (its state is the table's: the stack's provider signs them in).
    identity: {
      hasSoftwareTokenMfa: async (user) => (await devIdp()).hasSoftwareTokenMfa(user),
      createAccount: async (account) => (await devIdp()).createAccount(account),
      setAccountEnabled: async (username, enabled) => (await devIdp()).setAccountEnabled(username, enabled),
    },
    verifyToken: tokenVerifier({
      issuer: `${stack.url}/dev-idp`,
      jwksUrl: `${stack.url}/dev-idp/.well-known/jwks.json`,
      clientIds: [LOCAL_WEB_CLIENT_ID],
    }),
  });
  return {
    app,
    data,
    /** Moves this app's clock on. */
    advance: (ms: number) => {
      offset += ms;
    },
    /** One request with `token`: status, code (of a problem), body and headers. */
    async call(
      token: string,
      method: string,
      path: string,
      opts: { body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...opts.headers,
        },
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      });
      const body = (await res.json().catch(() => undefined)) as
        | ({ code?: string } & Record<string, unknown>)
        | undefined;
      return { status: res.status, code: body?.code, body, headers: res.headers };
    },
  };
}

/** A store of its own for a test (no group), so no other suite's requests count in its limits. */
export async function freshStore(data: DataAccess, name: string): Promise<string> {
  const id = `st_${name.toUpperCase()}${uniqueSuffix()}`;
  await data.directory.putOrganisation({
    id,
    kind: 'store',
    name,
    brands: ['Audi'],
    jurisdiction: 'CN',
    timeZone: 'Asia/Shanghai',
  });
  return id;
}

/** A user of its own for a test, with `roles` in `storeId`; signs in with the demo password. */
export async function freshUser(
  data: DataAccess,
  storeId: string,
  roles: Role[] = ['service_advisor'],
): Promise<{ id: string; username: string }> {
  const suffix = uniqueSuffix();
  const user = { id: `usr_T${suffix}`, username: `test.${suffix}`, displayName: `Test ${suffix}` };
  await data.directory.putUser({ ...user, locale: 'en' });
  await data.directory.putMembership(user.id, {
    tenantId: storeId,
    tenantKind: 'store',
    tenantName: storeId,
    roles,
  });
  return user;
}
