import { addDays, permissionsOf } from '@aftersales/domain';
import { DEMO_USERS } from '@aftersales/seed';
import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { customerWithCar, openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * Appointments (预约) in the browser: an advisor books a customer at the desk and sees the day's bar
 * fill; a booking is moved with the keyboard alone; a role that only reads bookings is offered no
 * form and no move. Bookings in store B, whose days the API suites do not fill.
 */
const inBrowser = useBrowser();
type Day = { date: string; open: boolean; capacity: Record<string, number>; booked: Record<string, number> };

const STORE = demo.storeB;
const advisor = demo.advisorB;
/** Someone who reads bookings but may not make or move them (workshop, parts): store B has none, A has. */
const READ_ONLY_STORE = demo.storeA;
const reader = DEMO_USERS.find((u) =>
  u.memberships.some((m) => {
    if (m.tenantId !== READ_ONLY_STORE) return false;
    const held: ReadonlySet<string> = permissionsOf(m.roles);
    return held.has('appointment:read') && !held.has('appointment:manage');
  }),
)!.username;

const today = () => new Date().toISOString().slice(0, 10);

/** A day from the day after tomorrow on that is open and has `tenths` of general hours free. */
async function dayWithRoom(tenths: number): Promise<Day> {
  for (let week = 0; week < 4; week++) {
    const from = addDays(today(), 2 + week * 7);
    const r = await call<{ days: Day[] }>(
      advisor,
      'GET',
      `/v1/stores/${STORE}/appointments/calendar?from=${from}&days=7`,
    );
    expect(r.status).toBe(200);
    const day = r.body.days.find(
      (d) => d.open && (d.capacity.general ?? 0) - (d.booked.general ?? 0) >= tenths,
    );
    if (day) return day;
  }
  throw new Error(`no day in four weeks with ${tenths / 10} h free in ${STORE}`);
}

const bar = (hours: { booked: number; capacity: number }) =>
  `机修：已约 ${(hours.booked / 10).toFixed(1)} / ${(hours.capacity / 10).toFixed(1)} 小时`;

describe('appointments in the browser', () => {
  it('lets an advisor book a customer at the desk, and the day’s bar fills', async () => {
    const day = await dayWithRoom(20);
    const who = await customerWithCar(STORE, advisor);

    await inBrowser('appointment-book', async (page) => {
      // Prepare
      await signIn(page, advisor);
      await openByUrl(page, STORE, `appointments/new?date=${day.date}`);

      // Act: found by plate, the customer's words with a 2-hour estimate, booked
      await page.getByLabel('查找客户或车辆：车牌、VIN、电话或姓名').fill(who.plate);
      await page.getByRole('button', { name: '查找', exact: true }).click();
      await page.getByRole('button', { name: /Tiguan L/ }).click();
      await page.getByText(who.name).waitFor();
      await page.getByLabel('客户描述').fill('刹车异响，顺便保养');
      await page.getByLabel('预估工时').fill('2');
      await page.getByRole('button', { name: '预约', exact: true }).click();

      // Assess: on the day's calendar, the booking listed and the general bar grown by two hours
      await page.getByRole('heading', { name: '预约看板' }).waitFor();
      await page.getByRole('link', { name: who.name }).waitFor();
      const after = await call<{ days: Day[] }>(
        advisor,
        'GET',
        `/v1/stores/${STORE}/appointments/calendar?from=${day.date}&days=1`,
      );
      const now = after.body.days[0]!;
      expect(now.booked.general ?? 0).toBeGreaterThanOrEqual((day.booked.general ?? 0) + 20);
      await page
        .getByText(bar({ booked: now.booked.general ?? 0, capacity: now.capacity.general ?? 0 }))
        .waitFor();
    });
  }, 120_000);

  it('moves a booking to the next hour with the keyboard alone', async () => {
    const day = await dayWithRoom(10);
    const who = await customerWithCar(STORE, advisor);
    const booked = await call<{ id: string; time: string }>(
      advisor,
      'POST',
      `/v1/stores/${STORE}/appointments`,
      {
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: {
          customerId: who.customerId,
          vehicleId: who.vehicleId,
          date: day.date,
          time: '10:00',
          concern: '空调不凉',
        },
      },
    );
    expect(booked.status).toBe(201);

    await inBrowser('appointment-keyboard-move', async (page) => {
      // Prepare
      await signIn(page, advisor);
      await openByUrl(page, STORE, `appointments?date=${day.date}`);
      const move = page.getByRole('button', { name: `改约：${who.name}` });
      await move.waitFor();

      // Act: Move…, one row down, Enter
      await move.focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');

      // Assess: said, and the booking an hour later on the same day
      await page.getByText(`${who.name} 已改约到`).waitFor();
      const moved = await call<{ date: string; time: string }>(
        advisor,
        'GET',
        `/v1/stores/${STORE}/appointments/${booked.body.id}`,
      );
      expect(moved.body.date).toBe(day.date);
      expect(moved.body.time > '10:00').toBe(true);
      // Focus followed the booking to its new hour (once the reloaded calendar shows it there).
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-move'));
      await page
        .waitForFunction((id) => document.activeElement?.getAttribute('data-move') === id, booked.body.id, {
          timeout: 5_000,
        })
        .catch(() => undefined);
      expect(await focused()).toBe(booked.body.id);
    });
  }, 120_000);

  it('offers a role that only reads bookings no booking form and nothing to move', async () => {
    await inBrowser('appointment-read-only', async (page) => {
      // Act
      await signIn(page, reader);
      await openByUrl(page, READ_ONLY_STORE, 'appointments?view=week');
      await page.getByRole('heading', { name: '预约看板' }).waitFor();
      await page.getByText('您可以查看预约；预约和改约由前台办理。').waitFor();

      // Assess: no "new booking", no Move…, nothing draggable; the form's address says not allowed
      expect(await page.getByRole('link', { name: '新建预约' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^改约/ }).count()).toBe(0);
      expect(await page.locator('[draggable="true"]').count()).toBe(0);
      await openByUrl(page, READ_ONLY_STORE, 'appointments/new');
      await page.getByText(/无权使用此页面/).waitFor();
      expect(await page.getByLabel('查找客户或车辆：车牌、VIN、电话或姓名').count()).toBe(0);
      expect(await page.getByRole('button', { name: '预约', exact: true }).count()).toBe(0);
    });
  }, 120_000);
});
