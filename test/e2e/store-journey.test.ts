import { addDays, weekdayOf } from '@aftersales/domain';
import { DEMO_INDEPENDENT_STORE, demoUserFor } from '@aftersales/seed';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';
import { uniqueSuffix } from '../support/demo.ts';
import { addBayAndSave, customerWithCar, openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * Issue 16's journey in one store, through its screens: the service manager adds a technician with a
 * shift and a general bay; a customer books on the public page from a phone; the advisor links that
 * request to the customer and vehicle found by plate, confirms it, and sees the day's general bar
 * fuller than before the request. The independent store, which no other browser or API suite books or
 * sets up, on a Tuesday to Thursday past the seeded week of bookings but within the public page's
 * fortnight.
 */
const inBrowser = useBrowser();
const PHONE = { width: 390, height: 844 };

const STORE = DEMO_INDEPENDENT_STORE;
const manager = demoUserFor('service_manager', STORE.id).username;
const advisor = demoUserFor('service_advisor', STORE.id).username;
const WEEKDAY_ZH = { tue: '周二', wed: '周三', thu: '周四' } as const;

/** The first Tuesday to Thursday 8–13 days ahead in the store's zone (seeded bookings stop at 7). */
function journeyDay(): { date: string; weekday: keyof typeof WEEKDAY_ZH } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: STORE.timeZone }).format(new Date());
  for (let ahead = 8; ahead <= 13; ahead++) {
    const date = addDays(today, ahead);
    const weekday = weekdayOf(date);
    if (weekday === 'tue' || weekday === 'wed' || weekday === 'thu') return { date, weekday };
  }
  throw new Error('no Tuesday to Thursday 8–13 days ahead');
}

/** The hours booked that the day's general (机修) bar reads, e.g. `机修：已约 3.0 / 51.0 小时` → 3. */
async function generalBooked(bars: Locator): Promise<number> {
  const bar = bars.getByRole('listitem').filter({ hasText: '机修：' });
  const text = (await bar.textContent()) ?? '';
  const booked = /已约 ([\d.]+) \//.exec(text)?.[1];
  if (booked === undefined) throw new Error(`no general bar in "${text}"`);
  return Number(booked);
}

describe('a store’s journey from set-up to a confirmed online booking', () => {
  it('lets the manager staff the store, a customer request a slot, and the advisor confirm it', async () => {
    const day = journeyDay();
    const s = uniqueSuffix();
    const techName = `技师${s.slice(-5)}`;
    const bayId = `J${s.slice(-6)}`;
    const who = await customerWithCar(STORE.id, advisor, '沪');
    const calendar = `appointments?date=${day.date}`;
    const bars = (page: Page) => page.getByRole('list', { name: '各工位类型产能' });
    let before = 0;

    await inBrowser('journey-manager', async (page) => {
      // Prepare
      await signIn(page, manager);
      await openByUrl(page, STORE.id, 'staff');
      await page.getByRole('heading', { name: '新增人员' }).waitFor();

      // Act: a technician working the journey's weekday (the technician role is ticked by default)
      await page.getByLabel('用户名', { exact: true }).fill(`tech.journey${s}`);
      await page.getByLabel('姓名', { exact: true }).fill(techName);
      await page.getByLabel('电子邮箱', { exact: true }).fill(`tech.journey${s}@example.com`);
      await page.getByLabel('技师等级').selectOption('mid');
      await page.getByLabel(`${WEEKDAY_ZH[day.weekday]}：上班`).fill('08:30');
      await page.getByLabel(`${WEEKDAY_ZH[day.weekday]}：下班`).fill('17:30');
      await page.getByRole('button', { name: '发送邀请' }).click();

      // Assess: listed, and their record holds the shift
      await page.getByRole('link', { name: techName }).click();
      await expect.poll(() => page.getByLabel(`${WEEKDAY_ZH[day.weekday]}：上班`).inputValue()).toBe('08:30');

      // Act: a general bay, then save the set-up
      await openByUrl(page, STORE.id, 'setup');
      await addBayAndSave(page, { id: bayId, name: '机修 旅程', type: '机修' });

      // Assess: still there when the set-up is opened again
      await page.reload();
      expect(await page.getByLabel(`工位名称 ${bayId}`).inputValue()).toBe('机修 旅程');
    });

    await inBrowser('journey-advisor-before', async (page) => {
      // Prepare: the day's general bar before the request
      await signIn(page, advisor);
      await openByUrl(page, STORE.id, calendar);
      before = await generalBooked(bars(page));
    });

    let reference = '';
    await inBrowser(
      'journey-customer',
      async (page) => {
        // Prepare
        await page.goto(`${stack.url}/booking.html#store=${STORE.id}`);
        await page.getByLabel('语言').selectOption('zh-CN');
        await page.getByRole('heading', { level: 1, name: STORE.name }).waitFor();

        // Act: 10:00 on the chosen day, the customer's own words, submitted
        await page.getByLabel('日期').selectOption(day.date);
        await page.getByRole('group', { name: '时间' }).getByRole('radio', { name: '10:00' }).check();
        await page.getByLabel('您的姓名').fill(who.name);
        await page.getByLabel('手机号码').fill(`137${s.slice(-8).padStart(8, '0')}`);
        await page.getByLabel('车牌号').fill(who.plate);
        await page.getByLabel('车辆需要做什么？').fill('保养，刹车有异响');
        await page.getByRole('button', { name: '提交预约申请' }).click();

        // Assess: the reference shown
        const done = page.getByRole('status').filter({ hasText: '预约申请已提交' });
        await done.waitFor();
        reference = /预约编号：(apt_\w+)/.exec((await done.textContent()) ?? '')?.[1] ?? '';
        expect(reference).not.toBe('');
      },
      { viewport: PHONE },
    );

    await inBrowser('journey-advisor', async (page) => {
      // Prepare: the request on the day's calendar, opened
      await signIn(page, advisor);
      await openByUrl(page, STORE.id, calendar);
      await page.locator(`a[href$="/appointments/${reference}"]`).click();
      await page.getByText('在线申请：尚未关联客户和车辆').waitFor();

      // Act: linked to the customer's vehicle found by plate, then confirmed
      await page.getByLabel('查找客户或车辆：车牌、VIN、电话或姓名').fill(who.plate);
      await page.getByRole('button', { name: '查找', exact: true }).click();
      await page.getByRole('button', { name: /Tiguan L/ }).click();
      await page.getByRole('button', { name: '关联', exact: true }).click();
      await page.getByText('已关联。').waitFor();
      await page.getByRole('button', { name: '确认', exact: true }).click();
      await page.getByRole('heading', { name: new RegExp(`${who.name}.*已确认`) }).waitFor();

      // Assess: on the day's calendar, under the customer's name, and the general bar fuller
      await openByUrl(page, STORE.id, calendar);
      await page.getByRole('link', { name: who.name }).waitFor();
      expect(await generalBooked(bars(page))).toBeGreaterThan(before);
    });
  }, 240_000);
});
