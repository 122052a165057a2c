import { demoUserFor } from '@aftersales/seed';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { customerWithCar, openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * The workshop floor in the browser (派工 · 开工 · 自检 · 控工看板): the workshop manager gives an approved
 * line to the technician, who works it on a phone — on, paused for parts, on again, done, self-checked —
 * and the wall board shows it, reading the board once per refresh.
 */
const inBrowser = useBrowser();

const STORE = demo.storeA;
const store = `/v1/stores/${STORE}`;
const manager = demoUserFor('workshop_manager', STORE).username;
/** A demo technician of this suite's own (a technician is clocked on one line at a time). */
const technician = demo.technicians.workshopScreens;
const PHONE = { width: 390, height: 844 };

type Order = { id: string; version: number; lines: { id: string; status: string }[] };
type Board = {
  cards: { repairOrderId: string; advisorName?: string }[];
  technicians: { technicianId: string; name: string }[];
};

async function ok<T>(answer: Promise<{ status: number; text: string; body: T }>): Promise<T> {
  const res = await answer;
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** A walk-in's brake job (BRK-01, the demo technician's skill and level), quoted and approved at the counter. */
async function approvedBrakeJob(): Promise<{ order: Order; plate: string }> {
  const advisor = demo.advisorA;
  const who = await customerWithCar(STORE, advisor);
  const ops = await ok(
    call<{ items: { id: string; code: string }[] }>(advisor, 'GET', `${store}/setup/labour-ops?limit=100`),
  );
  const brakes = ops.items.find((o) => o.code === 'BRK-01');
  if (!brakes) throw new Error('the demo catalogue lacks BRK-01');
  const opened = await call<Order>(advisor, 'POST', `${store}/repair-orders`, {
    body: {
      source: { kind: 'walk_in' },
      customerId: who.customerId,
      vehicleId: who.vehicleId,
      odometerKm: 42_000,
      fuelLevel: 4,
      promisedAt: new Date(Date.now() + 4 * 3_600_000).toISOString(),
      concerns: [{ words: '刹车异响' }],
    },
  });
  expect(opened.status, opened.text).toBe(201);
  let order = opened.body;
  const step = async (method: string, path: string, body?: unknown, ifMatch = true) => {
    order = await ok(
      call<Order>(advisor, method, `${store}/repair-orders/${order.id}${path}`, {
        ...(body === undefined ? {} : { body }),
        ...(ifMatch ? { headers: { 'if-match': `"${order.version}"` } } : {}),
      }),
    );
  };
  await step('POST', '/transitions', { to: 'diagnosing' });
  await step('PUT', '/lines/L1', {
    complaint: '刹车异响',
    correction: '更换前刹车片',
    payer: 'customer',
    labour: [{ labourOpId: brakes.id }],
  });
  await step('POST', '/quotes');
  await step(
    'POST',
    '/approvals',
    {
      quoteVersion: 1,
      method: 'remote_link',
      approverName: who.name,
      from: '198.51.100.20',
      decisions: [{ lineId: 'L1', approved: true }],
    },
    false,
  );
  return { order, plate: who.plate };
}

let prepared: { order: Order; plate: string } | undefined;

// Whatever failed on the way, the shared technician is not left clocked on this line.
afterAll(async () => {
  if (!prepared) return;
  await call(technician.username, 'POST', `${store}/repair-orders/${prepared.order.id}/lines/L1/clock-off`, {
    body: { outcome: 'done' },
  });
});

describe('the workshop floor in the browser', () => {
  it('dispatches a line, works it on a phone with a pause for parts, self-checks it, and shows it on the board', async () => {
    // Prepare
    prepared = await approvedBrakeJob();
    const { order, plate } = prepared;
    const setup = await ok(
      call<{ bays: { id: string; active?: boolean }[] }>(manager, 'GET', `${store}/setup`),
    );
    const bay = setup.bays.find((b) => b.active !== false);
    const board = await ok(call<Board>(manager, 'GET', `${store}/workshop-board`));
    const techName = board.technicians.find((x) => x.technicianId === technician.id)?.name ?? '';
    expect(techName).not.toBe('');
    const advisorName = board.cards.find((c) => c.repairOrderId === order.id)?.advisorName ?? '';
    expect(advisorName).not.toBe('');
    const line = 'L1 刹车异响';

    // Act: the workshop manager gives the line to the technician, at a bay
    await inBrowser('workshop-dispatch', async (page) => {
      await signIn(page, manager);
      await openByUrl(page, STORE, 'workshop/dispatch');
      const row = page.getByRole('region', { name: `${plate} ${line}` });
      await row.getByLabel('技师').selectOption(technician.id);
      if (bay) await row.getByLabel('工位').selectOption(bay.id);
      await row.getByRole('button', { name: `派工：${plate} 的 ${line}` }).click();
      await page.getByText(`${plate} 的 ${line} 已派给 ${techName}。`).waitFor();
    });

    // Act: the technician works it on a phone
    await inBrowser(
      'workshop-my-work',
      async (page) => {
        await signIn(page, technician.username);
        await openByUrl(page, STORE, 'workshop/my-work');
        const job = page.getByRole('region', { name: plate });
        await job.getByRole('button', { name: '开工' }).click();
        await job.getByText(/本次已用 \d+:\d\d:\d\d/).waitFor();
        await job.getByRole('button', { name: '暂停' }).click();
        const pause = page.getByRole('dialog', { name: `暂停 ${line}` });
        await pause.getByLabel('等待配件').check();
        await pause.getByRole('button', { name: '确认暂停' }).click();
        await job.getByText('已暂停 · 等待配件').waitFor();
        await job.getByRole('button', { name: '开工' }).click();
        await job.getByRole('button', { name: '完工' }).click();
        await job.getByRole('button', { name: '自检 · 合格' }).click();

        // Assess: waiting for the team check, nothing running
        await job.getByText('等待互检').waitFor();
        expect(await job.getByText(/本次已用/).count()).toBe(0);
      },
      { viewport: PHONE },
    );

    // Assess: the board shows the order with its line and technician, read once per refresh
    await inBrowser('workshop-board', async (page) => {
      await signIn(page, manager);
      const reads: number[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/workshop-board')) reads.push(Date.now());
      });
      await openByUrl(page, STORE, 'workshop/board?every=1');
      const card = page.getByRole('article', { name: plate });
      await card.getByText(line).waitFor();
      await card.getByText(techName).waitFor();
      await card.getByText(`服务顾问 ${advisorName}`).waitFor();
      await card.getByText('已自检').waitFor();
      await page.getByText(/更新于/).waitFor();
      // Two more refresh cycles of one second (plus the answer's time under load).
      const seen = reads.length;
      await expect.poll(() => reads.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(seen + 2);
      const gaps = reads.slice(1).map((at, i) => at - (reads[i] ?? 0));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);
    });

    const after = await ok(call<Order>(technician.username, 'GET', `${store}/repair-orders/${order.id}`));
    expect(after.lines.find((l) => l.id === 'L1')?.status).toBe('self_checked');
  });
});
