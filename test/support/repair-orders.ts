import { expect } from 'vitest';
import { type ApiResponse, call } from './api.ts';
import { demo, uniqueSuffix, validVin } from './demo.ts';

/**
 * A repair order walked through the API by the hands each step needs (接车 → 诊断 → 报价 → 确认 → 派工 →
 * 维修 → 三检 → 结算 → 交车), in one store: shared by the suites that drive orders to delivery.
 */

export interface Line {
  id: string;
  status: string;
  origin: string;
  payer: string;
  technicianId?: string;
  labour: { code: string; tenths: number; rate: { amountMinor: number } }[];
  parts: { partNumber: string; unitPrice: { amountMinor: number } }[];
  clockings: { technicianId: string; endedAt?: string; pauseReason?: string }[];
  partIssues: { partId: string; quantity: number; oldPart?: string }[];
  reworkCount: number;
}
export interface RepairOrder {
  id: string;
  status: string;
  version: number;
  vehicleId: string;
  customerId: string;
  promisedAt: string;
  comebackOf?: string;
  lines: Line[];
  quotes: {
    version: number;
    total: number;
    lines: { lineId: string; offered: boolean }[];
    byPayer: { payer: string; net: number; total: number }[];
  }[];
  approvals: { quoteVersion: number; method: string; approvedLineIds: string[]; declinedLineIds: string[] }[];
  settlement?: { shares: { payer: string; net: number; total: number; outcome: string }[]; total: number };
  delivery?: { oldParts: string; by: { userId: string } };
}
export type Problem = { code: string; fieldErrors?: { path: string; code: string }[] } & Record<
  string,
  unknown
>;
export type Answer = ApiResponse<RepairOrder & Problem>;

/** The store's staff who take an order through its day. */
export interface RepairOrderStaff {
  storeId: string;
  advisor: string;
  /** Dispatches, and gives the team check. */
  workshopManager: string;
  technician: string;
  technicianId: string;
  /** Gives the final check (总检): the technical director, or the workshop manager where there is none. */
  finalChecker: string;
}

/** Store A's hands, with the store's shared technician (suites that clock on a lot take their own). */
export const STORE_A_STAFF: RepairOrderStaff = {
  storeId: demo.storeA,
  advisor: demo.advisorA,
  workshopManager: demo.workshopManagerA,
  technician: demo.technicianA,
  technicianId: demo.technicianAId,
  finalChecker: demo.technicalDirectorA,
};

export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
export const ifMatch = (ro: { version: number }) => ({ 'if-match': `"${ro.version}"` });

