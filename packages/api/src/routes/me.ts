import type { DataAccess } from '@aftersales/data';
import { Membership, Permission, permissionsOf, Role, Store, UserProfile } from '@aftersales/domain';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { authorize } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { json, StoreParams } from '../http.ts';
import { errorResponses, validationHook } from '../problem.ts';

const AccessibleStore = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(Role),
  permissions: z.array(Permission),
  via: z.enum(['member', 'group']),
});

const Me = z
  .object({ user: UserProfile, memberships: z.array(Membership), stores: z.array(AccessibleStore) })
  .openapi('Me');

/** The signed-in user: memberships, and every store they can open (HQ users: their group's stores). */
export function me(data: DataAccess) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['Session'],
      summary: 'Who am I, and which stores can I open',
      responses: { 200: json(Me, 'The signed-in user'), 401: errorResponses[401], 403: errorResponses[403] },
    }),
    async (c) => {
      const { user, memberships } = c.get('principal');
      const stores: z.infer<typeof AccessibleStore>[] = [];
      for (const m of memberships) {
        const permissions = [...permissionsOf(m.roles)];
        if (m.tenantKind === 'store')
          stores.push({ id: m.tenantId, name: m.tenantName, roles: m.roles, permissions, via: 'member' });
        if (m.tenantKind === 'group') {
          for (const s of await data.directory.groupStores(m.tenantId)) {
            stores.push({ id: s.id, name: s.name, roles: m.roles, permissions, via: 'group' });
          }
        }
      }
      return c.json({ user, memberships, stores }, 200);
    },
  );
  return app;
}

/** The store's profile (brands, jurisdiction) and the caller's roles there. */
export const store = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
store.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Session'],
    summary: 'The store and your roles in it',
    request: { params: StoreParams },
    responses: {
      200: json(
        z.object({
          store: Store,
          roles: z.array(Role),
          permissions: z.array(Permission),
          via: z.enum(['member', 'group']),
        }),
        'The store',
      ),
      ...errorResponses,
    },
  }),
  (c) => {
    authorize(c, 'registry:read');
    const { store: profile, roles, permissions, via } = c.get('access');
    return c.json({ store: profile, roles, permissions: [...permissions], via }, 200);
  },
);
