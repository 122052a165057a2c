import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { claimableOrder } from '../support/claims.ts';
import { demo, demoUserWith, readAsDemoUser, uniqueSuffix, validVin } from '../support/demo.ts';
import { liveDocument, type OpenApiDoc } from '../support/openapi.ts';
import { type PathValues, pathValues } from '../support/path-values.ts';
import { approvedPlan, dayAhead, orderBodyFor } from '../support/purchasing.ts';
import { objectArbitrary, type Resolve, resolverFor } from '../support/schema-arbitrary.ts';

/**
 * Every PATCH route in /openapi.json, found there (a new one is covered without being listed here):
 * for any record and any subset of patchable fields, the fields not sent are unchanged afterwards, and
 * the audit entry lists exactly the fields whose value changed.
 */
type Json = Record<string, unknown>;
type Operation = OpenApiDoc['paths'][string][string];

let doc: OpenApiDoc;
let resolve: Resolve;
/** The collection's parent ids (a nested collection's `{vehicleId}`) come from the demo data. */
let paths: PathValues;

beforeAll(async () => {
  doc = await liveDocument();
  resolve = resolverFor(doc);
  paths = pathValues(doc, { storeId: demo.storeA, oemId: demo.oem }, readAsDemoUser);
});

const bodySchema = (op: Operation | undefined) => op?.requestBody?.content?.['application/json']?.schema;

/** `/v1/stores/{storeId}/customers/{customerId}` → the collection it is created in and its id parameter. */
function createRouteOf(itemPath: string) {
  const segments = itemPath.split('/');
  const idParam = /^\{(\w+)\}$/.exec(segments.at(-1) ?? '')?.[1];
  const collection = segments.slice(0, -1).join('/');
  return { idParam, collection, create: doc.paths[collection]?.post };
}

const hoursAhead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const CONCERN_WORDS = fc.constantFrom('刹车异响', '空调不制冷', '方向盘抖动', 'Engine light on');

/**
 * Creates whose bodies name records of the store and a slot it is open in: a valid body from the demo
 * data (random bodies would only ever be refused), the free-form fields still random where they may be.
 */
const CREATE_BODIES: Record<string, () => Promise<fc.Arbitrary<Json>>> = {
  createAppointment: async () => {
    const vehicles = await call<{ items: { id: string; owner?: { id: string } }[] }>(
      demo.managerA,
      'GET',
      `/v1/stores/${demo.storeA}/vehicles?recent=true`,
    );
    const customers = await call<{ items: { id: string }[] }>(
      demo.managerA,
      'GET',
      `/v1/stores/${demo.storeA}/customers`,
    );
    const today = new Date().toISOString().slice(0, 10);
    // Mid-week days well ahead: open, and with room for an hour.
    return fc.integer({ min: 10, max: 60 }).map((week) => {
      const day = new Date(`${today}T12:00:00Z`);
      day.setUTCDate(day.getUTCDate() + week * 7 + ((10 - day.getUTCDay()) % 7));
      return {
        customerId: customers.body.items[0]!.id,
        vehicleId: vehicles.body.items[0]!.id,
        date: day.toISOString().slice(0, 10),
        time: '10:00',
        concern: '客户描述：异响',
      };
    });
  },
  // A vehicle of its own with no readings, so any odometer fits; promised some hours ahead.
  checkInRepairOrder: async () => {
    const s = uniqueSuffix();
    const store = `/v1/stores/${demo.storeA}`;
    const customer = await call<{ id: string }>(demo.managerA, 'POST', `${store}/customers`, {
      body: { name: `属性测试${s}`, phones: [{ number: `137${s.slice(-8).padStart(8, '0')}` }] },
    });
    const vehicle = await call<{ id: string }>(demo.managerA, 'POST', `${store}/vehicles`, {
      body: { vin: validVin(), brand: 'Audi', model: 'Q5L', ownerCustomerId: customer.body.id },
    });
    return fc
      .record({ hours: fc.integer({ min: 1, max: 72 }), words: CONCERN_WORDS })
      .map(({ hours, words }) => ({
        source: { kind: 'walk_in' },
        customerId: customer.body.id,
        vehicleId: vehicle.body.id,
        odometerKm: 30_000,
        fuelLevel: 4,
        promisedAt: hoursAhead(hours),
        concerns: [{ words }, { words: '常规保养' }],
      }));
  },
  // Levels 0–100000: a random min or max alone always fits between them (max below min is a 409).
  createPart: async () =>
    fc
      .record({ zh: fc.constantFrom('机油滤清器', '刹车片'), cents: fc.integer({ min: 0, max: 1_000_000 }) })
      .map(({ zh, cents }) => ({
        partNumber: `PP${uniqueSuffix()}`,
        name: { zh },
        brand: 'Audi',
        listPrice: { amountMinor: cents, currency: 'CNY' },
        cost: { amountMinor: cents, currency: 'CNY' },
        minStock: 0,
        maxStock: 100_000,
      })),
  // An order is placed once per approved plan line: a fresh plan for each run (a reused one is a 409).
  placePurchaseOrder: async () => {
    const parts = await call<{ items: { id: string }[] }>(
      demo.managerA,
      'GET',
      `/v1/stores/${demo.storeA}/parts`,
    );
    const plans = await Promise.all(
      Array.from({ length: 30 }, () => approvedPlan([{ partId: parts.body.items[0]!.id, quantity: 1 }])),
    );
    let next = 0;
    return fc.integer({ min: 1, max: 60 }).map((days) => orderBodyFor(plans[next++ % plans.length]!, days));
  },
};