export function ok(res: Answer): RepairOrder {
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The delivery checklist (交车检查) with the old parts' fate. */
export const handOver = (oldParts: string, keysHandedOver = true) => ({
  keysHandedOver,
  valuablesReturned: true,
  workExplained: true,
  oldParts,
});

/** What a new order is opened with: a fresh customer's car unless `vehicle` names one. */
export interface Opening {
  vehicle?: { vehicleId: string; customerId: string } | undefined;
  promisedAt?: string | undefined;
  /** The reading at reception (31,000 km unless given: a car back again needs a higher one). */
  odometerKm?: number | undefined;
}

/** A drawn signature's bytes: what matters to the seal is its bytes, not that it decodes. */
const SIGNATURE_PNG = new TextEncoder().encode('\x89PNG\r\n\x1a\n signed at the counter');

/**
 * 客户签字 as the counter tablet keeps it: uploaded straight to S3 and sealed on the order as a signature;
 * the `signatureRef` a counter approval names.
 */
export async function sealedSignature(user: string, storeId: string, repairOrderId: string): Promise<string> {
  return `photo:${await sealedPhoto(user, storeId, repairOrderId, 'signature')}`;
}

/** A photo uploaded straight to S3 and sealed on the order (an inspection photo, or the signature); its id. */
export async function sealedPhoto(
  user: string,
  storeId: string,
  repairOrderId: string,
  purpose: 'inspection' | 'signature' = 'inspection',
): Promise<string> {
  const base = `/v1/stores/${storeId}/repair-orders/${repairOrderId}/photos`;
  const upload = await call<{
    photoId: string;
    url: string;
    method: string;
    headers: Record<string, string>;
  }>(user, 'POST', base, { body: { contentType: 'image/png', bytes: SIGNATURE_PNG.byteLength } });
  expect(upload.status, upload.text).toBe(200);
  const put = await fetch(upload.body.url, {
    method: upload.body.method,
    headers: upload.body.headers,
    body: SIGNATURE_PNG,
  });
  expect(put.status).toBe(200);
  const sealed = await call(user, 'POST', `${base}/${upload.body.photoId}/seal`, { body: { purpose } });
  expect(sealed.status, sealed.text).toBe(200);
  return upload.body.photoId;
}

/** The steps of an order's day in `staff`'s store. */
export function repairOrderDesk(staff: RepairOrderStaff) {
  const store = `/v1/stores/${staff.storeId}`;
  const base = `${store}/repair-orders`;

  function act(user: string, method: string, path: string, body?: unknown, version?: { version: number }) {
    return call<RepairOrder & Problem>(user, method, `${base}${path}`, {
      ...(body === undefined ? {} : { body }),
      ...(version ? { headers: ifMatch(version) } : {}),
    });
  }

  /** The catalogue's BRK-01 (chassis, junior: the demo technician's work) and BRK-02, and a part. */
  async function catalogue(): Promise<{ brakes: string; other: string; partId: string; partPrice: number }> {
    const ops = await call<{ items: { id: string; code: string }[] }>(
      staff.advisor,
      'GET',
      `${store}/setup/labour-ops?limit=100`,
    );
    const parts = await call<{ items: { id: string; listPrice: { amountMinor: number } }[] }>(
      staff.advisor,
      'GET',
      `${store}/parts?limit=1`,
    );
    const brakes = ops.body.items.find((o) => o.code === 'BRK-01');
    const other = ops.body.items.find((o) => o.code === 'BRK-02');
    const part = parts.body.items[0];
    if (!brakes || !other || !part) throw new Error('the demo catalogue lacks BRK-01, BRK-02 or parts');
    return { brakes: brakes.id, other: other.id, partId: part.id, partPrice: part.listPrice.amountMinor };
  }

  /** A fresh customer with one car. */
  async function customerWithCar(): Promise<{ vehicleId: string; customerId: string }> {
    const s = uniqueSuffix();
    const customer = await call<{ id: string }>(staff.advisor, 'POST', `${store}/customers`, {
      body: { name: `全天测试${s}`, phones: [{ number: `137${s.slice(-8).padStart(8, '0')}` }] },
    });
    const vehicle = await call<{ id: string }>(staff.advisor, 'POST', `${store}/vehicles`, {
      body: {
        vin: validVin(),
        plate: `京D${s.slice(-5)}`,
        brand: 'Audi',
        model: 'A4L',
        ownerCustomerId: customer.body.id,
      },
    });
    return { vehicleId: vehicle.body.id, customerId: customer.body.id };
  }

  /** A walk-in with two concerns, taken into diagnosis. */
  async function openOrder(opening: Opening = {}): Promise<RepairOrder> {
    const car = opening.vehicle ?? (await customerWithCar());
    const opened = await call<RepairOrder>(staff.advisor, 'POST', base, {
      body: {
        source: { kind: 'walk_in' },
        ...car,
        odometerKm: opening.odometerKm ?? 31_000,
        fuelLevel: 5,
        promisedAt: opening.promisedAt ?? inHours(5),
        concerns: [{ words: '刹车异响' }, { words: '后刹车片磨损报警', payer: 'warranty' }],
      },
    });
    expect(opened.status, opened.text).toBe(201);
    return ok(
      await act(staff.advisor, 'POST', `/${opened.body.id}/transitions`, { to: 'diagnosing' }, opened.body),
    );
  }

  /** Diagnosed, quoted and approved at the counter: L1 the customer's, L2 the maker's under warranty. */
  async function approvedOrder(
    opening: Opening = {},
  ): Promise<{ ro: RepairOrder; cat: Awaited<ReturnType<typeof catalogue>> }> {
    const cat = await catalogue();
    let ro = await openOrder(opening);
    ro = ok(
      await act(
        staff.advisor,
        'PUT',
        `/${ro.id}/lines/L1`,
        {
          complaint: '刹车异响',
          cause: '前刹车片磨损到极限',
          correction: '更换前刹车片',
          payer: 'customer',
          labour: [{ labourOpId: cat.brakes }],
          parts: [{ partId: cat.partId, quantity: 1 }],
          consumables: [{ name: '刹车清洗剂', amount: { amountMinor: 1500, currency: 'CNY' } }],
        },
        ro,
      ),
    );
    ro = ok(
      await act(
        staff.advisor,
        'PUT',
        `/${ro.id}/lines/L2`,
        { complaint: '后刹车片磨损报警', payer: 'warranty', labour: [{ labourOpId: cat.other }] },
        ro,
      ),
    );
    ro = ok(await act(staff.advisor, 'POST', `/${ro.id}/quotes`, undefined, ro));
    ro = ok(
      await act(staff.advisor, 'POST', `/${ro.id}/approvals`, {
        quoteVersion: 1,
        method: 'counter_signature',
        approverName: '全天测试客户',
        from: 'counter-tablet-1',
        signatureRef: await sealedSignature(staff.advisor, staff.storeId, ro.id),
        decisions: [
          { lineId: 'L1', approved: true },
          { lineId: 'L2', approved: true },
        ],
      }),
    );
    return { ro, cat };
  }

  /** Priced and quoted, then answered by the link: L1 (brakes) approved, L2 (the warning) declined. */
  async function declinedOrder(opening: Opening = {}): Promise<RepairOrder> {
    const cat = await catalogue();
    let ro = await openOrder(opening);
    const work = { L1: ['刹车异响', cat.brakes], L2: ['后刹车片磨损报警', cat.other] } as const;
    for (const [lineId, [complaint, labourOpId]] of Object.entries(work))
      ro = ok(
        await act(
          staff.advisor,
          'PUT',
          `/${ro.id}/lines/${lineId}`,
          { complaint, payer: 'customer', labour: [{ labourOpId }] },
          ro,
        ),
      );
    ro = ok(await act(staff.advisor, 'POST', `/${ro.id}/quotes`, undefined, ro));
    return ok(
      await act(staff.advisor, 'POST', `/${ro.id}/approvals`, {
        quoteVersion: 1,
        method: 'remote_link',
        approverName: '客户',
        from: '198.51.100.30',
        decisions: [
          { lineId: 'L1', approved: true },
          { lineId: 'L2', approved: false },
        ],
      }),
    );
  }

  /**
   * The technician clocks on a line: the store's technician is shared by the suites, so while they are
   * clocked on another suite's order (409 TECHNICIAN_ALREADY_CLOCKED_ON) this waits and tries again.
   */
  async function clockOn(ro: RepairOrder, lineId: string): Promise<RepairOrder> {
    for (let attempt = 1; ; attempt++) {
      const res = await act(staff.technician, 'POST', `/${ro.id}/lines/${lineId}/clock-on`);
      if (res.status !== 409 || res.body.code !== 'TECHNICIAN_ALREADY_CLOCKED_ON' || attempt >= 20)
        return ok(res);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** The line given to the technician and worked to done in one stretch. */
  async function workedLine(ro: RepairOrder, lineId: string): Promise<RepairOrder> {
    ok(
      await act(staff.workshopManager, 'POST', `/${ro.id}/lines/${lineId}/dispatch`, {
        technicianId: staff.technicianId,
      }),
    );
    await clockOn(ro, lineId);
    return ok(
      await act(staff.technician, 'POST', `/${ro.id}/lines/${lineId}/clock-off`, { outcome: 'done' }),
    );
  }

  /** Self, team and final checks passed. */
  async function checkedLine(ro: RepairOrder, lineId: string): Promise<RepairOrder> {
    const path = `/${ro.id}/lines/${lineId}/checks`;
    ok(await act(staff.technician, 'POST', path, { stage: 'self', passed: true }));
    ok(await act(staff.workshopManager, 'POST', path, { stage: 'team', passed: true }));
    return ok(await act(staff.finalChecker, 'POST', path, { stage: 'final', passed: true }));
  }

  /** A ready order settled, the customer paying exactly their share. */
  async function settled(ready: RepairOrder): Promise<RepairOrder> {
    const due = ready.quotes.at(-1)?.byPayer.find((s) => s.payer === 'customer')?.total ?? 0;
    return ok(
      await act(
        staff.advisor,
        'POST',
        `/${ready.id}/settlement`,
        { payments: due ? [{ method: 'wechat', amount: { amountMinor: due, currency: 'CNY' } }] : [] },
        ready,
      ),
    );
  }

  return {
    staff,
    store,
    base,
    act,
    catalogue,
    customerWithCar,
    openOrder,
    approvedOrder,
    declinedOrder,
    clockOn,
    workedLine,
    checkedLine,
    settled,
  };
}
