import { createApp, unavailableAccounts } from '@aftersales/api';
import { generatedOpenApi } from '@aftersales/api/openapi-document';
import { ALL_ROUTES } from '@aftersales/api/route-groups/all';
import { DataAccess } from '@aftersales/data';
import { WebhookOutbox } from '@aftersales/data/webhooks';
import { GroupRole, OemRole, Permission, ROLE_PERMISSIONS, StoreRole } from '@aftersales/domain';
import { DEMO_OEMS, demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, stack, uploadCsv, useStackEnv } from '../support/api.ts';
import {
  demo,
  provisionOtherGroup,
  provisionRoleUser,
  readAsDemoUser,
  uniqueSuffix,
  validVin,
} from '../support/demo.ts';
import {
  type DocOperation,
  expectDocumentedProblem,
  liveDocument,
  type OpenApiDoc,
  operationsOf,
} from '../support/openapi.ts';
import { stockPathValues } from '../support/parts.ts';
import { type PathValues, pathValues } from '../support/path-values.ts';
import { stockDocuments } from '../support/stock.ts';

/**
 * Every route of the app, called by users who must not reach the victim store's data: a user of
 * another store in the same group, a user of an independent store, an HQ user of another group and an
 * OEM user. Each must get 403/404 and none of the victim's data. A new route that is not classified
 * here fails the suite until someone says how it is isolated.
 */
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /openapi.json']);
/** Routes about the caller themselves, scoped by their token alone. */
const SELF_ROUTES = new Set(['GET /v1/me', 'POST /v1/session/sign-out', 'POST /v1/session/mfa']);
const STORE_PREFIX = '/v1/stores/:storeId';
/** The store's public booking page: anonymous by design, so it must show nothing of the store's records. */
const PUBLIC_STORE_PREFIX = '/public/v1/stores/:storeId';
/** Routes of a dealer group's HQ: the victim group is the victim store's. */
const GROUP_PREFIX = '/v1/groups/:groupId';
/** The manufacturer API: the victim OEM is the first demo OEM (a store of the victim's group is franchised to it). */
const OEM_PREFIX = '/v1/oems/:oemId';

function appRoutes(): { method: string; path: string }[] {
  const app = createApp({
    routes: ALL_ROUTES,
    data: new DataAccess({ tableName: 'unused' }),
    verifyToken: async () => ({ sub: 'x', clientId: 'x', issuedAt: 0, expiresAt: 0, sessionId: '' }),
    identity: unavailableAccounts('Only the routes are read'),
    openapi: generatedOpenApi,
  });
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.method !== 'ALL')
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({ method: r.method, path: r.path.replace(/\/$/, '') || '/' }));
}

interface Victim {
  customerId: string;
  vehicleId: string;
  importId: string;
  /** A stocktake and a write-off of the victim (the demo data has no stock to make them from). */
  stocktakeId: string;
  writeOffId: string;
  /** A repair order of the victim's vehicle (the demo data has none yet). */
  repairOrderId: string;
  secrets: string[];
}

let victim: Victim;
let otherHq: string;
/**
 * The victim's ids for every path parameter: the records made above, the rest read from the demo
 * data through each collection's own list operation, so a new route needs no entry here.
 */
let victimPaths: PathValues;