/**
 * 索赔: a claim is filed from a settled order's warranty line, once per line: a fresh order for each run
 * (made up front, one after another: they share the claims suites' technician).
 */
CREATE_BODIES.fileClaim = async () => {
  const orders: string[] = [];
  for (let i = 0; i < 26; i++) orders.push((await claimableOrder()).ro.id);
  let next = 0;
  return fc.constant(null).map(() => ({ repairOrderId: orders[next++ % orders.length]! }));
};

/**
 * 推送: an https URL (a random string is no URL), on a name that never resolves; created disabled, and
 * `enabled` left out of the patches, so that no delivery ever goes to it.
 */
const WEBHOOK_URL = fc
  .integer({ min: 1, max: 1_000_000 })
  .map((n) => `https://hooks-${n}.invalid/aftersales`);
CREATE_BODIES.createWebhookEndpoint = async () =>
  fc
    .record({ url: WEBHOOK_URL, description: fc.string({ maxLength: 40 }) })
    .map((b) => ({ ...b, enabled: false }));

/**
 * Patches whose random values would all be refused, by their PATCH operation: the document's random
 * dates are all past, and an order's expected date never is.
 */
const PATCH_BODIES: Record<string, () => fc.Arbitrary<Json>> = {
  updateWebhookEndpoint: () =>
    fc.record(
      {
        url: WEBHOOK_URL,
        description: fc.option(fc.string({ maxLength: 40 })),
        eventTypes: fc.option(fc.subarray(['claim.submitted', 'claim.accepted', 'claim.paid'])),
      },
      { requiredKeys: [] },
    ),
  reschedulePurchaseOrder: () =>
    fc.integer({ min: 0, max: 90 }).map((days) => ({ expectedOn: dayAhead(days) })),
  // A claim's line is named by the id it has (L1), its codes as the OEM writes them; warnings answered.
  updateClaim: () =>
    fc.record(
      {
        lines: fc
          .record(
            {
              conditionCode: fc.constantFrom('VIB-02', 'NOISE-01', 'LEAK-3'),
              defectCode: fc.constantFrom('DISC-TV', 'SEAL-01'),
              cause: fc.constantFrom('前制动盘厚度不均，热变形超出限值', '制动盘表面硬点导致抖动'),
            },
            { requiredKeys: [] },
          )
          .map((edit) => [{ id: 'L1', ...edit }]),
        justifications: fc
          .constantFrom('首次维修为不同部件。', '厂家技术通报要求更换。')
          .map((text) => [{ code: 'DUPLICATE_CLAIM', text }]),
      },
      { requiredKeys: [] },
    ),
  // Concerns are re-worded by the ids the order has (C1, C2), never made up.
  updateRepairOrder: () =>
    fc.record(
      {
        promisedAt: fc.integer({ min: 1, max: 96 }).map(hoursAhead),
        concerns: fc.constantFrom('C1', 'C2').chain((id) => CONCERN_WORDS.map((words) => [{ id, words }])),
      },
      { requiredKeys: [] },
    ),
};

/**
 * Fields a random patch of these records would nearly always be refused for (ids no catalogue has,
 * hours no day has room for): left out, so the property sees enough edits applied.
 */
const PATCH_LEAVES_OUT: Record<string, readonly string[]> = {
  createAppointment: ['labourOpIds', 'concernEstimate'],
  // Normalised (case, spaces) before their pattern, so the document gives them no pattern to draw from.
  createPart: ['supersedes', 'supersededBy', 'defaultBin'],
};

