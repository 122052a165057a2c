import type { Part } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { expectAgreement, freshWarehouse, partInBin, stockOf } from '../support/stock.ts';

/** 盘点 through the API: a sheet frozen by location, counts, explained differences posted once. */
beforeAll(() => useStackEnv());

const base = `/v1/stores/${demo.storeA}/stocktakes`;
const partsManager = demoUserFor('parts_manager', demo.storeA).username;
const keeper = demoUserFor('warehouse_keeper', demo.storeA).username;

interface Line {
  partId: string;
  bin: string;
  book: number;
  counted?: number;
  variance?: number;
  reason?: string;
  posted?: boolean;
}
interface Sheet {
  id: string;
  status: string;
  version: number;
  lines: Line[];
  summary: { lines: number; counted: number; variances: number; unexplained: number; net: number };
}

const ifMatch = (s: { version: number }) => ({ 'if-match': `"${s.version}"` });

describe('stocktakes', () => {
  it('posts an explained difference once, after which book, card and shelf agree with the count', async () => {
    // Prepare: two parts on two bins of a warehouse of their own
    const w = freshWarehouse();
    const short = await partInBin(`${w}-01-1-01`, 10);
    const exact = await partInBin(`${w}-01-1-02`, 5);
    const key = `stk-${uniqueSuffix()}`;

    // Act: open (twice with one key), count, hand in
    const opened = await call<Sheet>(partsManager, 'POST', base, {
      body: { kind: 'monthly', locationPrefix: w.toLowerCase() },
      headers: { 'idempotency-key': key },
    });
    const again = await call<Sheet>(partsManager, 'POST', base, {
      body: { kind: 'monthly', locationPrefix: w.toLowerCase() },
      headers: { 'idempotency-key': key },
    });
    const counted = await call<Sheet>(keeper, 'POST', `${base}/${opened.body.id}/counts`, {
      body: {
        lines: [
          { bin: `${w}-01-1-01`, partId: short.id, counted: 8 },
          { bin: `${w}-01-1-02`, partId: exact.id, counted: 5 },
        ],
      },
    });
    const handedIn = await call<Sheet>(keeper, 'POST', `${base}/${opened.body.id}/transitions`, {
      body: { to: 'counted' },
      headers: ifMatch(counted.body),
    });
    const unexplained = await call<{ code: string }>(partsManager, 'POST', `${base}/${opened.body.id}/post`, {
      headers: ifMatch(handedIn.body),
    });
    const explained = await call<Sheet>(keeper, 'POST', `${base}/${opened.body.id}/counts`, {
      body: {
        lines: [
          { bin: `${w}-01-1-01`, partId: short.id, reason: '两件破损后被丢弃 (two broken, thrown away)' },
        ],
      },
    });
    const byKeeper = await call<{ code: string }>(keeper, 'POST', `${base}/${opened.body.id}/post`, {
      headers: ifMatch(explained.body),
    });
    const posted = await call<Sheet>(partsManager, 'POST', `${base}/${opened.body.id}/post`, {
      headers: ifMatch(explained.body),
    });
    const twice = await call<{ code: string }>(partsManager, 'POST', `${base}/${opened.body.id}/post`, {
      headers: ifMatch(explained.body),
    });
    const recount = await call<{ code: string }>(keeper, 'POST', `${base}/${opened.body.id}/counts`, {
      body: { lines: [{ bin: `${w}-01-1-01`, partId: short.id, counted: 9 }] },
    });

    // Assess
    expect([opened.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([
      201,
      201,
      'true',
    ]);
    expect(again.body.id).toBe(opened.body.id);
    expect(opened.body.lines.map((l) => [l.bin, l.book])).toEqual([
      [`${w}-01-1-01`, 10],
      [`${w}-01-1-02`, 5],
    ]);
    expect(counted.body.summary).toMatchObject({ counted: 2, variances: 1, unexplained: 1, net: -2 });
    expect(handedIn.body.status).toBe('counted');
    expect([unexplained.status, unexplained.body.code]).toEqual([409, 'VARIANCE_UNEXPLAINED']);
    expect([byKeeper.status, byKeeper.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('posted');
    expect(posted.body.lines.find((l) => l.partId === short.id)).toMatchObject({
      variance: -2,
      posted: true,
    });
    expect(posted.body.lines.find((l) => l.partId === exact.id)?.posted).toBeUndefined();
    expect([twice.status, twice.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect([recount.status, recount.body.code]).toEqual([409, 'STOCKTAKE_CLOSED']);
    const { book, card } = await expectAgreement(short);
    expect(book.onHand).toBe(8);
    expect(card.filter((m) => m.kind === 'adjust')).toEqual([
      expect.objectContaining({
        quantity: -2,
        bin: `${w}-01-1-01`,
        document: { type: 'stocktake', id: opened.body.id },
      }),
    ]);
    // A count equal to the book posts nothing
    const same = await expectAgreement(exact);
    expect([same.book.onHand, same.card.filter((m) => m.kind === 'adjust')]).toEqual([5, []]);
    const byDocument = await stockOf().ledger.movementsOf(
      { type: 'stocktake', id: opened.body.id },
      { limit: 10 },
    );
    expect(byDocument.items).toHaveLength(1);
  });

  it('counts against the shelf as counted, and names the lines moved since their count instead of posting', async () => {
    // Prepare: three parts of 10 on three bins of a warehouse of their own, and a sheet of them
    const w = freshWarehouse();
    const [first, second, third] = [`${w}-01-1-01`, `${w}-01-1-02`, `${w}-01-1-03`];
    const c = await partInBin(first, 10);
    const b = await partInBin(second, 10);
    const a = await partInBin(third, 10);
    const { ledger } = stockOf();
    const carry = (part: Part, bin: string, quantity: number) =>
      ledger.move(part, { kind: 'transfer', bin, toBin: `${w}-09-1-01`, quantity, reason: '移库' });
    const opened = await call<Sheet>(partsManager, 'POST', base, {
      body: { kind: 'monthly', locationPrefix: w },
    });
    const id = opened.body.id;
    const count = (lines: object[]) =>
      call<Sheet>(keeper, 'POST', `${base}/${id}/counts`, { body: { lines } });

    // Act: 4 of a carried away before its count (the counter sees 6); b and c counted short; then 5 of
    // b carried away after its count, and the sheet posted
    await carry(a, third, 4);
    await count([
      { bin: third, partId: a.id, counted: 6 },
      { bin: second, partId: b.id, counted: 3, reason: '少三件 (three missing)' },
      { bin: first, partId: c.id, counted: 9, reason: '少一件 (one missing)' },
    ]);
    await carry(b, second, 5);
    const read = await call<Sheet>(keeper, 'GET', `${base}/${id}`);
    const handedIn = await call<Sheet>(keeper, 'POST', `${base}/${id}/transitions`, {
      body: { to: 'counted' },
      headers: ifMatch(read.body),
    });
    const refused = await call<{ code: string; lines: { bin: string; partId: string }[] }>(
      partsManager,
      'POST',
      `${base}/${id}/post`,
      { headers: ifMatch(handedIn.body) },
    );
    const adjustmentsOf = (parts: Part[]) =>
      Promise.all(
        parts.map(async (p) =>
          (await expectAgreement(p)).card.filter((m) => m.kind === 'adjust').map((m) => m.quantity),
        ),
      );
    const afterRefusal = await adjustmentsOf([a, b, c]);
    const recounted = await count([
      { bin: second, partId: b.id, counted: 1, reason: '少四件 (four missing)' },
    ]);
    const posted = await call<Sheet>(partsManager, 'POST', `${base}/${id}/post`, {
      headers: ifMatch(recounted.body),
    });

    // Assess: a's count matched the shelf it saw; only b named; nothing posted until its recount
    expect(handedIn.body.lines.find((l) => l.partId === a.id)?.variance).toBe(0);
    expect([refused.status, refused.body.code]).toEqual([409, 'STOCK_MOVED_SINCE_COUNT']);
    expect(refused.body.lines).toEqual([expect.objectContaining({ bin: second, partId: b.id })]);
    expect(afterRefusal).toEqual([[], [], []]);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(await adjustmentsOf([a, b, c])).toEqual([[], [-4], [-1]]);
  });

  it('refuses to hand in a sheet with lines not counted, and lists the stocktake', async () => {
    // Prepare
    const w = freshWarehouse();
    await partInBin(`${w}-02-1-01`, 3);
    const opened = await call<Sheet>(keeper, 'POST', base, {
      body: { kind: 'quarterly', locationPrefix: w },
    });
    // Act
    const early = await call<{ code: string; allowed?: string[] }>(
      keeper,
      'POST',
      `${base}/${opened.body.id}/transitions`,
      {
        body: { to: 'counted' },
        headers: ifMatch(opened.body),
      },
    );
    const illegal = await call<{ code: string; allowed: string[] }>(
      keeper,
      'POST',
      `${base}/${opened.body.id}/post`,
      {
        headers: ifMatch(opened.body),
      },
    );
    const list = await call<{ items: { id: string }[] }>(keeper, 'GET', base);
    // Assess
    expect([opened.status, early.status, early.body.code]).toEqual([201, 409, 'STOCKTAKE_NOT_COUNTED']);
    expect(illegal.status).toBe(403);
    expect(list.body.items.map((s) => s.id)).toContain(opened.body.id);
  });

  it('answers an illegal move with 409 and the moves allowed', async () => {
    const w = freshWarehouse();
    await partInBin(`${w}-03-1-01`, 3);
    const opened = await call<Sheet>(keeper, 'POST', base, { body: { kind: 'monthly', locationPrefix: w } });
    const cancelled = await call<Sheet>(keeper, 'POST', `${base}/${opened.body.id}/transitions`, {
      body: { to: 'cancelled', reason: '盘点日期改了' },
      headers: ifMatch(opened.body),
    });
    const reopened = await call<{ code: string; allowed: string[] }>(
      keeper,
      'POST',
      `${base}/${opened.body.id}/transitions`,
      { body: { to: 'open' }, headers: ifMatch(cancelled.body) },
    );
    expect(cancelled.body.status).toBe('cancelled');
    expect([reopened.status, reopened.body.code, reopened.body.allowed]).toEqual([
      409,
      'STOCKTAKE_TRANSITION_NOT_ALLOWED',
      [],
    ]);
  });

  it('puts on a spot check only the bins of parts moved that day', async () => {
    // Prepare: one part moved today; one whose last movement was before today
    const w = freshWarehouse();
    const moved = await partInBin(`${w}-04-1-01`, 4);
    // The store's day (Beijing time), not UTC's: from 16:00 UTC they differ.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    // Act
    const spot = await call<Sheet>(keeper, 'POST', base, {
      body: { kind: 'spot', locationPrefix: w, date: today },
    });
    const yesterday = await call<{ code: string }>(keeper, 'POST', base, {
      body: { kind: 'spot', locationPrefix: w, date: '2020-01-01' },
    });
    // Assess
    expect(spot.status).toBe(201);
    expect(spot.body.lines.map((l) => l.partId)).toEqual([moved.id]);
    expect([yesterday.status, yesterday.body.code]).toEqual([409, 'STOCKTAKE_SCOPE_EMPTY']);
  });

  it('answers bad input with 400 and field errors', async () => {
    const w = freshWarehouse();
    const part = await partInBin(`${w}-05-1-01`, 1);
    const bad = await call<{ code: string; fieldErrors: { path: string }[] }>(keeper, 'POST', base, {
      body: { kind: 'yearly', locationPrefix: 'A--3' },
    });
    const opened = await call<Sheet>(keeper, 'POST', base, { body: { kind: 'monthly', locationPrefix: w } });
    const stranger = await call<{ code: string; fieldErrors: { path: string; code?: string }[] }>(
      keeper,
      'POST',
      `${base}/${opened.body.id}/counts`,
      {
        body: {
          lines: [
            { bin: `${w}-05-1-09`, partId: part.id, counted: 1 },
            { bin: `${w}-05-1-01`, partId: part.id, counted: -1 },
          ],
        },
      },
    );
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.fieldErrors.map((e) => e.path).sort()).toEqual(['kind', 'locationPrefix']);
    expect([stranger.status, stranger.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(stranger.body.fieldErrors.map((e) => e.path)).toEqual(['lines.1.counted']);
    const unknown = await call<{ fieldErrors: { path: string; code?: string }[] }>(
      keeper,
      'POST',
      `${base}/${opened.body.id}/counts`,
      { body: { lines: [{ bin: `${w}-05-1-09`, partId: part.id, counted: 1 }] } },
    );
    expect(unknown.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'lines.0', code: 'STOCKTAKE_LINE_NOT_FOUND' }),
    ]);
  });
});