beforeAll(async () => {
  useStackEnv();
  const base = `/v1/stores/${demo.storeA}`;
  const s = uniqueSuffix();
  const name = `机密客户${s}`;
  const phone = `135${s.slice(-8).padStart(8, '0')}`;
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', `${base}/customers`, {
    body: { name, phones: [{ number: phone }] },
  });
  const vin = validVin();
  const vehicle = await call<{ id: string }>(demo.advisorA, 'POST', `${base}/vehicles`, {
    body: { vin, plate: `京Q${s.slice(-5)}`, brand: 'Audi', model: 'A6L', ownerCustomerId: customer.body.id },
  });
  const uploadId = await uploadCsv(demo.managerA, demo.storeA, `name,phone\n${name},${phone}\n`);
  const imp = await call<{ id: string }>(demo.managerA, 'POST', `${base}/imports`, {
    body: { fileName: 'secret.csv', uploadId },
  });
  const stock = await stockDocuments();
  const repairOrder = await call<{ id: string }>(demo.advisorA, 'POST', `${base}/repair-orders`, {
    body: {
      source: { kind: 'walk_in' },
      customerId: customer.body.id,
      vehicleId: vehicle.body.id,
      odometerKm: 12_000,
      fuelLevel: 4,
      promisedAt: new Date(Date.now() + 86_400_000).toISOString(),
      concerns: [{ words: '机密故障描述' }],
    },
  });
  expect([customer.status, vehicle.status, imp.status, repairOrder.status]).toEqual([201, 201, 202, 201]);
  victim = {
    customerId: customer.body.id,
    vehicleId: vehicle.body.id,
    importId: imp.body.id,
    ...stock,
    repairOrderId: repairOrder.body.id,
    secrets: [
      name,
      phone,
      vin,
      customer.body.id,
      vehicle.body.id,
      stock.stocktakeId,
      stock.writeOffId,
      repairOrder.body.id,
    ],
  };
  otherHq = await provisionOtherGroup();
  // A delivery of the victim OEM, so its delivery routes have an id to be refused on.
  const oemDelivery = await WebhookOutbox.publish(
    new DataAccess({ tableName: stack.tableName }).forTenant({
      tenantId: demo.oem,
      actor: { userId: 'test', name: 'Tenancy', roles: [] },
    }),
    {
      eventId: `evt_T${s}`,
      type: 'claim.submitted',
      occurredAt: new Date().toISOString(),
      data: { claimId: `clm_T${s}` },
    },
  );
  expect(oemDelivery.deliveryIds.length).toBeGreaterThan(0);
  const stockIds = await stockPathValues();
  victim.secrets.push(stockIds.partId, stockIds.documentId);
  victimPaths = pathValues(
    await liveDocument(),
    {
      ...stockIds,
      storeId: demo.storeA,
      groupId: demo.group,
      oemId: demo.oem,
      customerId: victim.customerId,
      vehicleId: victim.vehicleId,
      importId: victim.importId,
      stocktakeId: victim.stocktakeId,
      writeOffId: victim.writeOffId,
      repairOrderId: victim.repairOrderId,
      // Lines are numbered on each order (L1 is every order's first concern).
      lineId: 'L1',
      // An approval link's token: well-formed, but no link's (a link's raw token is never stored).
      token: 'A'.repeat(43),
    },
    readAsDemoUser,
  );
});

/** Plausible bodies, so that a refusal cannot come from validation alone. */
const BODIES: Record<string, unknown> = {
  'POST /v1/stores/:storeId/customers': { name: 'Intruder', phones: [{ number: '13900000000' }] },
  'POST /v1/stores/:storeId/customers/search': { name: '机密' },
  'POST /v1/stores/:storeId/customers/phone-search': { phone: '13500000000' },
  'PATCH /v1/stores/:storeId/customers/:customerId': { notes: 'intruded' },
  'POST /v1/stores/:storeId/vehicles': { vin: '1G4AH59H45G118341', brand: 'Audi', model: 'A4L' },
  'PATCH /v1/stores/:storeId/vehicles/:vehicleId': { colour: 'intruded' },
  'POST /v1/stores/:storeId/vehicles/:vehicleId/transfer': { newOwnerCustomerId: 'cus_X' },
  'POST /v1/stores/:storeId/vehicles/:vehicleId/links': { customerId: 'cus_X', role: 'driver' },
  'POST /v1/stores/:storeId/vehicles/:vehicleId/odometer': { km: 999999 },
  'POST /v1/stores/:storeId/imports/uploads': { size: 100 },
  'POST /v1/stores/:storeId/imports': { fileName: 'x.csv', uploadId: 'upl_01JD0000000000000000000000' },
};

