import { beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import { demo, demoUserWith, uniqueSuffix } from '../support/demo.ts';
import {
  handOver,
  ifMatch,
  inHours,
  ok,
  type RepairOrder,
  repairOrderDesk,
  STORE_A_STAFF,
  sealedSignature,
} from '../support/repair-orders.ts';

/**
 * A repair order's whole day through the API (接车 → 诊断 → 报价 → 确认 → 派工 → 维修 → 三检 → 结算 →
 * 交车), each step by the role that owns it, with the refusals a careless or racing client meets.
 */
beforeAll(() => useStackEnv());

const { store, base, act, catalogue, openOrder, approvedOrder, workedLine, checkedLine } =
  repairOrderDesk(STORE_A_STAFF);

describe('a repair order’s day', () => {
  it('prices lines from the catalogue, quotes per payer and records the counter approval', async () => {
    // Prepare / Act
    const { ro, cat } = await approvedOrder();
    const history = await call<{ items: { action: string }[] }>(
      demo.advisorA,
      'GET',
      `${base}/${ro.id}/history`,
    );

    // Assess: hours and names from the catalogue, the rate by payer, the part at its list price
    expect(ro.status).toBe('approved');
    expect(ro.lines.map((l) => [l.id, l.status, l.payer])).toEqual([
      ['L1', 'approved', 'customer'],
      ['L2', 'approved', 'warranty'],
    ]);
    expect(ro.lines[0]?.labour[0]).toMatchObject({ code: 'BRK-01', tenths: 10 });
    expect(ro.lines[0]?.labour[0]?.rate.amountMinor).toBeGreaterThan(0);
    expect(ro.lines[0]?.parts[0]?.unitPrice.amountMinor).toBe(cat.partPrice);
    expect(ro.quotes).toHaveLength(1);
    expect(ro.quotes[0]?.total).toBeGreaterThan(0);
    expect(ro.approvals).toEqual([
      expect.objectContaining({
        quoteVersion: 1,
        method: 'counter_signature',
        approvedLineIds: ['L1', 'L2'],
      }),
    ]);
    expect(history.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['check_in', 'diagnose', 'update', 'quote', 'approve']),
    );
  });

  it('refuses work that is not in the catalogue, a stale quote and a second approval of one version', async () => {
    // Prepare
    const { ro } = await approvedOrder();
    const fresh = await openOrder();

    // Act
    const unknownOp = await act(
      demo.advisorA,
      'PUT',
      `/${fresh.id}/lines/L1`,
      {
        complaint: 'x',
        payer: 'customer',
        labour: [{ labourOpId: 'lop_nope' }],
        parts: [{ partId: 'prt_nope', quantity: 1 }],
      },
      fresh,
    );
    const approve = (quoteVersion: number, extra: Record<string, unknown> = {}) =>
      act(demo.advisorA, 'POST', `/${ro.id}/approvals`, {
        quoteVersion,
        method: 'remote_link',
        approverName: '客户',
        from: '203.0.113.9',
        decisions: [{ lineId: 'L1', approved: true }],
        ...extra,
      });
    const stale = await approve(7);
    const twice = await approve(1);
    const noSignature = await approve(1, { method: 'counter_signature' });
    const notARef = await approve(1, { method: 'counter_signature', signatureRef: 'sig/x.png' });
    const unsealed = await approve(1, {
      method: 'counter_signature',
      signatureRef: 'photo:pho_01JD0000000000000000000000',
    });
    const nothing = await act(demo.advisorA, 'POST', `/${ro.id}/quotes`, undefined, ro);
    const noIfMatch = await act(demo.advisorA, 'POST', `/${ro.id}/quotes`);
    const technicianQuotes = await act(demo.technicianA, 'POST', `/${ro.id}/quotes`, undefined, ro);

    // Assess
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.body.fieldErrors?.map((e) => [e.path, e.code])).toEqual([
      ['labour.0.labourOpId', 'LABOUR_OP_NOT_FOUND'],
      ['parts.0.partId', 'PART_NOT_FOUND'],
    ]);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'QUOTE_VERSION_OUTDATED', currentVersion: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('JOB_LINE_TRANSITION_NOT_ALLOWED');
    expect(noSignature.status).toBe(400);
    expect(noSignature.body.fieldErrors?.map((e) => e.path)).toEqual(['signatureRef']);
    expect(notARef.status).toBe(400);
    expect(notARef.body.fieldErrors?.map((e) => e.path)).toEqual(['signatureRef']);
    expect(unsealed.status).toBe(400);
    expect(unsealed.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'signatureRef', code: 'SIGNATURE_NOT_SEALED' }),
    ]);
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe('NOTHING_TO_QUOTE');
    expect(noIfMatch.status).toBe(428);
    expect(technicianQuotes.status).toBe(403);
  });

  it('gives one approval when two advisors record the same version at once', async () => {
    // Prepare: a quoted order
    const cat = await catalogue();
    let ro = await openOrder();
    ro = ok(
      await act(
        demo.advisorA,
        'PUT',
        `/${ro.id}/lines/L1`,
        { complaint: '刹车异响', payer: 'customer', labour: [{ labourOpId: cat.brakes }] },
        ro,
      ),
    );
    ro = ok(await act(demo.advisorA, 'POST', `/${ro.id}/quotes`, undefined, ro));
    const approval = {
      quoteVersion: ro.quotes.at(-1)?.version,
      method: 'counter_signature',
      approverName: '客户',
      from: 'tablet',
      signatureRef: await sealedSignature(demo.advisorA, demo.storeA, ro.id),
      decisions: [{ lineId: 'L1', approved: true }],
    };

    // Act
    const both = await Promise.all([
      act(demo.advisorA, 'POST', `/${ro.id}/approvals`, approval),
      act(demo.managerA, 'POST', `/${ro.id}/approvals`, approval),
    ]);
    const after = ok(await act(demo.advisorA, 'GET', `/${ro.id}`));

    // Assess
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(after.approvals).toHaveLength(1);
  });

  it('dispatches by skill, clocks one line at a time with a pause, and shows it on the board', async () => {
    // Prepare
    const { ro } = await approvedOrder();
    const line = (r: RepairOrder, id: string) => r.lines.find((l) => l.id === id);

    // Act
    const notTechnician = await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
      technicianId: demo.advisorAId,
    });
    ok(
      await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
        technicianId: demo.technicianAId,
      }),
    );
    ok(
      await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L2/dispatch`, {
        technicianId: demo.technicianAId,
      }),
    );
    const advisorDispatches = await act(demo.advisorA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
      technicianId: demo.technicianAId,
    });
    const on = ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-on`));
    const second = await act(demo.technicianA, 'POST', `/${ro.id}/lines/L2/clock-on`);
    const board = await call<{
      cards: {
        repairOrderId: string;
        advisorName?: string;
        lines: { lineId: string; clockedOnSince?: string }[];
      }[];
      technicians: { technicianId: string; on: { repairOrderId: string; lineId: string }[] }[];
    }>(demo.technicianA, 'GET', `${store}/workshop-board`);
    const noReason = await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-off`, {
      outcome: 'paused',
    });
    const paused = ok(
      await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-off`, {
        outcome: 'paused',
        pauseReason: 'waiting_parts',
      }),
    );
    const notOn = await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-off`, { outcome: 'done' });
    ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-on`));
    const done = ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-off`, { outcome: 'done' }));

    // Assess
    expect(notTechnician.status).toBe(409);
    expect(notTechnician.body.code).toBe('NOT_A_TECHNICIAN');
    expect(advisorDispatches.status).toBe(403);
    expect(on.status).toBe('in_progress');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('TECHNICIAN_ALREADY_CLOCKED_ON');
    expect(board.status, board.text).toBe(200);
    const card = board.body.cards.find((c) => c.repairOrderId === ro.id);
    expect(card?.lines[0]?.clockedOnSince).toBeDefined();
    expect(card?.advisorName).toEqual(expect.stringMatching(/\S/));
    expect(board.body.technicians.find((t) => t.technicianId === demo.technicianAId)?.on).toContainEqual({
      repairOrderId: ro.id,
      lineId: 'L1',
      since: expect.any(String),
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fieldErrors?.map((e) => e.path)).toEqual(['pauseReason']);
    expect(line(paused, 'L1')).toMatchObject({ status: 'paused' });
    expect(line(paused, 'L1')?.clockings[0]).toMatchObject({ pauseReason: 'waiting_parts' });
    expect(notOn.status).toBe(409);
    expect(notOn.body.code).toBe('NOT_CLOCKED_ON');
    expect(line(done, 'L1')?.status).toBe('done');
    expect(line(done, 'L1')?.clockings).toHaveLength(2);
  });

  it('dispatches to a bay of the store’s set-up and refuses one it does not have', async () => {
    // Prepare: the demo store's bays are M01–M06 and a few special ones
    const { ro } = await approvedOrder();

    // Act
    const unknownBay = await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
      technicianId: demo.technicianAId,
      bayId: 'NOPE-9',
    });
    const inBay = ok(
      await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
        technicianId: demo.technicianAId,
        bayId: 'M02',
      }),
    );

    // Assess
    expect(unknownBay.status, unknownBay.text).toBe(400);
    expect(unknownBay.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'bayId', code: 'BAY_NOT_FOUND' }),
    ]);
    expect(inBay.lines.find((l) => l.id === 'L1')).toMatchObject({ status: 'dispatched', bayId: 'M02' });
  });

  it('blocks add-on work until the customer approves it, after declining it once', async () => {
    // Prepare: L1 under way
    const { ro, cat } = await approvedOrder();
    ok(
      await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
        technicianId: demo.technicianAId,
      }),
    );
    ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-on`));
    const addOn = { complaint: '前减震器漏油', payer: 'customer', labour: [{ labourOpId: cat.brakes }] };

    // Act: reported, quoted, declined; re-priced with a discount, quoted again, approved
    const tooEarly = await act(demo.technicianA, 'POST', `/${(await openOrder()).id}/add-ons`, addOn);
    let now = ok(await act(demo.technicianA, 'POST', `/${ro.id}/add-ons`, addOn));
    const dispatchBlocked = await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L3/dispatch`, {
      technicianId: demo.technicianAId,
    });
    now = ok(await act(demo.advisorA, 'POST', `/${ro.id}/quotes`, undefined, now));
    const remote = { method: 'remote_link', approverName: '客户', from: '198.51.100.7' };
    now = ok(
      await act(demo.advisorA, 'POST', `/${ro.id}/approvals`, {
        ...remote,
        quoteVersion: 2,
        decisions: [{ lineId: 'L3', approved: false }],
      }),
    );
    const declined = now.lines.find((l) => l.id === 'L3')?.status;
    now = ok(await act(demo.advisorA, 'PUT', `/${ro.id}/lines/L3`, { ...addOn, discountBp: 1000 }, now));
    now = ok(await act(demo.advisorA, 'POST', `/${ro.id}/quotes`, undefined, now));
    const noNewTime = await act(demo.advisorA, 'POST', `/${ro.id}/approvals`, {
      ...remote,
      quoteVersion: 3,
      decisions: [{ lineId: 'L3', approved: true }],
    });
    const promisedAt = inHours(8);
    now = ok(
      await act(demo.advisorA, 'POST', `/${ro.id}/approvals`, {
        ...remote,
        quoteVersion: 3,
        promisedAt,
        decisions: [{ lineId: 'L3', approved: true }],
      }),
    );

    // Assess
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('ADD_ON_OUTSIDE_WORKSHOP');
    expect(dispatchBlocked.status).toBe(409);
    expect(dispatchBlocked.body.code).toBe('JOB_LINE_TRANSITION_NOT_ALLOWED');
    expect(declined).toBe('declined');
    expect(noNewTime.status).toBe(400);
    expect(noNewTime.body.fieldErrors?.map((e) => e.code)).toEqual(['PROMISED_TIME_REQUIRED']);
    expect(now.lines.find((l) => l.id === 'L3')).toMatchObject({ status: 'approved', origin: 'add_on' });
    expect(now.promisedAt).toBe(promisedAt);
    expect(now.quotes.map((q) => q.version)).toEqual([1, 2, 3]);
    expect(now.status).toBe('in_progress');
    ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-off`, { outcome: 'done' }));
  });

  it('sends a failed check back as rework, then settles per payer and delivers', async () => {
    // Prepare: both lines done
    const { ro } = await approvedOrder();
    await workedLine(ro, 'L1');
    await workedLine(ro, 'L2');

    // Act: the team check fails L1; reworked; all checks pass; settled and delivered
    const checks = `/${ro.id}/lines/L1/checks`;
    const teamFirst = await act(demo.workshopManagerA, 'POST', checks, { stage: 'team', passed: true });
    const selfByOther = await act(demo.technicalDirectorA, 'POST', checks, { stage: 'self', passed: true });
    ok(await act(demo.technicianA, 'POST', checks, { stage: 'self', passed: true }));
    const noReason = await act(demo.workshopManagerA, 'POST', checks, { stage: 'team', passed: false });
    const failed = ok(
      await act(demo.workshopManagerA, 'POST', checks, { stage: 'team', passed: false, reason: '仍有异响' }),
    );
    ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-on`));
    ok(await act(demo.technicianA, 'POST', `/${ro.id}/lines/L1/clock-off`, { outcome: 'done' }));
    await checkedLine(ro, 'L1');
    const ready = await checkedLine(ro, 'L2');
    const wrongPay = await act(
      demo.advisorA,
      'POST',
      `/${ro.id}/settlement`,
      { payments: [{ method: 'cash', amount: { amountMinor: 1, currency: 'CNY' } }] },
      ready,
    );
    const customerDue = Number(wrongPay.body.due);
    const deliveredEarly = await act(demo.advisorA, 'POST', `/${ro.id}/delivery`, handOver('none'), ready);
    const settled = ok(
      await act(
        demo.advisorA,
        'POST',
        `/${ro.id}/settlement`,
        {
          payments: [
            { method: 'wechat', reference: 'WX-1', amount: { amountMinor: customerDue, currency: 'CNY' } },
          ],
        },
        ready,
      ),
    );
    const noKeys = await act(demo.advisorA, 'POST', `/${ro.id}/delivery`, handOver('none', false), settled);
    const delivered = ok(
      await act(demo.advisorA, 'POST', `/${ro.id}/delivery`, handOver('retained_for_claim'), settled),
    );
    const board = await call<{ cards: { repairOrderId: string }[] }>(
      demo.advisorA,
      'GET',
      `${store}/workshop-board`,
    );
    const again = await act(demo.advisorA, 'POST', `/${ro.id}/delivery`, handOver('none'), delivered);

    // Assess
    expect(ready.settlement).toBeUndefined();
    expect(teamFirst.status).toBe(409);
    expect(teamFirst.body).toMatchObject({ code: 'QUALITY_CHECK_OUT_OF_ORDER', due: 'self' });
    expect(selfByOther.status).toBe(403);
    expect(selfByOther.body.code).toBe('CHECKER_NOT_ALLOWED');
    expect(noReason.status).toBe(400);
    expect(failed.lines[0]).toMatchObject({ status: 'rework', reworkCount: 1 });
    expect(ready.status).toBe('ready');
    expect(wrongPay.status).toBe(409);
    expect(wrongPay.body).toMatchObject({ code: 'PAYMENT_MISMATCH', paid: 1 });
    expect(customerDue).toBeGreaterThan(0);
    expect(deliveredEarly.status).toBe(409);
    expect(deliveredEarly.body.code).toBe('REPAIR_ORDER_NOT_SETTLED');
    expect(settled.status).toBe('settled');
    expect(settled.settlement?.shares.map((s) => [s.payer, s.outcome])).toEqual([
      ['customer', 'paid'],
      ['warranty', 'claimable'],
    ]);
    expect(settled.settlement?.shares[0]?.total).toBe(customerDue);
    expect(noKeys.status).toBe(400);
    expect(delivered).toMatchObject({ status: 'delivered', delivery: { oldParts: 'retained_for_claim' } });
    expect(board.body.cards.map((c) => c.repairOrderId)).not.toContain(ro.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REPAIR_ORDER_TRANSITION_NOT_ALLOWED');
  });

  it('issues a line’s part only with the old part’s fate, up to what was approved, and takes back what is unused', async () => {
    // Prepare: a part of our own with 3 on the shelf, two of them on an approved line
    const cat = await catalogue();
    const keeper = demoUserWith('stock:move');
    const part = await call<{ id: string }>(demoUserWith('part:manage'), 'POST', `${store}/parts`, {
      body: {
        partNumber: `RO${uniqueSuffix().slice(-8)}`,
        name: { zh: '前刹车片', en: 'Front brake pads' },
        brand: 'Audi',
        listPrice: { amountMinor: 48_000, currency: 'CNY' },
        cost: { amountMinor: 30_000, currency: 'CNY' },
      },
    });
    expect(part.status, part.text).toBe(201);
    const received = await call(keeper, 'POST', `${store}/parts/${part.body.id}/movements`, {
      body: {
        kind: 'receive',
        bin: 'A-01-1-01',
        quantity: 3,
        document: { type: 'receipt', id: 'rcv_ro_test' },
      },
    });
    expect(received.status, received.text).toBe(201);
    let ro = await openOrder();
    ro = ok(
      await act(
        demo.advisorA,
        'PUT',
        `/${ro.id}/lines/L1`,
        {
          complaint: '刹车异响',
          payer: 'customer',
          labour: [{ labourOpId: cat.brakes }],
          parts: [{ partId: part.body.id, quantity: 2 }],
        },
        ro,
      ),
    );
    const early = await act(keeper, 'POST', `/${ro.id}/lines/L1/part-issues`, {
      partId: part.body.id,
      bin: 'A-01-1-01',
      quantity: 1,
      oldPart: 'retained_for_claim',
    });
    ro = ok(await act(demo.advisorA, 'POST', `/${ro.id}/quotes`, undefined, ro));
    ok(
      await act(demo.advisorA, 'POST', `/${ro.id}/approvals`, {
        quoteVersion: 1,
        method: 'remote_link',
        approverName: '客户',
        from: '198.51.100.1',
        decisions: [{ lineId: 'L1', approved: true }],
      }),
    );
    const issue = (quantity: number, extra: Record<string, unknown> = {}) =>
      act(keeper, 'POST', `/${ro.id}/lines/L1/part-issues`, {
        partId: part.body.id,
        bin: 'A-01-1-01',
        quantity,
        oldPart: 'retained_for_claim',
        ...extra,
      });
    const giveBack = (quantity: number) =>
      act(keeper, 'POST', `/${ro.id}/lines/L1/part-returns`, {
        partId: part.body.id,
        bin: 'A-01-1-01',
        quantity,
      });

    // Act
    const noNote = await issue(1, { oldPart: 'none_removed' });
    const first = await issue(1);
    const tooMany = await issue(2);
    const notOnLine = await issue(1, { partId: cat.partId });
    const advisorIssues = await call(demo.advisorA, 'POST', `${base}/${ro.id}/lines/L1/part-issues`, {
      body: { partId: part.body.id, bin: 'A-01-1-01', quantity: 1, oldPart: 'scrapped' },
    });
    const returned = await giveBack(1);
    const overReturn = await giveBack(1);
    const book = await call<{ stock: { onHand: number } }>(keeper, 'GET', `${store}/parts/${part.body.id}`);

    // Assess
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('PARTS_NOT_ISSUABLE');
    expect(noNote.status).toBe(400);
    expect(noNote.body.fieldErrors?.map((e) => e.path)).toEqual(['note']);
    expect(first.status, first.text).toBe(200);
    expect(first.body.lines[0]?.partIssues).toEqual([
      expect.objectContaining({ partId: part.body.id, quantity: 1, oldPart: 'retained_for_claim' }),
    ]);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ code: 'PART_ISSUE_EXCEEDS_LINE', onLine: 2, issued: 1 });
    expect(notOnLine.status).toBe(409);
    expect(notOnLine.body.code).toBe('PART_NOT_ON_LINE');
    expect(advisorIssues.status).toBe(403);
    expect(returned.status, returned.text).toBe(200);
    expect(returned.body.lines[0]?.partIssues.map((i) => i.quantity)).toEqual([1, -1]);
    expect(overReturn.status).toBe(409);
    expect(overReturn.body.code).toBe('PART_RETURN_EXCEEDS_ISSUED');
    expect(book.body.stock.onHand).toBe(3);
  });

  it('keeps another store out of every step', async () => {
    // Prepare
    const { ro } = await approvedOrder();

    // Act
    const reads = await Promise.all([
      act(demo.advisorB, 'GET', `/${ro.id}`),
      call(demo.advisorB, 'POST', `/v1/stores/${demo.storeB}/repair-orders/${ro.id}/quotes`, {
        headers: ifMatch(ro),
      }),
      call(demo.advisorB, 'POST', `/v1/stores/${demo.storeB}/repair-orders/${ro.id}/lines/L1/dispatch`, {
        body: { technicianId: demo.technicianAId },
      }),
    ]);

    // Assess: store A's path does not exist for B's advisor; B's own path does not know A's order
    expect(reads.map((r) => r.status)).toEqual([404, 404, 403]);
  });
});
