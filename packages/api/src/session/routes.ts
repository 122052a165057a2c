import type { DataAccess } from '@aftersales/data';
import {
  Membership,
  Permission,
  permissionsOf,
  Role,
  readOnlyPermissionsOf,
  Store,
  UserProfile,
} from '@aftersales/domain';
import * as z from 'zod';
import type { Principals } from '../platform/auth.ts';
import { json, StoreParams } from '../platform/http.ts';
import { mfaEnrolledNow, mfaRequired } from '../platform/mfa.ts';
import { ApiRoutes } from '../platform/route.ts';

const Via = z.enum(['member', 'group']).meta({
  description: '`member`: a store role; `group`: an HQ role of the group that owns the store (read-only).',
});

const AccessibleStore = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(Role),
    permissions: z.array(Permission),
    via: Via,
  })
  .meta({ id: 'AccessibleStore' });

const StoreSession = z
  .object({ store: Store, roles: z.array(Role), permissions: z.array(Permission), via: Via })
  .meta({ id: 'StoreSession' });

const Me = z
  .object({
    user: UserProfile,
    memberships: z.array(Membership),
    stores: z.array(AccessibleStore),
    mfaRequired: z
      .boolean()
      .meta({ description: 'Whether one of your roles requires two-step sign-in (TOTP).' }),
    mfaEnrolled: z.boolean().meta({
      description:
        'Whether your authenticator is confirmed. Required and not enrolled: every other operation answers 403 `MFA_ENROLMENT_REQUIRED` until `POST /v1/session/mfa`.',
    }),
  })
  .meta({ id: 'Me' });

/** The signed-in user: memberships, and every store they can open (HQ users: their group's stores). */
export function me(data: DataAccess) {
  const app = new ApiRoutes();
  app.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'getMe',
      permission: 'signed-in',
      tags: ['Session'],
      summary: 'Who am I, and which stores can I open',
      responses: { 200: json(Me, 'The signed-in user') },
    },
    async (c) => {
      const principal = c.get('principal');
      const { user, memberships } = principal;
      const stores: z.infer<typeof AccessibleStore>[] = [];
      for (const m of memberships) {
        const permissions = [...permissionsOf(m.roles)];
        if (m.tenantKind === 'store')
          stores.push({ id: m.tenantId, name: m.tenantName, roles: m.roles, permissions, via: 'member' });
        if (m.tenantKind === 'group') {
          // What storeAccess grants HQ in a store: its read permissions only.
          const reads = [...readOnlyPermissionsOf(m.roles)];
          for (const s of await data.directory.groupStores(m.tenantId)) {
            stores.push({ id: s.id, name: s.name, roles: m.roles, permissions: reads, via: 'group' });
          }
        }
      }
      const required = mfaRequired(principal);
      const enrolled = required ? await mfaEnrolledNow(data, principal) : user.mfaEnrolled === true;
      return c.json({ user, memberships, stores, mfaRequired: required, mfaEnrolled: enrolled }, 200);
    },
  );
  return app;
}

/**
 * Ends the caller's sessions on the server: every token issued to them until now is refused, at once on
 * this instance and within 30 s (the principal cache) on every other. The web app calls it when the
 * user signs out, beside revoking its refresh token at Cognito.
 */
export function session(data: DataAccess, principals: Principals, now: () => Date) {
  const app = new ApiRoutes();
  app.openapi(
    {
      method: 'post',
      path: '/sign-out',
      operationId: 'signOut',
      permission: 'signed-in',
      tags: ['Session'],
      summary: 'Sign out: end this sign-in session',
      description:
        'Every token of this sign-in (this one, and those refreshed from it) is refused from now on, on every API instance within 30 s; other sign-ins of the same user go on.',
      responses: { 204: { description: 'Signed out: this session’s tokens no longer work' } },
    },
    async (c) => {
      const { id } = c.get('principal').user;
      const token = c.get('token');
      // A token with no session id cannot be told from the user's others: end them all.
      if (token.sessionId) await data.directory.endSession(id, token.sessionId, new Date(token.expiresAt));
      else await data.directory.revokeSessions(id, now());
      principals.forget(id);
      return c.body(null, 204);
    },
  );
  return app;
}

/** The store's profile (brands, jurisdiction) and the caller's roles there. */
export const store = new ApiRoutes();
store.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'getStore',
    permission: 'registry:read',
    tags: ['Session'],
    summary: 'The store and your roles in it',
    request: { params: StoreParams },
    responses: { 200: json(StoreSession, 'The store') },
  },
  (c) => {
    const { store: profile, roles, permissions, via } = c.get('access');
    return c.json({ store: profile, roles: [...roles], permissions: [...permissions], via }, 200);
  },
);
