import { STAFF_MEMBER, StaffMembers } from '@aftersales/data/staff';
import {
  type Staff,
  type StaffStatus,
  staffView,
  usernameTakenError as usernameTaken,
} from '@aftersales/domain';
import type { Context } from 'hono';
import type { Principals } from '../platform/auth.ts';
import { AuditPage } from '../platform/bodies.ts';
import type { AppEnv } from '../platform/env.ts';
import {
  CREATED_HEADERS,
  etag,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  StoreParams,
  setCreatedHeaders,
} from '../platform/http.ts';
import type { IdentityAdmin } from '../platform/identity-admin.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

const tags = ['Staff'];
const StaffParams = recordParams(STAFF_MEMBER);

/** The record as the caller may see it: the phone whole only for those who manage staff. */
const view = (c: Context<AppEnv>, staff: Staff) =>
  staffView(staff, c.get('access').permissions.has('staff:manage'));

/** The directory membership the staff record implies in this store. */
const membership = (c: Context<AppEnv>, staff: Pick<Staff, 'roles'>) => {
  const { store } = c.get('access');
  return { tenantId: store.id, tenantKind: 'store' as const, tenantName: store.name, roles: staff.roles };
};

/**
 * 人员: the store's people, kept by the service manager. Each write updates the staff record and then
 * the identity provider and directory (`IdentityAdmin`), so access follows the record within 30 s.
 */
export function staff(admin: IdentityAdmin, principals: Principals) {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'listStaff',
      permission: 'staff:read',
      tags,
      summary: 'The store’s people by username, A–Z, paged',
      request: { params: StoreParams, query: PageQuery },
      responses: { 200: json(Pages.StaffPage, 'People') },
    },
    async (c) => {
      const page = await c.get('tenant').repo(StaffMembers).list(c.req.valid('query'));
      return c.json({ ...page, items: page.items.map((s) => view(c, s)) }, 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/',
      operationId: 'inviteStaff',
      permission: 'staff:manage',
      tags,
      summary: 'Add a person: their account is created with an invitation (a temporary password)',
      description:
        'In AWS, Cognito e-mails the temporary password; locally the development identity provider returns it as `temporaryPassword`.',
      errors: ['USERNAME_TAKEN'],
      request: {
        params: StoreParams,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.StaffInput } } },
      },
      responses: {
        201: json(
          Bodies.StaffInvitation,
          'Invited (or, for a repeated Idempotency-Key, the first result without its password)',
          CREATED_HEADERS,
        ),
      },
    },
    async (c) => {
      const fields = c.req.valid('json');
      const repo = c.get('tenant').repo(StaffMembers);
      const key = idempotency(c, fields);
      // A retry must not make a second account: the first answer is replayed before the provider is asked.
      const earlier = await repo.replayed(key);
      if (earlier) {
        setCreatedHeaders(c, earlier, false);
        return c.json(view(c, earlier), 201);
      }
      // Refused before any account exists when the store already has the username.
      if ((await repo.lookup('username', fields.username)).length > 0) throw usernameTaken(fields.username);
      const invited = await admin.invite(fields, membership(c, fields));
      const created = await repo.create(invited.userId, fields, key);
      setCreatedHeaders(c, created, true);
      const temporaryPassword = invited.temporaryPassword;
      return c.json({ ...view(c, created), ...(temporaryPassword ? { temporaryPassword } : {}) }, 201);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{staffId}',
      operationId: 'getStaff',
      permission: 'staff:read',
      tags,
      summary: 'One person of the store',
      request: { params: StaffParams },
      responses: { 200: json(Bodies.Staff, 'The person', ['ETag']) },
    },
    async (c) => {
      const found = await c.get('tenant').repo(StaffMembers).require(c.req.valid('param').staffId);
      c.header('etag', etag(found.version));
      return c.json(view(c, found), 200);
    },
  );

  routes.openapi(
    {
      method: 'patch',
      path: '/{staffId}',
      operationId: 'updateStaff',
      permission: 'staff:manage',
      tags,
      summary: 'Change a person’s details, roles, level, skills or shifts (If-Match required)',
      description:
        'Only the fields sent change (at least one); a role change reaches their access within 30 s.',
      errors: ['LAST_MANAGER', 'STAFF_REMOVED'],
      request: {
        params: StaffParams,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.StaffPatch } } },
      },
      responses: { 200: json(Bodies.Staff, 'The person', ['ETag']) },
    },
    async (c) => {
      const { staffId } = c.req.valid('param');
      const updated = await c
        .get('tenant')
        .repo(StaffMembers)
        .update(staffId, c.req.valid('json'), expectedVersion(c), c.get('principal').user.id);
      if (updated.status === 'active') await admin.setMembership(updated.id, membership(c, updated));
      principals.forget(updated.id);
      c.header('etag', etag(updated.version));
      return c.json(view(c, updated), 200);
    },
  );

  const statusChange = (
    operationId: string,
    action: string,
    status: StaffStatus,
    summary: string,
    apply: (c: Context<AppEnv>, s: Staff) => Promise<void>,
  ) =>
    routes.openapi(
      {
        method: 'post',
        path: `/{staffId}/${action}`,
        operationId,
        permission: 'staff:manage',
        tags,
        summary: `${summary} (If-Match required)`,
        errors: ['LAST_MANAGER', 'STAFF_REMOVED'],
        request: { params: StaffParams, headers: IfMatchHeader },
        responses: { 200: json(Bodies.Staff, 'The person', ['ETag']) },
      },
      async (c) => {
        const { before, after } = await c
          .get('tenant')
          .repo(StaffMembers)
          .setStatus(c.req.valid('param').staffId, status, expectedVersion(c), c.get('principal').user.id);
        if (before !== after) await apply(c, after);
        principals.forget(after.id);
        c.header('etag', etag(after.version));
        return c.json(view(c, after), 200);
      },
    );

  const now = (c: Context<AppEnv>) => c.get('tenant').now();
  statusChange(
    'disableStaff',
    'disable',
    'disabled',
    'Disable a person in this store: refused here within 30 s; their other stores untouched, their account disabled with their last store',
    (c, s) => admin.disableInStore(s, c.get('access').store.id, now(c)),
  );
  statusChange(
    'enableStaff',
    'enable',
    'active',
    'Enable a person disabled in this store again (and their account, if it was disabled with it)',
    (c, s) => admin.enableInStore(s, membership(c, s), now(c)),
  );
  statusChange(
    'removeStaff',
    'remove',
    'removed',
    'Remove a person from the store (the record is kept for the audit log)',
    (c, s) => admin.removeFromStore(s, c.get('access').store.id, now(c)),
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{staffId}/history',
      operationId: 'getStaffHistory',
      permission: 'staff:read',
      tags,
      summary: 'Who changed this person’s record, when, and what',
      request: { params: StaffParams, query: PageQuery },
      responses: { 200: json(AuditPage, 'Audit entries, newest first') },
    },
    async (c) => {
      const { staffId } = c.req.valid('param');
      const repo = c.get('tenant').repo(StaffMembers);
      await repo.require(staffId);
      return c.json(await repo.history(staffId, c.req.valid('query')), 200);
    },
  );

  return routes;
}
