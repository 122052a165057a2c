import type { DataAccess, Principal } from '@aftersales/data';
import {
  type Actor,
  AppError,
  ForbiddenError,
  type Permission,
  permissionsOf,
  type Role,
  readOnlyPermissionsOf,
  type Store,
  TENANT_ID_MAX_LENGTH,
  TenantId,
  UnauthorizedError,
  ValidationError,
} from '@aftersales/domain';
import { type Logger, logger } from '@aftersales/runtime';
import type { Context, MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { TtlCache } from './cache.ts';
import type { AppEnv, GroupAccess, StoreAccess, VerifiedToken } from './env.ts';
import { MACHINE_SCOPE } from './token-endpoint.ts';

export interface AuthConfig {
  /** Token issuer: the Cognito user pool URL in AWS, the dev identity provider locally. */
  issuer: string;
  jwksUrl: string;
  /** App clients whose access tokens this API accepts (web app, OEM machine clients). */
  clientIds: string[];
}

/** A verified token is trusted again without a signature check for at most this long (and never past `exp`). */
const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const VERIFIED_TOKEN_MAX = 10_000;

/**
 * Verifies Cognito-style access tokens (`token_use: access`, `client_id`) against the issuer's JWKS.
 * The same code verifies the local development provider's tokens: only the URLs differ.
 *
 * A client sends the same token with every request, and the RS256 check is the largest CPU cost of a
 * warm request: a token that passed is remembered (by its exact text) until it expires, at most five
 * minutes. A token that fails is never remembered, so the next request checks it again.
 */
export function tokenVerifier(cfg: AuthConfig, keys?: JWTVerifyGetKey) {
  const verified = new Map<string, { result: VerifiedToken; until: number }>();
  // Made on first use: building the remote key set loads Node's fetch stack (about 20 ms of a cold
  // start), which `/health` and `/openapi.json` never need; the first signed-in request downloads
  // the keys anyway.
  const jwksUrl = new URL(cfg.jwksUrl); // a malformed URL fails the cold start, not every request
  let keySet = keys;
  const getKeys = (): JWTVerifyGetKey => {
    keySet ??= createRemoteJWKSet(jwksUrl);
    return keySet;
  };
  return async (token: string): Promise<VerifiedToken> => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.until > now) return hit.result;
    if (hit) verified.delete(token);
    try {
      // A token without `exp` would be valid forever; `iat` is what a revocation is compared with.
      const { payload } = await jwtVerify(token, getKeys(), {
        issuer: cfg.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      const clientId = String(payload.client_id ?? '');
      if (payload.token_use !== 'access' || !cfg.clientIds.includes(clientId) || !payload.sub) {
        throw new UnauthorizedError('This token is not an access token for Aftersales Cloud.');
      }
      checkScopes(payload.sub, clientId, payload.scope);
      const result: VerifiedToken = {
        sub: payload.sub,
        clientId,
        issuedAt: (payload.iat ?? 0) * 1000,
        expiresAt: (payload.exp ?? 0) * 1000,
        // Cognito's `origin_jti` names the sign-in every token refreshed from it shares.
        sessionId: String(payload.origin_jti ?? payload.jti ?? ''),
      };
      if (verified.size >= VERIFIED_TOKEN_MAX) verified.clear();
      // `exp` is in seconds (required above).
      const until = Math.min(now + VERIFIED_TOKEN_TTL_MS, (payload.exp ?? 0) * 1000);
      verified.set(token, { result, until });
      return result;
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof joseErrors.JWTExpired)
        throw new UnauthorizedError('Your session has expired; sign in again.');
      if (e instanceof joseErrors.JOSEError) throw new UnauthorizedError('The bearer token is not valid.');
      throw e;
    }
  };
}

/**
 * A client-credentials token (Cognito makes its `sub` the app client's id: no user signed in) must carry
 * the OEM scope, so a machine client issued without it reaches nothing. A user's token must not carry
 * it: the scope says "machine client", and a web client configured to grant it would be a mistake.
 */
function checkScopes(sub: string, clientId: string, scope: unknown): void {
  const scopes = typeof scope === 'string' ? scope.split(' ') : [];
  const machine = sub === clientId;
  if (machine && !scopes.includes(MACHINE_SCOPE))
    throw new UnauthorizedError(`This client's token lacks the ${MACHINE_SCOPE} scope.`);
  if (!machine && scopes.includes(MACHINE_SCOPE))
    throw new UnauthorizedError(`A user's token may not carry the machine scope ${MACHINE_SCOPE}.`);
}

export type TokenVerifier = ReturnType<typeof tokenVerifier>;

/**
 * Principals by user id, each kept 30 s: how long a change in the directory (roles, a disabled
 * account, a revocation made by another instance) may take to reach a running function. A change this
 * instance makes itself (sign-out) is seen at once: it forgets the user.
 */
export class Principals {
  private readonly cache: TtlCache<Principal | undefined>;

  constructor(
    private readonly data: DataAccess,
    now: () => Date,
  ) {
    this.cache = new TtlCache(30_000, 5_000, () => now().getTime());
  }

