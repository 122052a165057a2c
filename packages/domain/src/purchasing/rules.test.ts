import { describe, expect, it } from 'vitest';
import type { Part, PartStock } from '../parts/model.ts';
import { AppError } from '../platform/errors.ts';
import {
  InspectionInput,
  type PlanLine,
  type PurchaseOrder,
  type PurchasePlan,
  type Signature,
} from './model.ts';
import {
  bookExpected,
  decideCancellation,
  decideExpectedDate,
  decideInspection,
  decideOrder,
  decidePlanApproval,
  decidePlanCreation,
  decidePutAway,
  decideReceipt,
  decideSettlement,
  earliestExpected,
  mergeLines,
  needsOtherOrders,
  orderWithDelivery,
  type ShortageCandidate,
  shortageLines,
} from './rules.ts';

const at = '2026-12-07T08:00:00.000Z';
const today = '2026-12-07';
const by = (name: string): Signature => ({ userId: `u_${name}`, name, at });
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });

function planLine(id: string, partId: string, quantity: number): PlanLine {
  return {
    id,
    partId,
    partNumber: partId.toUpperCase(),
    name: { zh: '机油滤清器' },
    quantity,
    source: 'manual',
    documents: [],
  };
}

function draft(lines = [planLine('pl1', 'prt_a', 4), planLine('pl2', 'prt_b', 2)]): PurchasePlan {
  return decidePlanCreation({ lines }, { id: 'pp_1', storeId: 'st_1', by: by('clerk') }).next;
}

function approved(): PurchasePlan {
  const parts = decidePlanApproval(draft(), 'parts', { verdict: 'approve' }, by('parts')).next;
  return decidePlanApproval(parts, 'final', { verdict: 'approve' }, by('manager')).next;
}

const orderInput = {
  planId: 'pp_1',
  supplier: { name: '上汽大众配件' },
  payment: 'credit' as const,
  origin: 'local' as const,
  expectedOn: '2026-12-10',
  lines: [{ planLineId: 'pl1' }, { planLineId: 'pl2', unitCost: cny(3000) }],
};

function placed(): PurchaseOrder {
  return decideOrder(approved(), orderInput, () => cny(5600), {
    id: 'po_1',
    storeId: 'st_1',
    by: by('clerk'),
    today,
  }).order;
}

