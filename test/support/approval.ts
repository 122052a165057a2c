import { DataAccess } from '@aftersales/data';
import { Outbox } from '@aftersales/data/messages';
import { expect } from 'vitest';
import { call, stack } from './api.ts';
import { demo, uniqueSuffix, validVin } from './demo.ts';

/** 远程确认 in tests: a quoted order of store A, its link texted, and the token read from the outbox. */

const store = `/v1/stores/${demo.storeA}`;
export const repairOrdersPath = `${store}/repair-orders`;
export const HOUR = 3_600_000;

export interface Approval {
  quoteVersion: number;
  method: string;
  approverName: string;
  from: string;
  approvedLineIds: string[];
  declinedLineIds: string[];
  recordedBy: { userId: string };
}
export interface QuotedOrder {
  id: string;
  version: number;
  approvals: Approval[];
  lines: { id: string; status: string }[];
}

const actor = { userId: demo.advisorAId, name: 'Advisor', roles: ['service_advisor' as const] };
/** Store A's data as its advisor, on the system clock or on `now`. */
export function storeA(now?: () => Date) {
  return new DataAccess({ tableName: stack.tableName }).forTenant({
    tenantId: demo.storeA,
    actor,
    ...(now ? { now } : {}),
  });
}

/** The token in a queued text's link, and the text. */
export async function tokenOf(messageId: string): Promise<{ token: string; text: string }> {
  const message = await storeA().repo(Outbox).require(messageId);
  const token = /token=([A-Za-z0-9_-]{43})/.exec(message.text)?.[1];
  if (!token) throw new Error(`no link in "${message.text}"`);
  return { token, text: message.text };
}

/** A walk-in of a new customer, L1 paid by the customer and L2 under warranty, quoted (version 1). */
export async function quotedOrder(): Promise<{
  ro: QuotedOrder;
  name: string;
  phone: string;
  plate: string;
}> {
  const s = uniqueSuffix();
  const [name, phone, plate] = [`远程确认${s}`, `139${s.slice(-8).padStart(8, '0')}`, `沪A${s.slice(-5)}`];
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', `${store}/customers`, {
    body: { name, phones: [{ number: phone, label: 'mobile' }] },
  });
  const vehicle = await call<{ id: string }>(demo.advisorA, 'POST', `${store}/vehicles`, {
    body: { vin: validVin(), plate, brand: 'Audi', model: 'Q5L', ownerCustomerId: customer.body.id },
  });
  const ops = await call<{ items: { id: string; code: string }[] }>(
    demo.advisorA,
    'GET',
    `${store}/setup/labour-ops?limit=100`,
  );
  const brakes = ops.body.items.find((o) => o.code === 'BRK-01')?.id;
  const opened = await call<QuotedOrder>(demo.advisorA, 'POST', repairOrdersPath, {
    body: {
      source: { kind: 'walk_in' },
      customerId: customer.body.id,
      vehicleId: vehicle.body.id,
      odometerKm: 12_000,
      fuelLevel: 6,
      promisedAt: new Date(Date.now() + 6 * HOUR).toISOString(),
      concerns: [{ words: '刹车异响' }, { words: '雨刮器不回位', payer: 'warranty' }],
    },
  });
  expect(opened.status, opened.text).toBe(201);
  let ro = opened.body;
  const step = async (method: string, path: string, body?: unknown) => {
    const res = await call<QuotedOrder>(demo.advisorA, method, `${repairOrdersPath}/${ro.id}${path}`, {
      ...(body === undefined ? {} : { body }),
      headers: { 'if-match': `"${ro.version}"` },
    });
    expect(res.status, res.text).toBe(200);
    ro = res.body;
  };
  await step('POST', '/transitions', { to: 'diagnosing' });
  await step('PUT', '/lines/L1', {
    complaint: '刹车异响',
    payer: 'customer',
    labour: [{ labourOpId: brakes }],
  });
  await step('PUT', '/lines/L2', {
    complaint: '雨刮器不回位',
    payer: 'warranty',
    labour: [{ labourOpId: brakes }],
  });
  await step('POST', '/quotes');
  return { ro, name, phone, plate };
}

/** The advisor texts the link of the order's current quote. */
export const sendLink = (ro: { id: string }, user = demo.advisorA) =>
  call<{ messageId: string; quoteVersion: number; expiresAt: string; code: string }>(
    user,
    'POST',
    `${repairOrdersPath}/${ro.id}/approval-links`,
    { body: {} },
  );