  get(userId: string): Promise<Principal | undefined> {
    return this.cache.get(userId, () => this.data.directory.getPrincipal(userId));
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }
}

/**
 * Resolves the bearer token to a principal and lets it through only while its access lasts. The check
 * runs on every request against the principal (at most 30 s old), never only when a token is first
 * verified: a verified token is remembered for minutes (`tokenVerifier`), an account's end is not.
 */
export function authenticate(verify: TokenVerifier, principals: Principals): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError();
    const token = await verify(match[1]);
    const { sub, issuedAt } = token;
    const principal = await principals.get(sub);
    if (!principal)
      throw new ForbiddenError('Your account has no access to any organisation yet.', 'NOT_PROVISIONED');
    const { disabled, sessionsRevokedAt } = principal.access;
    if (disabled)
      throw new ForbiddenError('Your account is disabled; ask your administrator.', 'ACCOUNT_DISABLED');
    // `iat` has whole seconds: a token from the second of a revocation is refused too (sign in again).
    if (sessionsRevokedAt && issuedAt <= Date.parse(sessionsRevokedAt))
      throw new AppError(401, 'SESSION_REVOKED', 'You were signed out of this session; sign in again.');
    if (token.sessionId && principal.endedSessions.includes(token.sessionId))
      throw new AppError(401, 'SESSION_REVOKED', 'You signed out of this session; sign in again.');
    c.set('token', token);
    c.set('principal', principal);
    await next();
  };
}

/**
 * The permissions of a list of roles, built once per list: a cached principal keeps its memberships'
 * lists, so a warm request builds no set.
 */
const permissionSets = new WeakMap<readonly Role[], ReadonlySet<Permission>>();
/** A store's user looking at its group's HQ: no HQ roles (one list, so one permission set). */
const NO_ROLES: readonly Role[] = Object.freeze([]);
function permissionsFor(roles: readonly Role[]): ReadonlySet<Permission> {
  const known = permissionSets.get(roles);
  if (known) return known;
  const permissions = permissionsOf(roles);
  permissionSets.set(roles, permissions);
  return permissions;
}
/** HQ roles looking into a store: their read permissions only (the same caching by list). */
const readOnlySets = new WeakMap<readonly Role[], ReadonlySet<Permission>>();
function readOnlyPermissionsFor(roles: readonly Role[]): ReadonlySet<Permission> {
  const known = readOnlySets.get(roles);
  if (known) return known;
  const permissions: ReadonlySet<Permission> = readOnlyPermissionsOf(roles);
  readOnlySets.set(roles, permissions);
  return permissions;
}

/**
 * A tenant id longer than any can be is a malformed request (400, as the document's `maxLength` says),
 * answered before the route's own validation, which runs after access is resolved.
 */
function refuseOverLong(param: 'storeId' | 'groupId' | 'oemId', value: string): void {
  if (value.length > TENANT_ID_MAX_LENGTH)
    throw new ValidationError([
      { path: param, code: 'TOO_LONG', message: `At most ${TENANT_ID_MAX_LENGTH} characters.` },
    ]);
}

/**
 * Resolves `/v1/stores/:storeId/*` to the caller's roles in that store and a data handle bound to it.
 * A store the caller may not see answers 404, exactly like one that does not exist.
 */
export function storeAccess(data: DataAccess): MiddlewareHandler<AppEnv> {
  // 30 s: how long a change of a store's group (or its end) may take to reach every request.
  const groupStores = new TtlCache<Set<string>>(30_000);
  const stores = new TtlCache<Store | undefined>(30_000);
  return async (c, next) => {
    const storeId = c.req.param('storeId') ?? '';
    const principal = c.get('principal');
    const notFound = () => new AppError(404, 'STORE_NOT_FOUND', `No store ${storeId} that you can access.`);
    refuseOverLong('storeId', storeId);
    if (!TenantId.safeParse(storeId).success || !storeId.startsWith('st_')) throw notFound();
    let roles: Role[] = [];
    let via: StoreAccess['via'] = 'member';
    let viaGroup: string | undefined;
    const direct = principal.memberships.find((m) => m.tenantId === storeId && m.tenantKind === 'store');
    if (direct) roles = direct.roles;
    else {
      for (const m of principal.memberships.filter((x) => x.tenantKind === 'group')) {
        const ids = await groupStores.get(
          m.tenantId,
          async () => new Set((await data.directory.groupStores(m.tenantId)).map((s) => s.id)),
        );
        if (ids.has(storeId)) {
          roles = m.roles;
          via = 'group';
          viaGroup = m.tenantId;
          break;
        }
      }
    }
    if (roles.length === 0) throw notFound();
    const store = await stores.get(storeId, async () => {
      const org = await data.directory.getOrganisation(storeId);
      return org?.kind === 'store' ? org : undefined;
    });
    // HQ reads a store only while it belongs to the group now: its profile says which (a store moved to
    // another group leaves its former HQ at the next profile read, within the cache's 30 s).
    if (!store || (via === 'group' && store.groupId !== viaGroup)) throw notFound();
    const actor: Actor = { userId: principal.user.id, name: principal.user.displayName, roles };
    c.set('actor', actor);
    // HQ reads its stores and never writes: only its read permissions reach the store, and its data
    // session may only read (IAM refuses a write even if code attempted one).
    const readOnly = via === 'group';
    const permissions = readOnly ? readOnlyPermissionsFor(roles) : permissionsFor(roles);
    c.set('access', { store, roles, permissions, via });
    c.set('tenant', data.forTenant({ tenantId: storeId, actor, readOnly }));
    c.set('logKeys', { tenantId: storeId, userId: principal.user.id });
    await next();
  };
}