/** The error a rule throws, for asserting its code and field errors. */
function refusal(act: () => unknown): AppError {
  try {
    act();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the rule to refuse');
}

const received = (order = placed(), lines = [{ orderLineId: 'L1', noted: 4, delivered: 4 }]) =>
  decideReceipt(
    order,
    { orderId: order.id, deliveryNote: 'SN-1', lines },
    { id: 'rc_1', storeId: 'st_1', by: by('clerk') },
  );

const inspect = (body: unknown) => InspectionInput.parse(body);

describe('a purchase plan’s approvals (计划 → 部门 → 售后经理)', () => {
  it('is approved by the parts manager and then the after-sales manager, each signature kept', () => {
    // Prepare
    const plan = draft();

    // Act
    const first = decidePlanApproval(plan, 'parts', { verdict: 'approve' }, by('parts'));
    const second = decidePlanApproval(first.next, 'final', { verdict: 'approve' }, by('manager'));

    // Assess
    expect(first.next).toMatchObject({
      status: 'parts_approved',
      version: 2,
      partsApproval: { name: 'parts' },
    });
    expect(first.action).toBe('approve_parts');
    expect(second.next).toMatchObject({ status: 'approved', version: 3, finalApproval: { name: 'manager' } });
    expect(second.action).toBe('approve');
    expect(second.events[0]?.data).toEqual({ planId: 'pp_1', from: 'parts_approved', to: 'approved' });
  });

  it('refuses the after-sales manager before the parts manager, and any second signature', () => {
    const plan = draft();
    const early = refusal(() => decidePlanApproval(plan, 'final', { verdict: 'approve' }, by('manager')));
    expect(early.code).toBe('PURCHASE_PLAN_TRANSITION_NOT_ALLOWED');
    const once = decidePlanApproval(plan, 'parts', { verdict: 'approve' }, by('parts')).next;
    expect(refusal(() => decidePlanApproval(once, 'parts', { verdict: 'approve' }, by('parts'))).code).toBe(
      'PURCHASE_PLAN_TRANSITION_NOT_ALLOWED',
    );
    expect(
      refusal(() => decidePlanApproval(approved(), 'final', { verdict: 'reject', reason: 'x' }, by('m')))
        .status,
    ).toBe(409);
  });

  it('may be rejected at either step with its reason, and then takes no further step', () => {
    const atParts = decidePlanApproval(
      draft(),
      'parts',
      { verdict: 'reject', reason: '预算不足' },
      by('parts'),
    );
    expect(atParts.next).toMatchObject({
      status: 'rejected',
      rejection: { name: 'parts', reason: '预算不足' },
    });
    expect(atParts.action).toBe('reject');
    const signed = decidePlanApproval(draft(), 'parts', { verdict: 'approve' }, by('parts')).next;
    const atFinal = decidePlanApproval(signed, 'final', { verdict: 'reject', reason: '重复' }, by('manager'));
    expect(atFinal.next.status).toBe('rejected');
    expect(
      refusal(() => decidePlanApproval(atFinal.next, 'final', { verdict: 'approve' }, by('m'))).code,
    ).toBe('PURCHASE_PLAN_TRANSITION_NOT_ALLOWED');
  });

  it('refuses to approve a plan with nothing to buy, but lets it be rejected', () => {
    expect(refusal(() => decidePlanApproval(draft([]), 'parts', { verdict: 'approve' }, by('p'))).code).toBe(
      'PURCHASE_PLAN_EMPTY',
    );
    expect(
      decidePlanApproval(draft([]), 'parts', { verdict: 'reject', reason: '空' }, by('p')).next.status,
    ).toBe('rejected');
  });
});

describe('collecting shortages into plan lines (缺件汇总)', () => {
  const part = (minStock: number, maxStock: number) =>
    ({ id: 'prt_a', partNumber: 'A1', name: { zh: '刹车片' }, minStock, maxStock }) as Part;
  const book = (available: number) => ({ partId: 'prt_a', available }) as PartStock;
  const need = (id: string, quantity: number) => ({
    document: { type: 'appointment' as const, id },
    quantity,
  });
  let n = 0;
  const ids = () => `pl${++n}`;

  it('buys what waiting documents lack, counting stock and what is already on order', () => {
    const candidates: ShortageCandidate[] = [
      { part: part(0, 0), book: book(1), onOrder: 2, needs: [need('ap_1', 3), need('ap_2', 2)] },
    ];
    const [line] = shortageLines(candidates, ids);
    expect(line).toMatchObject({ quantity: 2, source: 'short_need' });
    expect(line?.documents.map((d) => d.id)).toEqual(['ap_1', 'ap_2']);
  });

  it('tops a part below its minimum up to its maximum, and buys nothing twice once on order', () => {
    expect(
      shortageLines([{ part: part(2, 10), book: book(1), onOrder: 0, needs: [] }], ids)[0],
    ).toMatchObject({
      quantity: 9,
      source: 'below_min',
    });
    expect(shortageLines([{ part: part(2, 10), book: book(1), onOrder: 9, needs: [] }], ids)).toEqual([]);
  });

  it('merges a part already on the draft into its line with the larger quantity', () => {
    const merged = mergeLines(
      [planLine('pl1', 'prt_a', 4)],
      [planLine('pl9', 'prt_a', 6), planLine('pl8', 'prt_c', 1)],
    );
    expect(merged.map((l) => [l.id, l.quantity])).toEqual([
      ['pl1', 6],
      ['pl8', 1],
    ]);
  });
});

describe('placing an order (下单)', () => {
  it('orders approved lines at the given or catalogue cost and marks them ordered on the plan', () => {
    // Act
    const { order, plan } = decideOrder(approved(), orderInput, () => cny(5600), {
      id: 'po_1',
      storeId: 'st_1',
      by: by('clerk'),
      today,
    });

    // Assess
    expect(order).toMatchObject({ status: 'open', expectedOn: '2026-12-10', version: 1 });
    expect(order.lines.map((l) => [l.partId, l.quantity, l.unitCost.amountMinor])).toEqual([
      ['prt_a', 4, 5600],
      ['prt_b', 2, 3000],
    ]);
    expect(plan.lines.map((l) => l.orderId)).toEqual(['po_1', 'po_1']);
  });

  it('refuses a plan not approved, a past date, an unknown line and a line ordered twice', () => {
    const where = { id: 'po_2', storeId: 'st_1', by: by('clerk'), today };
    const none = () => undefined;
    expect(refusal(() => decideOrder(draft(), orderInput, none, where)).code).toBe(
      'PURCHASE_PLAN_NOT_APPROVED',
    );
    expect(
      refusal(() => decideOrder(approved(), { ...orderInput, expectedOn: '2026-12-06' }, none, where)).status,
    ).toBe(400);
    expect(
      refusal(() => decideOrder(approved(), { ...orderInput, lines: [{ planLineId: 'nope' }] }, none, where))
        .status,
    ).toBe(400);
    const { plan } = decideOrder(approved(), { ...orderInput, lines: [{ planLineId: 'pl1' }] }, none, where);
    expect(refusal(() => decideOrder(plan, orderInput, none, where)).code).toBe('PLAN_LINE_ALREADY_ORDERED');
  });
});

describe('moving an order’s expected date (改期)', () => {
  it('moves an open order’s date with a version and an event naming both dates', () => {
    const decision = decideExpectedDate(placed(), { expectedOn: '2026-12-20' }, { today, at });
    expect(decision?.next).toMatchObject({ expectedOn: '2026-12-20', version: 2 });
    expect(decision?.changes.map((c) => c.field)).toEqual(['expectedOn']);
    expect(decision?.events[0]?.data).toEqual({ orderId: 'po_1', from: '2026-12-10', to: '2026-12-20' });
  });

  it('is no change for the same date, and refuses a past date or a closed order', () => {
    expect(decideExpectedDate(placed(), { expectedOn: '2026-12-10' }, { today, at })).toBeUndefined();
    expect(
      refusal(() => decideExpectedDate(placed(), { expectedOn: '2026-12-01' }, { today, at })).status,
    ).toBe(400);
    const closed = decideCancellation(
      placed(),
      {
        lines: [
          { orderLineId: 'L1', quantity: 4 },
          { orderLineId: 'L2', quantity: 2 },
        ],
        reason: '停产',
      },
      at,
    );
    expect(closed.status).toBe('closed');
    expect(refusal(() => decideExpectedDate(closed, { expectedOn: '2026-12-20' }, { today, at })).code).toBe(
      'PURCHASE_ORDER_CLOSED',
    );
  });
});

describe('the part’s book shows the earliest open expected date (预计到货)', () => {
  it('takes an earlier or first date and keeps an earlier one another order holds', () => {
    expect(bookExpected(undefined, { after: '2026-12-20' })).toBe('2026-12-20');
    expect(bookExpected('2026-12-20', { after: '2026-12-10' })).toBe('2026-12-10');
    // A later second order does not push the first one's date back.
    expect(bookExpected('2026-12-10', { after: '2026-12-20' })).toBe('2026-12-10');
    expect(needsOtherOrders('2026-12-10', { after: '2026-12-20' })).toBe(false);
    expect(bookExpected('2026-12-05', { before: '2026-12-10' })).toBe('2026-12-05');
  });

  it('works the date out again from the other orders when the order holding it leaves or moves later', () => {
    expect(needsOtherOrders('2026-12-10', { before: '2026-12-10' })).toBe(true);
    expect(bookExpected('2026-12-10', { before: '2026-12-10' }, ['2026-12-15', '2026-12-12'])).toBe(
      '2026-12-12',
    );
    expect(bookExpected('2026-12-10', { before: '2026-12-10' }, [])).toBeUndefined();
    expect(bookExpected('2026-12-10', { before: '2026-12-10', after: '2026-12-30' }, ['2026-12-15'])).toBe(
      '2026-12-15',
    );
    expect(bookExpected('2026-12-10', { before: '2026-12-10', after: '2026-12-12' }, ['2026-12-15'])).toBe(
      '2026-12-12',
    );
    expect(earliestExpected(['2026-12-15', '2026-11-30'])).toBe('2026-11-30');
  });
});

describe('cancelling order lines', () => {
  it('cancels part of a line and leaves the order open, closing it when nothing is outstanding', () => {
    const some = decideCancellation(
      placed(),
      { lines: [{ orderLineId: 'L1', quantity: 1 }], reason: '减量' },
      at,
    );
    expect(some).toMatchObject({ status: 'open', version: 2 });
    expect(some.lines[0]?.cancelled).toBe(1);
    expect(
      refusal(() =>
        decideCancellation(some, { lines: [{ orderLineId: 'L1', quantity: 4 }], reason: 'x' }, at),
      ).status,
    ).toBe(400);
  });

  it('refuses the same line named twice instead of cancelling only the first', () => {
    const twice = {
      lines: [
        { orderLineId: 'L1', quantity: 2 },
        { orderLineId: 'L1', quantity: 2 },
      ],
      reason: '重复',
    };
    const error = refusal(() => decideCancellation(placed(), twice, at));
    expect(error.status).toBe(400);
  });
});

describe('receiving through three inspections (三检)', () => {
  it('第一检: records what the note says and what was counted, within what is outstanding', () => {
    const receipt = received(placed(), [{ orderLineId: 'L1', noted: 4, delivered: 3 }]);
    expect(receipt).toMatchObject({ status: 'delivered', supplier: '上汽大众配件', deliveryNote: 'SN-1' });
    expect(receipt.lines[0]).toMatchObject({ noted: 4, delivered: 3, unitCost: cny(5600) });
    expect(refusal(() => received(placed(), [{ orderLineId: 'L1', noted: 5, delivered: 5 }])).status).toBe(
      400,
    );
    expect(refusal(() => received(placed(), [{ orderLineId: 'L1', noted: 2, delivered: 3 }])).status).toBe(
      400,
    );
    expect(
      refusal(() =>
        received(placed(), [
          { orderLineId: 'L1', noted: 1, delivered: 1 },
          { orderLineId: 'L1', noted: 1, delivered: 1 },
        ]),
      ).status,
    ).toBe(400);
  });

  it('checks a second delivery against what the first one, not yet put away, left outstanding', () => {
    // Prepare: 4 ordered on L1; a delivery of 3 recorded, not yet put away
    const first = received(placed(), [{ orderLineId: 'L1', noted: 3, delivered: 3 }]);
    const order = orderWithDelivery(placed(), first);

    // Act
    const tooMuch = refusal(() => received(order, [{ orderLineId: 'L1', noted: 2, delivered: 2 }]));
    const second = received(order, [{ orderLineId: 'L1', noted: 1, delivered: 1 }]);
    const both = orderWithDelivery(order, second);
    const inspected = decideInspection(
      first,
      inspect({ lines: [{ orderLineId: 'L1', accepted: 3 }] }),
      by('k'),
    );
    const { order: afterFirst } = decidePutAway(inspected.next, both, new Map(), by('k'));

    // Assess
    expect(tooMuch.status).toBe(400);
    expect(order.lines[0]).toMatchObject({ inTransit: 3, received: 0 });
    expect(both.lines[0]?.inTransit).toBe(4);
    expect(afterFirst.lines[0]).toMatchObject({ received: 3, inTransit: 1 });
    expect(afterFirst.status).toBe('open');
    expect(refusal(() => received(afterFirst, [{ orderLineId: 'L1', noted: 1, delivered: 1 }])).status).toBe(
      400,
    );
  });

  it('第二检: accepted and refused must add up to what was delivered, each line once', () => {
    const receipt = received();
    expect(
      refusal(() =>
        decideInspection(receipt, inspect({ lines: [{ orderLineId: 'L1', accepted: 3 }] }), by('k')),
      ).status,
    ).toBe(400);
    const twice = inspect({
      lines: [
        { orderLineId: 'L1', accepted: 4 },
        { orderLineId: 'L1', accepted: 0, refused: [{ quantity: 4, reason: 'damaged' }] },
      ],
    });
    expect(refusal(() => decideInspection(receipt, twice, by('k'))).status).toBe(400);
    const clean = decideInspection(
      receipt,
      inspect({ lines: [{ orderLineId: 'L1', accepted: 4 }] }),
      by('k'),
    );
    expect(clean.next).toMatchObject({ status: 'inspected', inspected: { name: 'k' } });
    expect(clean.next.discrepancy).toBeUndefined();
    expect(clean.events[0]?.data).toMatchObject({ discrepancy: false });
  });

  it('第二检: refusals and a shortfall make the 差损单, damage alone claimed from the carrier', () => {
    // Prepare: 4 noted, 3 delivered, 1 of them broken
    const receipt = received(placed(), [{ orderLineId: 'L1', noted: 4, delivered: 3 }]);

    // Act
    const mixed = decideInspection(
      receipt,
      inspect({ lines: [{ orderLineId: 'L1', accepted: 2, refused: [{ quantity: 1, reason: 'damaged' }] }] }),
      by('k'),
    ).next;
    const damagedOnly = decideInspection(
      received(),
      inspect({
        lines: [{ orderLineId: 'L1', accepted: 3, refused: [{ quantity: 1, reason: 'damaged' }] }],
        carrier: '顺丰',
      }),
      by('k'),
    ).next;

    // Assess
    expect(mixed.discrepancy?.lines.map((l) => [l.reason, l.quantity, l.amount.amountMinor])).toEqual([
      ['damaged', 1, 5600],
      ['short', 1, 5600],
    ]);
    expect(mixed.discrepancy?.claim).toMatchObject({
      against: 'supplier',
      party: '上汽大众配件',
      amount: cny(11200),
      status: 'open',
    });
    expect(damagedOnly.discrepancy?.claim).toMatchObject({ against: 'carrier', party: '顺丰' });
  });

  it('第三检: put-away counts received and refused on the order; a partial delivery leaves it open', () => {
    // Prepare: 3 of the 4 on L1 accepted, 1 refused; L2 not delivered yet
    const order = placed();
    const receipt = decideInspection(
      received(order),
      inspect({
        lines: [{ orderLineId: 'L1', accepted: 3, refused: [{ quantity: 1, reason: 'wrong_part' }] }],
      }),
      by('k'),
    ).next;

    // Act
    const done = decidePutAway(
      receipt,
      order,
      new Map([['L1', { bin: 'A-01-1-01', movementId: 'mv_1' }]]),
      by('k'),
    );

    // Assess
    expect(done.receipt.next).toMatchObject({ status: 'put_away', putAway: { name: 'k' } });
    expect(done.receipt.next.lines[0]).toMatchObject({ bin: 'A-01-1-01', movementId: 'mv_1' });
    expect(done.order.lines[0]).toMatchObject({ received: 3, refused: 1 });
    expect(done.order).toMatchObject({ status: 'open', version: 2 });
    expect(refusal(() => decidePutAway(done.receipt.next, order, new Map(), by('k'))).code).toBe(
      'RECEIPT_STEP_NOT_ALLOWED',
    );
    expect(refusal(() => decidePutAway(received(order), order, new Map(), by('k'))).code).toBe(
      'RECEIPT_STEP_NOT_ALLOWED',
    );
  });

  it('closes the order when the last outstanding quantity is put away, and refuses deliveries after', () => {
    const order = decideCancellation(
      placed(),
      { lines: [{ orderLineId: 'L2', quantity: 2 }], reason: '停产' },
      at,
    );
    const receipt = decideInspection(
      received(order),
      inspect({ lines: [{ orderLineId: 'L1', accepted: 4 }] }),
      by('k'),
    ).next;
    const { order: after } = decidePutAway(receipt, order, new Map(), by('k'));
    expect(after).toMatchObject({ status: 'closed', closedAt: at });
    expect(refusal(() => received(after)).code).toBe('PURCHASE_ORDER_CLOSED');
  });

  it('settles a claim once, and refuses a receipt without a report', () => {
    const reported = decideInspection(
      received(placed(), [{ orderLineId: 'L1', noted: 4, delivered: 2 }]),
      inspect({ lines: [{ orderLineId: 'L1', accepted: 2 }] }),
      by('k'),
    ).next;
    const settled = decideSettlement(reported, '供应商补发', by('parts')).next;
    expect(settled.discrepancy?.claim).toMatchObject({ status: 'settled', note: '供应商补发' });
    expect(refusal(() => decideSettlement(settled, undefined, by('parts'))).code).toBe('CLAIM_SETTLED');
    expect(refusal(() => decideSettlement(received(), undefined, by('parts'))).code).toBe('NO_DISCREPANCY');
  });
});
