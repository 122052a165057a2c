import { expect } from 'vitest';
import { call } from './api.ts';
import { demo, uniqueSuffix, validVin } from './demo.ts';
import {
  ifMatch,
  ok,
  type Problem,
  type RepairOrder,
  type RepairOrderStaff,
  repairOrderDesk,
  STORE_A_STAFF,
  sealedPhoto,
} from './repair-orders.ts';
import { freshWarehouse, partInBin } from './stock.ts';

/** A claim as the API answers it (the fields the suites read). */
export interface Claim {
  id: string;
  oemId: string;
  status: string;
  version: number;
  repairOrderId: string;
  claimedMinor: number;
  lines: {
    id: string;
    repairOrderLineId: string;
    causalPart?: { partNumber: string };
    labour: { code: string; tenths: number; actualTenths: number }[];
    claimedMinor: number;
    decision?: { approvedMinor: number; adjustments: { reason: string }[] };
  }[];
  parts: { id: string; partNumber: string; status: string; returnRequest?: { dueBy: string } }[];
  photoIds: string[];
  decision?: { outcome: string; approvedMinor: number; reasons: string[] };
  payment?: { creditNote: string; amountMinor: number };
  infoRequest?: { question: string; dueBy: string };
}
export type ClaimAnswer = Claim & Problem;

/** Store A's hands for claimable work: the claims suites' own technician (mid level: brake discs). */
export const CLAIMS_STAFF: RepairOrderStaff = {
  ...STORE_A_STAFF,
  technician: demo.technicians.claims.username,
  technicianId: demo.technicians.claims.id,
};

/**
 * A settled order with one claimable line, as the claims specialist meets it: a warranty line (L2, front
 * brake discs BRK-03 with one part whose old part was kept for the claim) worked, checked and settled,
 * a sealed inspection photo, and the car's warranty started a year ago. L1 (customer pay) was declined.
 */
export async function claimableOrder(
  staff: RepairOrderStaff = CLAIMS_STAFF,
): Promise<{ ro: RepairOrder; partNumber: string }> {
  const desk = repairOrderDesk(staff);
  const { store } = desk;
  const bin = `${freshWarehouse()}-01-1-01`;
  const part = await partInBin(bin, 3);
  const ops = await call<{ items: { id: string; code: string }[] }>(
    staff.advisor,
    'GET',
    `${store}/setup/labour-ops?limit=100`,
  );
  const discs = ops.body.items.find((o) => o.code === 'BRK-03');
  const pads = ops.body.items.find((o) => o.code === 'BRK-01');
  if (!discs || !pads) throw new Error('the demo catalogue lacks BRK-01 or BRK-03');
  const s = uniqueSuffix();
  const customer = await call<{ id: string }>(staff.advisor, 'POST', `${store}/customers`, {
    body: { name: `索赔测试${s}`, phones: [{ number: `136${s.slice(-8).padStart(8, '0')}` }] },
  });
  const warrantyStart = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const vehicle = await call<{ id: string }>(staff.advisor, 'POST', `${store}/vehicles`, {
    body: {
      vin: validVin(),
      plate: `京E${s.slice(-5)}`,
      brand: 'Audi',
      model: 'A6L',
      modelYear: 2024,
      warrantyStart,
      ownerCustomerId: customer.body.id,
    },
  });
  expect(vehicle.status, vehicle.text).toBe(201);
  let ro = await desk.openOrder({ vehicle: { vehicleId: vehicle.body.id, customerId: customer.body.id } });
  await sealedPhoto(staff.advisor, staff.storeId, ro.id);
  ro = ok(
    await desk.act(
      staff.advisor,
      'PUT',
      `/${ro.id}/lines/L1`,
      { complaint: '刹车异响', payer: 'customer', labour: [{ labourOpId: pads.id }] },
      ro,
    ),
  );
  ro = ok(
    await desk.act(
      staff.advisor,
      'PUT',
      `/${ro.id}/lines/L2`,
      {
        complaint: '制动时方向盘抖动',
        cause: '前制动盘厚度不均，热变形超出限值',
        correction: '更换前制动盘并做制动系统检查',
        payer: 'warranty',
        labour: [{ labourOpId: discs.id }],
        parts: [{ partId: part.id, quantity: 1 }],
      },
      ro,
    ),
  );
  ro = ok(await desk.act(staff.advisor, 'POST', `/${ro.id}/quotes`, undefined, ro));
  ok(
    await desk.act(staff.advisor, 'POST', `/${ro.id}/approvals`, {
      quoteVersion: 1,
      method: 'remote_link',
      approverName: '索赔测试客户',
      from: '198.51.100.41',
      decisions: [
        { lineId: 'L1', approved: false },
        { lineId: 'L2', approved: true },
      ],
    }),
  );
  // Worked in one stretch; the counter issues the new disc while the line is in progress (以旧换新),
  // keeping the old one for the claim.
  ok(
    await desk.act(staff.workshopManager, 'POST', `/${ro.id}/lines/L2/dispatch`, {
      technicianId: staff.technicianId,
    }),
  );
  await desk.clockOn(ro, 'L2');
  ok(
    await desk.act(demo.warehouseKeeperA, 'POST', `/${ro.id}/lines/L2/part-issues`, {
      partId: part.id,
      bin,
      quantity: 1,
      oldPart: 'retained_for_claim',
    }),
  );
  ro = ok(await desk.act(staff.technician, 'POST', `/${ro.id}/lines/L2/clock-off`, { outcome: 'done' }));
  ro = await desk.checkedLine(ro, 'L2');
  // Only the warranty line was worked: the customer owes nothing.
  ro = ok(await desk.act(staff.advisor, 'POST', `/${ro.id}/settlement`, { payments: [] }, ro));
  return { ro, partNumber: part.partNumber };
}

/** The claims of demo store A, for the specialist. */
export function claimsDesk(storeId = demo.storeA, user = demo.claimsSpecialistA) {
  const base = `/v1/stores/${storeId}/claims`;
  const act = (method: string, path: string, body?: unknown, version?: { version: number }, as = user) =>
    call<ClaimAnswer>(as, method, `${base}${path}`, {
      ...(body === undefined ? {} : { body }),
      ...(version ? { headers: ifMatch(version) } : {}),
    });
  return { base, act };
}

/** A claim of store A filed from a fresh claimable order, its pre-check mended, submitted to FAW-VW. */
export async function submittedClaim(): Promise<Claim> {
  const { act } = claimsDesk();
  const { ro } = await claimableOrder();
  let claim = (await act('POST', '', { repairOrderId: ro.id })).body as Claim;
  claim = (
    await act(
      'PATCH',
      `/${claim.id}`,
      { lines: [{ id: 'L1', conditionCode: 'VIB-02', defectCode: 'DISC-TV' }] },
      claim,
    )
  ).body as Claim;
  const submitted = await act('POST', `/${claim.id}/submissions`, {}, claim);
  expect(submitted.status, submitted.text).toBe(200);
  return submitted.body;
}
