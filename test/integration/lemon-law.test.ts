import { applyRepairVisit, EMPTY_LEMON_COUNTERS, RepairOrder, repairVisitOf } from '@aftersales/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStackEnv } from '../support/api.ts';
import { handOver, ok, repairOrderDesk, STORE_A_STAFF, sealedSignature } from '../support/repair-orders.ts';

/**
 * 三包预警's seam with the repair order: a warranty line coded with its fault through the API gives, once
 * the order is delivered, the visit the vehicle's 三包 counters fold.
 */
beforeAll(() => useStackEnv());

const desk = repairOrderDesk(STORE_A_STAFF);
const { advisor } = STORE_A_STAFF;

describe('a warranty line’s fault', () => {
  it('is kept on the line through the order’s day and becomes the delivered order’s 三包 visit', async () => {
    // Prepare: L1 the customer's, L2 under warranty with its fault coded
    const cat = await desk.catalogue();
    let ro = await desk.openOrder();
    ro = ok(
      await desk.act(
        advisor,
        'PUT',
        `/${ro.id}/lines/L1`,
        { complaint: '刹车异响', payer: 'customer', labour: [{ labourOpId: cat.brakes }] },
        ro,
      ),
    );
    const warrantyWork = (fault: unknown) => ({
      complaint: '后刹车片磨损报警',
      payer: 'warranty',
      labour: [{ labourOpId: cat.other }],
      fault,
    });

    // Act
    const unknownSystem = await desk.act(
      advisor,
      'PUT',
      `/${ro.id}/lines/L2`,
      warrantyWork({ system: 'wheels', code: 'X1' }),
      ro,
    );
    ro = ok(
      await desk.act(
        advisor,
        'PUT',
        `/${ro.id}/lines/L2`,
        warrantyWork({
          system: 'brakes',
          code: ' c1234 ',
          mainPartsReplaced: [{ system: 'brakes', part: '制动钳' }],
        }),
        ro,
      ),
    );
    ro = ok(await desk.act(advisor, 'POST', `/${ro.id}/quotes`, undefined, ro));
    ro = ok(
      await desk.act(advisor, 'POST', `/${ro.id}/approvals`, {
        quoteVersion: 1,
        method: 'counter_signature',
        approverName: '三包测试客户',
        from: 'counter-tablet-1',
        signatureRef: await sealedSignature(advisor, STORE_A_STAFF.storeId, ro.id),
        decisions: [
          { lineId: 'L1', approved: true },
          { lineId: 'L2', approved: true },
        ],
      }),
    );
    await desk.workedLine(ro, 'L1');
    await desk.workedLine(ro, 'L2');
    await desk.checkedLine(ro, 'L1');
    const ready = await desk.checkedLine(ro, 'L2');
    const settled = await desk.settled(ready);
    const delivered = RepairOrder.parse(
      ok(await desk.act(advisor, 'POST', `/${ro.id}/delivery`, handOver('retained_for_claim'), settled)),
    );
    const visit = repairVisitOf(delivered, { excludedWaitDays: 0, loanerDays: 0 });

    // Assess
    expect(unknownSystem.status).toBe(400);
    expect(unknownSystem.body.fieldErrors?.map((e) => e.path)).toContain('fault.system');
    const finalChecks = delivered.lines.flatMap((l) => l.checks.filter((c) => c.stage === 'final'));
    expect(visit).toEqual({
      repairOrderId: ro.id,
      signedAt: delivered.createdAt,
      pickupNoticeAt: finalChecks
        .map((c) => c.by.at)
        .sort()
        .at(-1),
      odometerKm: 31_000,
      problems: [
        {
          system: 'brakes',
          code: 'C1234',
          seriousSafety: false,
          mainPartsReplaced: [{ system: 'brakes', part: '制动钳' }],
        },
      ],
      excludedWaitDays: 0,
      batteryShippingDays: 0,
      loanerDays: 0,
    });
    expect(applyRepairVisit(EMPTY_LEMON_COUNTERS, visit!).visits).toHaveLength(1);
  });
});
