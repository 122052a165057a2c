import { demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { ok, repairOrderDesk, STORE_A_STAFF } from '../support/repair-orders.ts';
import { freshWarehouse, partInBin } from '../support/stock.ts';

/** 预留 on approval: the approved lines' parts are held in the ledger; an issue consumes the hold. */
beforeAll(() => useStackEnv());

const desk = repairOrderDesk(STORE_A_STAFF);
const { act } = desk;
const keeper = demoUserFor('warehouse_keeper', demo.storeA).username;

type Book = { onHand: number; reserved: number; available: number };
const bookOf = async (partId: string) =>
  (await call<{ stock: Book }>(demo.advisorA, 'GET', `${desk.store}/parts/${partId}`)).body.stock;

describe('parts held for approved work (预留)', () => {
  it('holds the approved line’s parts, none for the declined one, and an issue consumes the hold', async () => {
    // Prepare: a part with 10 on the shelf, on L1 (2 of it) and L2 (3 of it)
    const bin = `${freshWarehouse()}-01-1-01`;
    const part = await partInBin(bin, 10);
    let ro = await desk.openOrder();
    for (const [lineId, quantity] of [
      ['L1', 2],
      ['L2', 3],
    ] as const)
      ro = ok(
        await act(
          demo.advisorA,
          'PUT',
          `/${ro.id}/lines/${lineId}`,
          { complaint: '刹车异响', payer: 'customer', parts: [{ partId: part.id, quantity }] },
          ro,
        ),
      );
    ro = ok(await act(demo.advisorA, 'POST', `/${ro.id}/quotes`, undefined, ro));

    // Act: L1 approved, L2 declined; then the keeper issues one of L1's two
    ok(
      await act(demo.advisorA, 'POST', `/${ro.id}/approvals`, {
        quoteVersion: 1,
        method: 'remote_link',
        approverName: '预留测试客户',
        from: '203.0.113.9',
        decisions: [
          { lineId: 'L1', approved: true },
          { lineId: 'L2', approved: false },
        ],
      }),
    );
    const held = await eventually(async () => {
      const book = await bookOf(part.id);
      return book.reserved > 0 ? book : undefined;
    });
    const issued = await act(keeper, 'POST', `/${ro.id}/lines/L1/part-issues`, {
      partId: part.id,
      bin,
      quantity: 1,
      oldPart: 'scrapped',
    });
    const afterIssue = await bookOf(part.id);
    const pickList = await call<{ lines: { partId: string; quantity: number; issued: number }[] }>(
      keeper,
      'GET',
      `${desk.store}/stock/pick-lists/repair_order/${ro.id}`,
    );

    // Assess: only L1's 2 held; the issue took one of them, not free stock
    expect(held).toEqual(expect.objectContaining({ onHand: 10, reserved: 2, available: 8 }));
    expect(issued.status, issued.text).toBe(200);
    expect(afterIssue).toEqual(expect.objectContaining({ onHand: 9, reserved: 1, available: 8 }));
    expect(pickList.body.lines).toEqual([
      expect.objectContaining({ partId: part.id, quantity: 1, issued: 1 }),
    ]);
  });
});