describe('tenant isolation on every route', () => {
  const routes = appRoutes();

  it('classifies every route: public, self-scoped, store-scoped or group-scoped', () => {
    const unclassified = routes.filter(
      (r) =>
        !PUBLIC_ROUTES.has(`${r.method} ${r.path}`) &&
        !SELF_ROUTES.has(`${r.method} ${r.path}`) &&
        !r.path.startsWith(STORE_PREFIX) &&
        !r.path.startsWith(PUBLIC_STORE_PREFIX) &&
        !r.path.startsWith(GROUP_PREFIX) &&
        !r.path.startsWith(OEM_PREFIX),
    );
    expect(unclassified).toEqual([]);
    expect(routes.filter((r) => r.path.startsWith(STORE_PREFIX)).length).toBeGreaterThanOrEqual(15);
  });

  const storeRoutes = routes.filter((r) => r.path.startsWith(STORE_PREFIX));
  const attackers = () => [
    { who: 'advisor of another store in the same group', user: demo.advisorB },
    { who: 'advisor of an independent store', user: demo.independentAdvisor },
    { who: 'HQ of another group', user: otherHq },
    { who: 'OEM user', user: demo.oemUser },
  ];

  it.each(storeRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s refuses other tenants',
    async (key, route) => {
      // Prepare: ids read from the demo data are the victim's too
      const path = await victimPaths.fill(route.path);
      const secrets = [...victim.secrets, ...victimPaths.derived()];
      for (const { who, user } of attackers()) {
        // Act
        const res = await call(user, route.method, path, {
          ...(BODIES[key] ? { body: BODIES[key] } : {}),
          headers: { 'if-match': '"1"', 'idempotency-key': `attack-${uniqueSuffix()}` },
        });
        // Assess
        expect([403, 404], `${who}: ${key} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        for (const secret of secrets) expect(res.text, `${who} saw ${secret}`).not.toContain(secret);
      }
    },
  );

  const publicStoreRoutes = routes.filter((r) => r.path.startsWith(PUBLIC_STORE_PREFIX));
  it.each(publicStoreRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s shows anyone none of the store’s records',
    async (key, route) => {
      // Prepare
      const path = await victimPaths.fill(route.path);
      const secrets = [...victim.secrets, ...victimPaths.derived()];
      // Act: anonymous, as the page is, with a body no operation takes
      const res = await call(null, route.method, path, {
        ...(route.method === 'POST' ? { body: { notAField: true } } : {}),
      });
      // Assess: an answer of its own (or a refusal), never a record of the store
      expect(res.status, `${key} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
      for (const secret of secrets) expect(res.text, `anyone saw ${secret}`).not.toContain(secret);
    },
  );

  const groupRoutes = routes.filter((r) => r.path.startsWith(GROUP_PREFIX));
  it.each(groupRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s refuses everyone but the group’s HQ',
    async (key, route) => {
      // Prepare: a user of one of the group's own stores, besides the outsiders
      const callers = [...attackers(), { who: 'advisor of a store of the group', user: demo.advisorA }];
      const path = await victimPaths.fill(route.path);
      for (const { who, user } of callers) {
        // Act
        const res = await call(user, route.method, path);
        // Assess: no figures, not even the names of the group's stores
        expect([403, 404], `${who}: ${key} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        for (const secret of [demo.storeA, demo.storeB, '华辰'])
          expect(res.text, `${who} saw ${secret}`).not.toContain(secret);
      }
    },
  );

  const oemRoutes = routes.filter((r) => r.path.startsWith(OEM_PREFIX));
  it.each(oemRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s refuses everyone but the OEM’s own',
    async (key, route) => {
      // Prepare: the other demo OEM's reviewer, stores and HQ of the group franchised to this OEM
      const callers = [
        ...attackers().filter((a) => a.user !== demo.oemUser),
        { who: 'reviewer of another OEM', user: demoUserFor('oem_claims', DEMO_OEMS[1]!.id).username },
        { who: 'HQ of a group franchised to the OEM', user: demo.hqExecutive },
        { who: 'advisor of a store franchised to the OEM', user: demo.advisorA },
      ];
      const path = await victimPaths.fill(route.path);
      const secrets = victimPaths.derived();
      for (const { who, user } of callers) {
        // Act
        const res = await call(user, route.method, path, {
          ...(route.method === 'POST' || route.method === 'PATCH'
            ? { body: { url: 'https://x.example' } }
            : {}),
          headers: { 'if-match': '"1"', 'idempotency-key': `attack-${uniqueSuffix()}` },
        });
        // Assess: exactly as for an OEM that does not exist
        expect([res.status, res.body.code], `${who}: ${key} → ${res.text.slice(0, 200)}`).toEqual([
          404,
          'OEM_NOT_FOUND',
        ]);
        for (const secret of secrets) expect(res.text, `${who} saw ${secret}`).not.toContain(secret);
      }
    },
  );

  it('answers another group’s HQ exactly as for a group that does not exist', async () => {
    const foreign = await call(otherHq, 'GET', `/v1/groups/${demo.group}/stores/figures`);
    const missing = await call(otherHq, 'GET', '/v1/groups/grp_NOSUCHGROUP/stores/figures');
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    expect(foreign.text.replace(demo.group, 'X')).toBe(missing.text.replace('grp_NOSUCHGROUP', 'X'));
  });

  it('left the victim store’s records untouched', async () => {
    const base = `/v1/stores/${demo.storeA}`;
    const c = await call<{ version: number; notes?: string }>(
      demo.advisorA,
      'GET',
      `${base}/customers/${victim.customerId}`,
    );
    const v = await call<{ version: number; colour?: string; links: unknown[] }>(
      demo.advisorA,
      'GET',
      `${base}/vehicles/${victim.vehicleId}`,
    );
    expect(c.body.version).toBe(1);
    expect(c.body.notes).toBeUndefined();
    // Version 2: the victim's own check-in recorded its odometer (12,000 km), no attacker's call.
    expect(v.body).toMatchObject({ version: 2, lastOdometerKm: 12_000 });
    expect(v.body.colour).toBeUndefined();
    expect(v.body.links).toHaveLength(1);
  });

  it('lets HQ of the owning group read the store, and only read', async () => {
    const base = `/v1/stores/${demo.storeA}`;
    const read = await call(demo.hqExecutive, 'GET', `${base}/vehicles/${victim.vehicleId}`);
    const write = await call(demo.hqExecutive, 'POST', `${base}/customers`, {
      body: BODIES[`POST ${STORE_PREFIX}/customers`],
    });
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
  });

  it('gives HQ in a store only permissions that read, in the store and in /v1/me', async () => {
    // Prepare + Act
    const store = await call<{ permissions: string[]; via: string }>(
      demo.hqExecutive,
      'GET',
      `/v1/stores/${demo.storeA}`,
    );
    const me = await call<{ stores: { via: string; permissions: string[] }[] }>(
      demo.hqExecutive,
      'GET',
      '/v1/me',
    );

    // Assess
    expect(store.body.via).toBe('group');
    expect(store.body.permissions.length).toBeGreaterThan(0);
    expect(store.body.permissions.filter((p) => !p.endsWith(':read'))).toEqual([]);
    const viaGroup = me.body.stores.filter((s) => s.via === 'group');
    expect(viaGroup.length).toBeGreaterThan(0);
    expect(viaGroup.flatMap((s) => s.permissions).filter((p) => !p.endsWith(':read'))).toEqual([]);
  });

  it('answers an over-long store, group or record id with 400, before any look-up', async () => {
    // Prepare
    const long = `st_${'A'.repeat(60)}`;
    // Act
    const store = await call<{ code: string }>(demo.hqExecutive, 'GET', `/v1/stores/${long}/customers`);
    const group = await call<{ code: string }>(
      demo.hqExecutive,
      'GET',
      `/v1/groups/grp_${'A'.repeat(60)}/stores/figures`,
    );
    const record = await call<{ code: string }>(
      demo.hqExecutive,
      'GET',
      `/v1/stores/${demo.storeA}/vehicles/${'v'.repeat(101)}`,
    );
    // Assess
    for (const answer of [store, group, record]) {
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lists in /v1/me only the stores a user may open', async () => {
    const me = await call<{ stores: { id: string }[] }>(demo.independentAdvisor, 'GET', '/v1/me');
    const hq = await call<{ stores: { id: string; via: string }[] }>(demo.hqExecutive, 'GET', '/v1/me');
    expect(me.body.stores.map((s) => s.id)).toEqual([demo.storeIndependent]);
    expect(hq.body.stores.map((s) => s.id)).toEqual(expect.arrayContaining([demo.storeA, demo.storeB]));
    expect(hq.body.stores.map((s) => s.id)).not.toContain(demo.storeIndependent);
  });
});

/** `/v1/stores/{storeId}` (the document) → `/v1/stores/:storeId` (the app). */
const appPath = (documented: string) => documented.replace(/\{(\w+)\}/g, ':$1');

describe('permissions: every operation × every role', () => {
  let doc: OpenApiDoc;
  beforeAll(async () => {
    doc = await liveDocument();
  });
  const ACCESS: readonly string[] = [...Permission.options, 'signed-in', 'public'];
  // Invalid for every body: no required field, one unknown. A refusal must not depend on the body.
  const INVALID_BODY = { notAField: true };

  it('declares a permission on every operation of the app (published as x-permission)', () => {
    const declared = new Map<string, string | undefined>(
      operationsOf(doc).map((o) => [`${o.method} ${appPath(o.path)}`, o.op['x-permission']]),
    );
    const undeclared = appRoutes()
      .map((r) => `${r.method} ${r.path}`)
      .filter((key) => !PUBLIC_ROUTES.has(key) && !ACCESS.includes(declared.get(key) ?? ''));
    expect(undeclared).toEqual([]);
  });

  it.each([...StoreRole.options, ...GroupRole.options, ...OemRole.options])(
    '%s gets 403 on exactly the operations its permissions lack, whatever the body',
    async (role) => {
      // Prepare
      const user = await provisionRoleUser(role);
      const oem = OemRole.safeParse(role).success;
      // `public` operations need no permission: every caller (and no caller) is let in.
      const granted = new Set<string>([...ROLE_PERMISSIONS[role], 'signed-in', 'public']);

      // Act: an invalid body everywhere, and no If-Match, so that an allowed call never writes
      const probe = async (target: DocOperation) => {
        const res = await call(user, target.method, await victimPaths.fill(target.path), {
          ...(target.op.requestBody ? { body: INVALID_BODY } : {}),
        });
        expectDocumentedProblem(target, res);
        const allowed = granted.has(target.op['x-permission'] ?? '');
        // An OEM's role reaches only its OEM's routes, every other role none of them: outside its
        // kind of tenant a caller is told the tenant does not exist (404), never what it may not do.
        const outside =
          target.path.startsWith('/v1/oems/') !== oem && /^\/v1\/(stores|groups|oems)\//.test(target.path);
        return { operation: target.op.operationId, allowed, status: res.status, outside };
      };
      // Signing out ends the user's token: it goes last, once every other operation has answered.
      const signsOut = (target: DocOperation) => target.op.operationId === 'signOut';
      const outcomes = await Promise.all(
        operationsOf(doc)
          .filter((t) => !signsOut(t))
          .map(probe),
      );
      for (const target of operationsOf(doc).filter(signsOut)) outcomes.push(await probe(target));

      // Assess
      expect(
        outcomes.filter((o) => (o.outside ? o.status !== 404 : o.allowed === (o.status === 403))),
      ).toEqual([]);
    },
  );
});
