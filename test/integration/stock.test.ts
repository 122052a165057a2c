import { Parts } from '@aftersales/data/parts';
import { Shortages } from '@aftersales/data/purchasing';
import { type Part, PICK_SHELF_BIN } from '@aftersales/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../support/api.ts';
import { demo, midweek, uniqueSuffix } from '../support/demo.ts';
import { newPart, tenantOf } from '../support/parts.ts';

/** 出入库 over HTTP: movements, stock by location, a booking's reservations and pick list. */
const keeper = 'warehouse.bj';
const store = `/v1/stores/${demo.storeA}`;
const movementsOf = (part: Part) => `${store}/parts/${part.id}/movements`;

interface Movement {
  id: string;
  kind: string;
  onHandDelta: number;
}
interface Problem {
  code: string;
  fieldErrors?: { path: string }[];
  where?: string;
  asked?: number;
  have?: number;
}
interface NeededPart {
  partNumber: string;
  partId?: string;
  status: string;
  reserved: number;
  available: number;
  expectedOn?: string;
  supersededBy?: string;
}

function move(part: Part, body: Record<string, unknown>, user = keeper, key?: string) {
  return call<Movement & Problem>(user, 'POST', movementsOf(part), {
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

/** Book = sum of the ledger's on-hand changes = sum of the shelves (帐卡物相符), all read over HTTP. */
async function expectAgreement(part: Part, bins: string[]): Promise<number> {
  const ledger = await call<{ items: Movement[] }>(keeper, 'GET', `${movementsOf(part)}?limit=100`);
  const onCard = ledger.body.items.reduce((n, m) => n + m.onHandDelta, 0);
  let onShelves = 0;
  for (const bin of bins) {
    const page = await call<{ items: { partId: string; onHand: number }[] }>(
      keeper,
      'GET',
      `${store}/stock/bins?location=${bin}`,
    );
    onShelves += page.body.items.filter((b) => b.partId === part.id).reduce((n, b) => n + b.onHand, 0);
  }
  expect(onShelves).toBe(onCard);
  return onCard;
}

let party: { customerId: string; vehicleId: string };

beforeAll(async () => {
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', `${store}/customers`, {
    body: { kind: 'individual', name: `备件${uniqueSuffix()}`, phones: [{ number: '13800138000' }] },
  });
  const vehicles = await call<{ items: { id: string }[] }>(
    demo.advisorA,
    'GET',
    `${store}/vehicles?recent=true`,
  );
  party = { customerId: customer.body.id, vehicleId: vehicles.body.items[0]!.id };
});

async function bookWith(parts: { partNumber: string; quantity: number }[], date = midweek(9)) {
  const res = await call<{ id: string; version: number }>(demo.advisorA, 'POST', `${store}/appointments`, {
    body: { ...party, date, time: '09:00', concern: '保养', parts },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('stock movements over HTTP', () => {
  it('receives, puts away, reserves for a booking, picks, issues from the reservation and takes a return', async () => {
    // Prepare
    const part = await newPart(1000);
    const [dock, shelf] = [`R${uniqueSuffix().slice(-3)}-01-1-01`, `R${uniqueSuffix().slice(-3)}-02-1-01`];
    const booking = await bookWith([{ partNumber: part.partNumber.toLowerCase(), quantity: 2 }]);
    const document = { type: 'appointment', id: booking.id };

    // Act: receive to the dock, put away to the shelf
    const received = await move(part, {
      kind: 'receive',
      bin: dock,
      quantity: 5,
      document: { type: 'receipt', id: `rc-${uniqueSuffix()}` },
    });
    const putAway = await move(part, { kind: 'transfer', bin: dock, toBin: shelf, quantity: 5 });
    // …the advisor reserves the booking's parts (twice: the second reserves nothing more)
    const reservePath = `${store}/appointments/${booking.id}/parts/reserve`;
    const reserved = await call<{ parts: NeededPart[] }>(demo.advisorA, 'POST', reservePath);
    const again = await call<{ parts: NeededPart[] }>(demo.advisorA, 'POST', reservePath);
    const pick = await call<{ lines: { partId: string; quantity: number; bins: { bin: string }[] }[] }>(
      keeper,
      'GET',
      `${store}/stock/pick-lists/appointment/${booking.id}`,
    );
    const issued = await move(part, {
      kind: 'issue',
      bin: shelf,
      quantity: 2,
      document,
      fromReservation: true,
    });
    const returned = await move(part, { kind: 'return', bin: shelf, quantity: 1, document });

    // Assess
    expect([received.status, putAway.status, issued.status, returned.status]).toEqual([201, 201, 201, 201]);
    expect(received.headers.get('location')).toBe(movementsOf(part));
    expect(reserved.status, reserved.text).toBe(200);
    expect(reserved.body.parts[0]).toMatchObject({ partId: part.id, status: 'reserved', reserved: 2 });
    expect(again.body.parts[0]).toMatchObject({ status: 'reserved', reserved: 2, available: 3 });
    expect(pick.body.lines).toEqual([
      expect.objectContaining({ partId: part.id, quantity: 2, bins: [{ bin: shelf, onHand: 5 }] }),
    ]);
    expect(await expectAgreement(part, [dock, shelf])).toBe(4);
    const statuses = await call<{ parts: NeededPart[] }>(
      demo.advisorA,
      'GET',
      `${store}/appointments/${booking.id}/parts`,
    );
    expect(statuses.body.parts[0]).toMatchObject({ status: 'reserved', reserved: 2 });
  });

  it('gives exactly 3 of 24 concurrent issues of the last 3 units, the rest 409 INSUFFICIENT_STOCK', async () => {
    // Prepare
    const part = await newPart();
    const bin = `C${uniqueSuffix().slice(-3)}-01-1-01`;
    await move(part, { kind: 'receive', bin, quantity: 3, document: { type: 'receipt', id: 'rc-race' } });
    const document = { type: 'requisition', id: `rq-${uniqueSuffix()}` };

    // Act
    const answers = await Promise.all(
      Array.from({ length: 24 }, () => move(part, { kind: 'issue', bin, quantity: 1, document })),
    );

    // Assess
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(21);
    for (const r of refused) expect(r.body).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect(await expectAgreement(part, [bin])).toBe(0);
  });

  it('writes one ledger line for a movement retried with its Idempotency-Key', async () => {
    const part = await newPart();
    const bin = `I${uniqueSuffix().slice(-3)}-01-1-01`;
    const body = { kind: 'receive', bin, quantity: 4, document: { type: 'receipt', id: 'rc-retry' } };
    const key = `retry-${uniqueSuffix()}`;

    const first = await move(part, body, keeper, key);
    const second = await move(part, body, keeper, key);

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const ledger = await call<{ items: Movement[] }>(keeper, 'GET', movementsOf(part));
    expect(ledger.body.items).toHaveLength(1);
  });

  it('refuses bad input with field errors, and another store’s part as not found', async () => {
    const part = await newPart();
    const doc = { type: 'receipt', id: 'rc-bad' };
    const cases = [
      [{ kind: 'receive', bin: 'A-3', quantity: 1, document: doc }, 'bin'],
      [{ kind: 'receive', bin: 'A-03-1-01', quantity: 0, document: doc }, 'quantity'],
      [{ kind: 'borrow', bin: 'A-03-1-01', quantity: 1, document: doc }, 'kind'],
    ] as const;
    for (const [body, field] of cases) {
      const res = await move(part, body);
      expect(res.status, res.text).toBe(400);
      expect(res.body.fieldErrors?.map((f) => f.path)).toContain(field);
    }
    // 以旧换新: a repair order's issue says whether the old part came back
    const unanswered = await move(part, {
      kind: 'issue',
      bin: 'A-03-1-01',
      quantity: 1,
      document: { type: 'repair_order', id: 'ro-1' },
    });
    expect(unanswered.body.fieldErrors?.map((f) => f.path)).toEqual(['oldPartReturned']);
    const notBack = await move(part, {
      kind: 'issue',
      bin: 'A-03-1-01',
      quantity: 1,
      document: { type: 'repair_order', id: 'ro-1' },
      oldPartReturned: false,
    });
    expect([notBack.status, notBack.body.code]).toEqual([409, 'OLD_PART_NOT_RETURNED']);
    // Another store's part, asked in store A
    const foreign = await newPart(1000, demo.storeB);
    const res = await call<Problem>(keeper, 'POST', `${store}/parts/${foreign.id}/movements`, {
      body: { kind: 'receive', bin: 'A-03-1-01', quantity: 1, document: doc },
    });
    expect([res.status, res.body.code]).toEqual([404, 'PART_NOT_FOUND']);
  });

  it('lets an advisor reserve but not move stock on the shelf', async () => {
    const part = await newPart();
    const bin = `V${uniqueSuffix().slice(-3)}-01-1-01`;
    await move(part, { kind: 'receive', bin, quantity: 2, document: { type: 'receipt', id: 'rc-adv' } });
    const document = { type: 'appointment', id: `appt_${uniqueSuffix()}` };

    const reserve = await move(part, { kind: 'reserve', quantity: 1, document }, demo.advisorA);
    const issue = await move(part, { kind: 'issue', bin, quantity: 1, document }, demo.advisorA);

    expect(reserve.status).toBe(201);
    expect([issue.status, issue.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('marks a part the shelf lacks to order, and releases a cancelled booking’s reservations', async () => {
    // Prepare: 1 on the shelf, 3 needed; and a number not in the catalogue
    const part = await newPart();
    const bin = `S${uniqueSuffix().slice(-3)}-01-1-01`;
    await move(part, { kind: 'receive', bin, quantity: 1, document: { type: 'receipt', id: 'rc-short' } });
    const booking = await bookWith([
      { partNumber: part.partNumber, quantity: 3 },
      { partNumber: `NOPE-${uniqueSuffix()}`, quantity: 1 },
    ]);

    // Act
    const reserved = await call<{ parts: NeededPart[] }>(
      demo.advisorA,
      'POST',
      `${store}/appointments/${booking.id}/parts/reserve`,
      { headers: { 'idempotency-key': `reserve-${uniqueSuffix()}` } },
    );
    const read = await call<{ version: number }>(demo.advisorA, 'GET', `${store}/appointments/${booking.id}`);
    const cancelled = await call(demo.advisorA, 'POST', `${store}/appointments/${booking.id}/transitions`, {
      body: { to: 'cancelled', reason: '客户改期' },
      headers: { 'if-match': String(read.headers.get('etag')) },
    });

    // Assess
    expect(reserved.body.parts.map((p) => [p.status, p.reserved])).toEqual([
      ['to_order', 1],
      ['unknown_part', 0],
    ]);
    expect(cancelled.status, cancelled.text).toBe(200);
    const pick = await eventually(async () => {
      const res = await call<{ lines: unknown[] }>(
        keeper,
        'GET',
        `${store}/stock/pick-lists/appointment/${booking.id}`,
      );
      return res.body.lines.length === 0 ? res.body : undefined;
    });
    expect(pick.lines).toEqual([]);
  });

  it('reserves a booking’s other parts and reports a retired one as retired, holding nothing of it', async () => {
    // Prepare: two parts on the shelf, and a third on the shelf but retired since (replaced by the first)
    const [first, retired, last] = [await newPart(), await newPart(), await newPart()];
    const bin = `R${uniqueSuffix().slice(-3)}-01-1-01`;
    for (const part of [first, retired, last])
      await move(part, { kind: 'receive', bin, quantity: 2, document: { type: 'receipt', id: 'rc-ret' } });
    await tenantOf()
      .repo(Parts)
      .update(retired.id, { active: false, supersededBy: first.partNumber }, retired.version);
    const booking = await bookWith(
      [first, retired, last].map((p) => ({ partNumber: p.partNumber, quantity: 1 })),
    );

    // Act
    const reserved = await call<{ parts: NeededPart[] } & Problem>(
      demo.advisorA,
      'POST',
      `${store}/appointments/${booking.id}/parts/reserve`,
      { headers: { 'idempotency-key': `reserve-${uniqueSuffix()}` } },
    );

    // Assess: the others held, the retired one named with its replacement, neither held nor short
    expect(reserved.status, reserved.text).toBe(200);
    expect(reserved.body.parts.map((p) => [p.status, p.reserved])).toEqual([
      ['reserved', 1],
      ['retired', 0],
      ['reserved', 1],
    ]);
    expect(reserved.body.parts[1]).toMatchObject({ supersededBy: first.partNumber });
    const needs = await tenantOf().repo(Shortages).shortNeeds();
    expect(needs.filter((n) => n.document.id === booking.id)).toEqual([]);
  });

  it('stops buying for a cancelled booking: its short need leaves the purchase plan’s shortages', async () => {
    // Prepare: 1 on the shelf, 3 needed, reserved (1 held, 2 short)
    const part = await newPart();
    const bin = `S${uniqueSuffix().slice(-3)}-01-1-02`;
    await move(part, { kind: 'receive', bin, quantity: 1, document: { type: 'receipt', id: 'rc-short2' } });
    const booking = await bookWith([{ partNumber: part.partNumber, quantity: 3 }]);
    await call(demo.advisorA, 'POST', `${store}/appointments/${booking.id}/parts/reserve`, {
      headers: { 'idempotency-key': `reserve-${uniqueSuffix()}` },
    });
    const shortages = tenantOf().repo(Shortages);
    const needsOf = async () =>
      (await shortages.shortNeeds()).filter((n) => n.document.id === booking.id).map((n) => n.quantity);
    const before = await needsOf();

    // Act
    const read = await call<{ version: number }>(demo.advisorA, 'GET', `${store}/appointments/${booking.id}`);
    await call(demo.advisorA, 'POST', `${store}/appointments/${booking.id}/transitions`, {
      body: { to: 'cancelled', reason: '客户取消' },
      headers: { 'if-match': String(read.headers.get('etag')) },
    });

    // Assess: short 2 while booked; nothing once the release has run
    expect(before).toEqual([2]);
    const after = await eventually(async () => {
      const needs = await needsOf();
      return needs.length === 0 ? needs : undefined;
    });
    expect(after).toEqual([]);
  });

  it('shows the day-before list each booking’s part states, and the pick shelf is a bin like any', async () => {
    const part = await newPart();
    const date = midweek(16);
    await move(part, {
      kind: 'receive',
      bin: PICK_SHELF_BIN,
      quantity: 1,
      document: { type: 'receipt', id: 'rc-day' },
    });
    const booking = await bookWith([{ partNumber: part.partNumber, quantity: 1 }], date);

    const list = await call<{ items: { id: string; partStatuses: NeededPart[] }[] }>(
      demo.advisorA,
      'GET',
      `${store}/appointments/day-before?date=${date}`,
    );

    expect(list.status, list.text).toBe(200);
    const item = list.body.items.find((i) => i.id === booking.id);
    expect(item?.partStatuses).toEqual([expect.objectContaining({ partId: part.id, status: 'in_stock' })]);
  });

  it('answers a booking form which parts are on the shelf, to order or unknown, and holds nothing', async () => {
    // Prepare: one part with 2 on the shelf
    const part = await newPart();
    await move(part, {
      kind: 'receive',
      bin: 'A-07-1-01',
      quantity: 2,
      document: { type: 'receipt', id: 'r' },
    });
    const ask = (parts: unknown) =>
      call<{ parts: NeededPart[] } & Problem>(demo.advisorA, 'POST', `${store}/stock/availability`, {
        body: { parts },
      });

    // Act
    const answer = await ask([
      { partNumber: part.partNumber.toLowerCase(), quantity: 2 },
      { partNumber: part.partNumber, quantity: 3 },
      { partNumber: `NOPE-${uniqueSuffix()}`, quantity: 1 },
    ]);
    const empty = await ask([]);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.parts.map((p) => p.status)).toEqual(['in_stock', 'to_order', 'unknown_part']);
    expect(answer.body.parts[0]).toMatchObject({ partId: part.id, available: 2, reserved: 0 });
    expect(empty.status).toBe(400);
    const stock = await call<{ stock: { reserved: number } }>(keeper, 'GET', `${store}/parts/${part.id}`);
    expect(stock.body.stock.reserved).toBe(0);
  });
});
