import { DEMO_STORES } from '@aftersales/seed';
import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { useBrowser } from './browser-support.ts';

/**
 * A customer books on a demo store's public page (在线预约) on a phone, without signing in: picks the
 * first free slot, fills in the form, and gets a reference while the proof of work runs in the page.
 */
const inBrowser = useBrowser();
const PHONE = { width: 390, height: 844 };

describe('the public booking page', () => {
  it('takes a request from a phone and shows its reference', async () => {
    await inBrowser(
      'public-booking',
      async (page) => {
        // Prepare
        const store = DEMO_STORES.find((s) => s.id === demo.storeA)!;
        await page.goto(`${stack.url}/booking.html#store=${store.id}`);
        await page.getByLabel('语言').selectOption('zh-CN');
        const heading = page.getByRole('heading', { level: 1 });
        await heading.waitFor();
        expect(await heading.textContent()).toBe(store.name);

        // Act: the first free time of the first day with room (the day list starts on one)
        await page.getByRole('group', { name: '时间' }).getByRole('radio').first().check();
        await page.getByLabel('您的姓名').fill('王五');
        await page.getByLabel('手机号码').fill('13700001234');
        await page.getByLabel('车牌号').fill('京A9B8C7');
        await page.getByLabel('车辆需要做什么？').fill('保养，刹车有异响');
        await page.getByLabel('通过短信向我发送预约确认和提醒').check();
        await page.getByRole('button', { name: '提交预约申请' }).click();

        // Assess
        const done = page.getByRole('status').filter({ hasText: '预约申请已提交' });
        await done.waitFor();
        const text = (await done.textContent()) ?? '';
        expect(text).toMatch(/预约编号：apt_\w+/);
        expect(text).toContain('门店将致电或发短信与您确认');
      },
      { viewport: PHONE },
    );
  }, 60_000);

  it('says when a store takes no bookings online, in the language chosen', async () => {
    await inBrowser(
      'public-booking-missing',
      async (page) => {
        // Act
        await page.goto(`${stack.url}/booking.html#store=st_NOSUCHSTORE`);
        // Assess
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toContain('该门店暂不支持在线预约');
      },
      { viewport: PHONE },
    );
  }, 60_000);
});