/**
 * Resolves `/v1/groups/:groupId/*` to the caller's HQ roles in that group. A user of one of the group's
 * stores gets no roles (so 403 on everything); anyone else — another group, an independent store, an
 * OEM — gets 404, exactly like a group that does not exist.
 */
export function groupAccess(data: DataAccess): MiddlewareHandler<AppEnv> {
  const groupStores = new TtlCache<Set<string>>(60_000);
  return async (c, next) => {
    const groupId = c.req.param('groupId') ?? '';
    const principal = c.get('principal');
    const notFound = () =>
      new AppError(404, 'GROUP_NOT_FOUND', `No dealer group ${groupId} that you can access.`);
    refuseOverLong('groupId', groupId);
    if (!TenantId.safeParse(groupId).success || !groupId.startsWith('grp_')) throw notFound();
    const hq = principal.memberships.find((m) => m.tenantId === groupId && m.tenantKind === 'group');
    let roles: GroupAccess['roles'] = hq?.roles ?? [];
    if (!hq) {
      const stores = await groupStores.get(
        groupId,
        async () => new Set((await data.directory.groupStores(groupId)).map((s) => s.id)),
      );
      if (!principal.memberships.some((m) => m.tenantKind === 'store' && stores.has(m.tenantId)))
        throw notFound();
      roles = NO_ROLES;
    }
    c.set('groupAccess', { groupId, roles, permissions: permissionsFor(roles) });
    c.set('logKeys', { tenantId: groupId, userId: principal.user.id });
    await next();
  };
}

/**
 * Resolves `/v1/oems/:oemId/*` (the manufacturer API) to the caller's roles in that OEM: a user or a
 * machine client holding a membership in it. Anyone else — a store, a group, another OEM — gets 404,
 * exactly like an OEM that does not exist. Its data session is narrowed to the OEM's partition.
 */
export function oemAccess(data: DataAccess): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const oemId = c.req.param('oemId') ?? '';
    const principal = c.get('principal');
    refuseOverLong('oemId', oemId);
    const member = TenantId.safeParse(oemId).success
      ? principal.memberships.find((m) => m.tenantId === oemId && m.tenantKind === 'oem')
      : undefined;
    if (!member || member.roles.length === 0)
      throw new AppError(404, 'OEM_NOT_FOUND', `No manufacturer ${oemId} that you can access.`);
    const actor: Actor = { userId: principal.user.id, name: principal.user.displayName, roles: member.roles };
    c.set('actor', actor);
    c.set('oemAccess', { oemId, roles: member.roles, permissions: permissionsFor(member.roles) });
    c.set('tenant', data.forTenant({ tenantId: oemId, actor }));
    c.set('logKeys', { tenantId: oemId, userId: principal.user.id });
    await next();
  };
}

/**
 * This request's logger: a child of the shared one with the request's tenant and user, so its keys can
 * never reach another request's lines. Made on first use: building a Powertools child costs more than
 * the rest of a warm request's own work, and most requests never log.
 */
export function requestLog(c: Context<AppEnv>): Logger {
  const made = c.get('log');
  if (made) return made;
  const keys = c.get('logKeys');
  if (!keys) return logger;
  const log = logger.createChild({ persistentKeys: keys });
  c.set('log', log);
  return log;
}

/**
 * What an operation requires: a permission in the store of the path, only a signed-in caller, or nothing
 * (`public`: the public booking page's routes under `/public/v1`, outside authentication).
 */
export type Access = Permission | 'signed-in' | 'public';

/**
 * The one enforcement of route permissions. `route()` runs it for every operation ahead of input
 * validation, so a caller without the permission gets 403 whatever the body (and learns nothing from
 * field errors).
 */
export function requirePermission(c: Context<AppEnv>, access: Access): void {
  if (access === 'signed-in' || access === 'public') return;
  // Absent only when a permission is declared on a route outside a store's or a group's path.
  const granted = c.var.access?.permissions ?? c.var.groupAccess?.permissions ?? c.var.oemAccess?.permissions;
  if (!granted)
    throw new Error(
      `A route needing ${access} must be under /v1/stores/:storeId, /v1/groups/:groupId or /v1/oems/:oemId.`,
    );
  if (!granted.has(access)) throw new ForbiddenError(`Your role does not allow this (${access}).`);
}