const IGNORED = new Set(['version', 'updatedAt']);
const changedFields = (before: Json, after: Json) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !IGNORED.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();

describe('PATCH routes change exactly the fields they name', () => {
  it('finds PATCH routes in the document, each with a create operation to make records from', () => {
    const patchPaths = Object.keys(doc.paths).filter((p) => doc.paths[p]?.patch);
    expect(patchPaths.length).toBeGreaterThanOrEqual(2);
    for (const path of patchPaths) {
      const { idParam, create } = createRouteOf(path);
      expect(idParam, path).toBeDefined();
      expect(bodySchema(create), `${path}: no POST body on its collection`).toBeDefined();
      expect(bodySchema(doc.paths[path]?.patch), `${path}: no PATCH body`).toBeDefined();
    }
  });

  it('leaves every field not sent unchanged and audits only real changes, on every PATCH route', async () => {
    const patchPaths = Object.keys(doc.paths).filter((p) => doc.paths[p]?.patch);
    for (const itemPath of patchPaths) {
      const { collection, create } = createRouteOf(itemPath);
      const fixed = CREATE_BODIES[create?.operationId ?? ''];
      const createArb = fixed ? await fixed() : objectArbitrary(bodySchema(create)!, resolve);
      const leftOut = PATCH_LEAVES_OUT[create?.operationId ?? ''] ?? [];
      const fixedPatch = PATCH_BODIES[doc.paths[itemPath]?.patch?.operationId ?? ''];
      const patchArb = (
        fixedPatch
          ? fixedPatch()
          : objectArbitrary(bodySchema(doc.paths[itemPath]?.patch)!, resolve, { atLeastOne: true })
      )
        .map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !leftOut.includes(k))))
        .filter((p) => Object.keys(p).length > 0);
      const outcomes = { applied: 0, refused: 0, unchanged: 0 };
      // A user who may create, read, patch and read the history of this record, from the seed's users
      const user = demoUserWith(
        create?.['x-permission'],
        doc.paths[itemPath]?.get?.['x-permission'],
        doc.paths[itemPath]?.patch?.['x-permission'],
        doc.paths[`${itemPath}/history`]?.get?.['x-permission'],
      );
      const collectionPath = await paths.fill(collection);

      await fc.assert(
        fc.asyncProperty(createArb, patchArb, async (createBody, patch) => {
          // Prepare: a record from a random valid create body (refused ones are discarded, not counted)
          const created = await call<Json>(user, 'POST', collectionPath, { body: createBody });
          fc.pre(created.status === 201);
          const url = `${collectionPath}/${encodeURIComponent(String(created.body.id))}`;
          const before = (await call<Json>(user, 'GET', url)).body;
          const createEntry = (await call<{ items: { id: string }[] }>(user, 'GET', `${url}/history?limit=1`))
            .body.items[0]!;

          // Act
          const res = await call<Json>(user, 'PATCH', url, {
            body: patch,
            headers: { 'if-match': created.headers.get('etag')! },
          });
          const after = (await call<Json>(user, 'GET', url)).body;
          const history = await call<{
            items: { id: string; action: string; changes: { field: string }[] }[];
          }>(user, 'GET', `${url}/history?limit=1`);

          // Assess
          // 409: the record's own rules refuse a well-formed edit (a booking's hours no longer fit its day).
          expect([200, 400, 409], res.text).toContain(res.status);
          const changed = changedFields(before, after);
          const sent = new Set(Object.keys(patch));
          expect(
            changed.filter((f) => !sent.has(f)),
            `fields not sent changed: ${JSON.stringify(patch)}`,
          ).toEqual([]);
          const newest = history.body.items[0]!;
          if (res.status >= 400 || changed.length === 0) {
            expect(after.version).toBe(before.version);
            // Still the create's entry (an aggregate may name its create, e.g. `check_in`).
            expect(newest.id).toBe(createEntry.id);
            if (res.status >= 400) outcomes.refused++;
            else outcomes.unchanged++;
          } else {
            expect(after.version).toBe(Number(before.version) + 1);
            expect(newest.action).toBe('update');
            expect(newest.changes.map((c) => c.field).sort()).toEqual(changed);
            outcomes.applied++;
          }
        }),
        { numRuns: 25 },
      );
      // A property that only ever saw refusals would prove nothing.
      expect(outcomes.applied, `${itemPath}: ${JSON.stringify(outcomes)}`).toBeGreaterThan(8);
    }
    // ~5 requests a run, 25 runs a route: the full suite on two cores needs more than the 30 s default.
  }, 180_000);
});
