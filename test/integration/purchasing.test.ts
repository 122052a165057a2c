import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import type { Part, PurchaseOrder, PurchasePlan, Receipt } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { approvedPlan, dayAhead, orderBodyFor } from '../support/purchasing.ts';

/**
 * 计划 → 采购 → 三检 → 上架 through the API: shortages collected into a plan, two approvals in order,
 * an order whose expected date reaches the part's book, two deliveries with a damaged line and its
 * discrepancy report, and the ledger showing what was put away.
 */
beforeAll(() => useStackEnv());

const base = `/v1/stores/${demo.storeA}/purchasing`;
const partsManager = demoUserFor('parts_manager', demo.storeA).username;
const clerk = demoUserFor('parts_clerk', demo.storeA).username;
const keeper = demoUserFor('warehouse_keeper', demo.storeA).username;
const serviceManager = demo.managerA;

function tenant() {
  const data = new DataAccess({ tableName: stack.tableName });
  const t = data.forTenant({
    tenantId: demo.storeA,
    actor: { userId: 'advisor', name: 'Advisor', roles: ['service_advisor'] },
  });
  return { t, parts: t.repo(Parts), ledger: t.repo(StockLedger) };
}

async function newPart(fields: { minStock: number; maxStock: number; costMinor: number }): Promise<Part> {
  const { part } = await tenant().parts.create({
    partNumber: `PU-${uniqueSuffix()}`,
    name: { zh: '刹车片', en: 'Brake pads' },
    brand: 'Audi',
    models: [],
    unit: 'set',
    listPrice: { amountMinor: 2 * fields.costMinor, currency: 'CNY' },
    cost: { amountMinor: fields.costMinor, currency: 'CNY' },
    minStock: fields.minStock,
    maxStock: fields.maxStock,
    defaultBin: 'A-01-1-01',
    active: true,
  });
  return part;
}

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

