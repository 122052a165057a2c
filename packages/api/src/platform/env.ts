import type { Principal, TenantData } from '@aftersales/data';
import type { Actor, Permission, Role, Store } from '@aftersales/domain';
import type { Logger } from '@aftersales/runtime';

/** What the caller may do in the store named by the path. */
export interface StoreAccess {
  store: Store;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  /** `member`: a store role; `group`: an HQ role of the group that owns the store (read-only). */
  via: 'member' | 'group';
}

/** What the caller may do in the dealer group named by the path (HQ figures). */
export interface GroupAccess {
  groupId: string;
  /** Empty for a user of one of the group's stores: they may know the group, not read its figures. */
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
}

/** What the caller may do in the OEM named by the path (its machine clients and reviewers). */
export interface OemAccess {
  oemId: string;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
}

export type AppEnv = {
  Variables: {
    principal: Principal;
    /** The verified bearer token: its sign-in session and expiry (sign-out ends that session). */
    token: VerifiedToken;
    actor: Actor;
    access: StoreAccess;
    groupAccess: GroupAccess;
    oemAccess: OemAccess;
    tenant: TenantData;
    /** The tenant and user this request's log lines carry (set once the tenant is known). */
    logKeys: { tenantId: string; userId: string };
    /** The client's address as the platform trusts it (`clientAddress`), set for every request. */
    clientAddress: string;
    /** This request's logger, made on first use by `requestLog(c)`: read it through that. */
    log: Logger | undefined;
  };
};

/** What a verified access token says (`tokenVerifier`). */
export interface VerifiedToken {
  sub: string;
  clientId: string;
  /** The token's `iat`, in ms (a whole second: `iat` is in seconds). */
  issuedAt: number;
  /** The token's `exp`, in ms. */
  expiresAt: number;
  /** The sign-in the token belongs to (`origin_jti`, else `jti`; empty when it has neither). */
  sessionId: string;
}