describe('purchasing and receiving', () => {
  it('plans from shortages, approves in two steps, orders, and receives in two deliveries with a claim', async () => {
    // Prepare: a part below its minimum (0 of min 4, max 10) and a booking short of another (needs 3).
    const lowPart = await newPart({ minStock: 4, maxStock: 10, costMinor: 5000 });
    const neededPart = await newPart({ minStock: 0, maxStock: 0, costMinor: 12000 });
    const booking = { type: 'appointment' as const, id: `appt_${uniqueSuffix()}` };
    const { t, ledger } = tenant();
    await t.table.transact([ledger.markShort(neededPart, booking, 3)]);

    // Act: plan, collect, approvals (wrong role, wrong order, right order)
    const plan = await call<PurchasePlan>(clerk, 'POST', `${base}/plans`, {
      body: { note: 'weekly' },
      headers: { 'idempotency-key': `plan-${uniqueSuffix()}` },
    });
    const collected = await call<PurchasePlan>(clerk, 'POST', `${base}/plans/${plan.body.id}/collect`, {
      headers: ifMatch(plan.body.version),
    });
    const v = collected.body.version;
    const finalFirst = await call<{ code: string; allowed: string[] }>(
      serviceManager,
      'POST',
      `${base}/plans/${plan.body.id}/final-approval`,
      {
        body: { verdict: 'approve' },
        headers: ifMatch(v),
      },
    );
    const byClerk = await call(clerk, 'POST', `${base}/plans/${plan.body.id}/parts-approval`, {
      body: { verdict: 'approve' },
      headers: ifMatch(v),
    });
    const byServiceManager = await call(
      serviceManager,
      'POST',
      `${base}/plans/${plan.body.id}/parts-approval`,
      {
        body: { verdict: 'approve' },
        headers: ifMatch(v),
      },
    );
    const partsOk = await call<PurchasePlan>(
      partsManager,
      'POST',
      `${base}/plans/${plan.body.id}/parts-approval`,
      {
        body: { verdict: 'approve' },
        headers: ifMatch(v),
      },
    );
    const addAfter = await call(clerk, 'POST', `${base}/plans/${plan.body.id}/lines`, {
      body: { partId: lowPart.id, quantity: 1 },
      headers: ifMatch(partsOk.body.version),
    });
    const approved = await call<PurchasePlan>(
      serviceManager,
      'POST',
      `${base}/plans/${plan.body.id}/final-approval`,
      {
        body: { verdict: 'approve' },
        headers: ifMatch(partsOk.body.version),
      },
    );

    // Assess the plan
    expect(plan.status, plan.text).toBe(201);
    expect(collected.status, collected.text).toBe(200);
    const lowLine = collected.body.lines.find((l) => l.partId === lowPart.id);
    const needLine = collected.body.lines.find((l) => l.partId === neededPart.id);
    expect(lowLine).toMatchObject({ quantity: 10, source: 'below_min' });
    expect(needLine).toMatchObject({ quantity: 3, source: 'short_need', documents: [booking] });
    // Out of order: the after-sales manager cannot sign before the parts manager.
    expect(finalFirst.status).toBe(409);
    expect(finalFirst.body).toMatchObject({
      code: 'PURCHASE_PLAN_TRANSITION_NOT_ALLOWED',
      allowed: ['parts_approved', 'rejected'],
    });
    expect(byClerk.status).toBe(403);
    expect(byServiceManager.status).toBe(403);
    expect(partsOk.status, partsOk.text).toBe(200);
    expect(partsOk.body.status).toBe('parts_approved');
    expect(addAfter.status).toBe(409);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', finalApproval: { name: expect.any(String) } });
    const again = await call<{ code: string; allowed: string[] }>(
      partsManager,
      'POST',
      `${base}/plans/${plan.body.id}/parts-approval`,
      { body: { verdict: 'approve' }, headers: ifMatch(approved.body.version) },
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PURCHASE_PLAN_TRANSITION_NOT_ALLOWED');

    // Act: the order (idempotent), and its expected date on the parts' books
    const orderBody = {
      planId: plan.body.id,
      supplier: { name: '一汽奥迪配件中心' },
      payment: 'credit',
      origin: 'out_of_town',
      expectedOn: '2099-01-15',
      lines: [{ planLineId: lowLine!.id }, { planLineId: needLine!.id }],
    };
    const key = `po-${uniqueSuffix()}`;
    const order = await call<PurchaseOrder>(clerk, 'POST', `${base}/orders`, {
      body: orderBody,
      headers: { 'idempotency-key': key },
    });
    const replay = await call<PurchaseOrder>(clerk, 'POST', `${base}/orders`, {
      body: orderBody,
      headers: { 'idempotency-key': key },
    });
    const twice = await call<{ code: string }>(clerk, 'POST', `${base}/orders`, { body: orderBody });
    expect(order.status, order.text).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(order.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('PLAN_LINE_ALREADY_ORDERED');
    expect((await ledger.book(lowPart.id)).expectedOn).toBe('2099-01-15');
    expect((await ledger.book(neededPart.id)).expectedOn).toBe('2099-01-15');
    const lowOrderLine = order.body.lines.find((l) => l.partId === lowPart.id)!;
    const needOrderLine = order.body.lines.find((l) => l.partId === neededPart.id)!;

    // Act: first delivery — the low part's 10 in full but 2 damaged; the needed part 2 of 3 noted, 1 counted
    const first = await call<Receipt>(clerk, 'POST', `${base}/receipts`, {
      body: {
        orderId: order.body.id,
        deliveryNote: 'DN-001',
        lines: [
          { orderLineId: lowOrderLine.id, noted: 10, delivered: 10 },
          { orderLineId: needOrderLine.id, noted: 2, delivered: 1 },
        ],
      },
    });
    const putTooEarly = await call<{ code: string }>(
      keeper,
      'POST',
      `${base}/receipts/${first.body.id}/put-away`,
      {
        body: {},
        headers: ifMatch(first.body.version),
      },
    );
    const badInspection = await call<{ fieldErrors: { path: string }[] }>(
      keeper,
      'POST',
      `${base}/receipts/${first.body.id}/inspection`,
      {
        body: { lines: [{ orderLineId: lowOrderLine.id, accepted: 9 }] },
        headers: ifMatch(first.body.version),
      },
    );
    const inspected = await call<Receipt>(keeper, 'POST', `${base}/receipts/${first.body.id}/inspection`, {
      body: {
        lines: [
          { orderLineId: lowOrderLine.id, accepted: 8, refused: [{ quantity: 2, reason: 'damaged' }] },
          { orderLineId: needOrderLine.id, accepted: 1 },
        ],
        carrier: '顺丰物流',
      },
      headers: ifMatch(first.body.version),
    });
    const putAway = await call<Receipt>(keeper, 'POST', `${base}/receipts/${first.body.id}/put-away`, {
      body: { lines: [{ orderLineId: needOrderLine.id, bin: 'b-02-1-03' }] },
      headers: ifMatch(inspected.body.version),
    });
    const afterFirst = await call<PurchaseOrder>(clerk, 'GET', `${base}/orders/${order.body.id}`);

    // Assess the first delivery
    expect(first.status, first.text).toBe(201);
    expect(putTooEarly.status).toBe(409);
    expect(putTooEarly.body.code).toBe('RECEIPT_STEP_NOT_ALLOWED');
    expect(badInspection.status).toBe(400);
    expect(badInspection.body.fieldErrors.map((e) => e.path)).toContain('lines');
    expect(inspected.status, inspected.text).toBe(200);
    expect(inspected.body.discrepancy?.lines).toEqual([
      expect.objectContaining({ orderLineId: lowOrderLine.id, quantity: 2, reason: 'damaged' }),
      expect.objectContaining({ orderLineId: needOrderLine.id, quantity: 1, reason: 'short' }),
    ]);
    expect(inspected.body.discrepancy?.claim).toMatchObject({
      against: 'supplier',
      amount: { amountMinor: 2 * 5000 + 12000 },
      status: 'open',
    });
    expect(putAway.status, putAway.text).toBe(200);
    expect(putAway.body.status).toBe('put_away');
    expect(afterFirst.body.status).toBe('open');
    expect(afterFirst.body.lines.find((l) => l.id === lowOrderLine.id)).toMatchObject({
      received: 8,
      refused: 2,
    });
    expect(afterFirst.body.lines.find((l) => l.id === needOrderLine.id)).toMatchObject({ received: 1 });
    const lowBook = await ledger.book(lowPart.id);
    expect(lowBook).toMatchObject({ onHand: 8, expectedOn: '2099-01-15' });
    const moved = (await ledger.movementsOf({ type: 'receipt', id: first.body.id }, { limit: 10 })).items;
    expect(moved.map((m) => [m.partId, m.kind, m.quantity, m.bin]).sort()).toEqual(
      [
        [lowPart.id, 'receive', 8, 'A-01-1-01'],
        [neededPart.id, 'receive', 1, 'B-02-1-03'],
      ].sort(),
    );
    expect(putAway.body.lines.every((l) => moved.some((m) => m.id === l.movementId))).toBe(true);

    // Act: second delivery — the rest; the claim settled
    const second = await call<Receipt>(clerk, 'POST', `${base}/receipts`, {
      body: {
        orderId: order.body.id,
        deliveryNote: 'DN-002',
        lines: [
          { orderLineId: lowOrderLine.id, noted: 2, delivered: 2 },
          { orderLineId: needOrderLine.id, noted: 2, delivered: 2 },
        ],
      },
      headers: { 'idempotency-key': `rc-${uniqueSuffix()}` },
    });
    const inspected2 = await call<Receipt>(keeper, 'POST', `${base}/receipts/${second.body.id}/inspection`, {
      body: {
        lines: [
          { orderLineId: lowOrderLine.id, accepted: 2 },
          { orderLineId: needOrderLine.id, accepted: 2 },
        ],
      },
      headers: ifMatch(second.body.version),
    });
    const putAway2 = await call<Receipt>(keeper, 'POST', `${base}/receipts/${second.body.id}/put-away`, {
      body: {},
      headers: ifMatch(inspected2.body.version),
    });
    const afterSecond = await call<PurchaseOrder>(clerk, 'GET', `${base}/orders/${order.body.id}`);
    const reports = await call<{ items: { receiptId: string }[] }>(keeper, 'GET', `${base}/discrepancies`);
    const settled = await call<Receipt>(clerk, 'POST', `${base}/receipts/${first.body.id}/claim-settlement`, {
      body: { note: '供应商补发并赔付' },
      headers: ifMatch(putAway.body.version),
    });
    const late = await call<{ code: string }>(clerk, 'POST', `${base}/receipts`, {
      body: {
        orderId: order.body.id,
        deliveryNote: 'DN-003',
        lines: [{ orderLineId: lowOrderLine.id, noted: 1, delivered: 1 }],
      },
    });

    // Assess the second delivery
    expect(second.status, second.text).toBe(201);
    expect(inspected2.body.discrepancy).toBeUndefined();
    expect(putAway2.status, putAway2.text).toBe(200);
    expect(afterSecond.body.status).toBe('closed');
    expect(await ledger.book(lowPart.id)).toMatchObject({ onHand: 10 });
    expect((await ledger.book(lowPart.id)).expectedOn).toBeUndefined();
    expect((await ledger.book(neededPart.id)).expectedOn).toBeUndefined();
    expect(reports.body.items.some((r) => r.receiptId === first.body.id)).toBe(true);
    expect(settled.status, settled.text).toBe(200);
    expect(settled.body.discrepancy?.claim.status).toBe('settled');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PURCHASE_ORDER_CLOSED');
  });

  it('shows the earliest open expected date on the book, through concurrent orders, 改期 and cancellation', async () => {
    // Prepare: one part, three approved plans of it
    const part = await newPart({ minStock: 0, maxStock: 0, costMinor: 3000 });
    const { ledger } = tenant();
    const plans = await Promise.all([1, 2, 3].map(() => approvedPlan([{ partId: part.id, quantity: 2 }])));
    const place = async (body: ReturnType<typeof orderBodyFor>) => {
      // A concurrent order of the same part may be asked to retry.
      for (;;) {
        const res = await call<PurchaseOrder>(clerk, 'POST', `${base}/orders`, { body });
        if (res.status !== 409) return res;
      }
    };

    // Act: the later and the earlier order placed at once, then a third later still
    const [later, earlier] = await Promise.all([
      place(orderBodyFor(plans[0]!, 20)),
      place(orderBodyFor(plans[1]!, 10)),
    ]);
    const latest = await place(orderBodyFor(plans[2]!, 30));

    // Assess: the earliest wins, whichever was written last
    expect([later.status, earlier.status, latest.status], later.text).toEqual([201, 201, 201]);
    expect((await ledger.book(part.id)).expectedOn).toBe(dayAhead(10));

    // Act: the supplier moves the earliest delivery back, then the latest one forward
    const movedBack = await call<PurchaseOrder>(clerk, 'PATCH', `${base}/orders/${earlier.body.id}`, {
      body: { expectedOn: dayAhead(40) },
      headers: ifMatch(earlier.body.version),
    });
    const afterBack = (await ledger.book(part.id)).expectedOn;
    const movedForward = await call<PurchaseOrder>(clerk, 'PATCH', `${base}/orders/${latest.body.id}`, {
      body: { expectedOn: dayAhead(5) },
      headers: ifMatch(latest.body.version),
    });
    const afterForward = (await ledger.book(part.id)).expectedOn;
    const cancelled = await call<PurchaseOrder>(
      clerk,
      'POST',
      `${base}/orders/${latest.body.id}/cancellation`,
      {
        body: { lines: [{ orderLineId: latest.body.lines[0]!.id, quantity: 2 }], reason: '供应商停产' },
        headers: ifMatch(movedForward.body.version),
      },
    );
    const afterCancel = (await ledger.book(part.id)).expectedOn;

    // Assess: the book follows, the order keeps a history of the move
    expect(movedBack.status, movedBack.text).toBe(200);
    expect(movedBack.body).toMatchObject({ expectedOn: dayAhead(40), version: earlier.body.version + 1 });
    expect(afterBack).toBe(dayAhead(20));
    expect(movedForward.status, movedForward.text).toBe(200);
    expect(afterForward).toBe(dayAhead(5));
    expect(cancelled.body.status).toBe('closed');
    expect(afterCancel).toBe(dayAhead(20));
    const history = await call<{ items: { action: string; changes: { field: string }[] }[] }>(
      clerk,
      'GET',
      `${base}/orders/${earlier.body.id}/history`,
    );
    expect(history.body.items[0]).toMatchObject({ action: 'update', changes: [{ field: 'expectedOn' }] });

    // Act: moves refused — a closed order, a past date, a stale version, a warehouse keeper
    const closed = await call<{ code: string }>(clerk, 'PATCH', `${base}/orders/${latest.body.id}`, {
      body: { expectedOn: dayAhead(50) },
      headers: ifMatch(cancelled.body.version),
    });
    const past = await call<{ fieldErrors: { path: string }[] }>(
      clerk,
      'PATCH',
      `${base}/orders/${later.body.id}`,
      {
        body: { expectedOn: dayAhead(-1) },
        headers: ifMatch(later.body.version),
      },
    );
    const stale = await call(clerk, 'PATCH', `${base}/orders/${earlier.body.id}`, {
      body: { expectedOn: dayAhead(45) },
      headers: ifMatch(earlier.body.version),
    });
    const byKeeper = await call(keeper, 'PATCH', `${base}/orders/${later.body.id}`, {
      body: { expectedOn: dayAhead(45) },
      headers: ifMatch(later.body.version),
    });

    // Assess
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('PURCHASE_ORDER_CLOSED');
    expect(past.status).toBe(400);
    expect(past.body.fieldErrors.map((e) => e.path)).toEqual(['expectedOn']);
    expect(stale.status).toBe(409);
    expect(byKeeper.status).toBe(403);
    expect((await ledger.book(part.id)).expectedOn).toBe(dayAhead(20));
  });

  it('refuses bad input with field errors and replays an idempotent plan', async () => {
    // Prepare
    const key = `plan-${uniqueSuffix()}`;
    // Act
    const bad = await call<{ fieldErrors: { path: string }[] }>(clerk, 'POST', `${base}/plans`, {
      body: { lines: [{ partId: 'prt_nope', quantity: 0 }] },
    });
    const unknownPart = await call<{ fieldErrors: { path: string; code?: string }[] }>(
      clerk,
      'POST',
      `${base}/plans`,
      {
        body: { lines: [{ partId: 'prt_nope', quantity: 1 }] },
      },
    );
    const badOrder = await call<{ fieldErrors: { path: string }[] }>(clerk, 'POST', `${base}/orders`, {
      body: {
        planId: 'pp_x',
        supplier: { name: '' },
        payment: 'iou',
        origin: 'local',
        expectedOn: 'soon',
        lines: [],
      },
    });
    const first = await call<PurchasePlan>(clerk, 'POST', `${base}/plans`, {
      body: {},
      headers: { 'idempotency-key': key },
    });
    const second = await call<PurchasePlan>(clerk, 'POST', `${base}/plans`, {
      body: {},
      headers: { 'idempotency-key': key },
    });
    const byKeeper = await call(keeper, 'POST', `${base}/plans`, { body: {} });
    const rejected = await call<PurchasePlan>(
      partsManager,
      'POST',
      `${base}/plans/${first.body.id}/parts-approval`,
      {
        body: { verdict: 'reject' },
        headers: ifMatch(first.body.version),
      },
    );
    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.map((e) => e.path)).toContain('lines.0.quantity');
    expect(unknownPart.status).toBe(400);
    expect(unknownPart.body.fieldErrors[0]).toMatchObject({ path: 'lines.0.partId', code: 'PART_NOT_FOUND' });
    expect(badOrder.status).toBe(400);
    expect(badOrder.body.fieldErrors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['supplier.name', 'payment', 'expectedOn', 'lines']),
    );
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(byKeeper.status).toBe(403);
    expect(rejected.status).toBe(400);
  });
});
