import { describe, expect, it } from 'vitest';
import { call, eventually } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { deliveredWarrantyOrder, soldCar } from '../support/lemon-law.ts';
import { openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * 三包预警 in the browser: a car repaired four times for the same coded transmission fault (a warning
 * under CN-2022) shows the banner with the rule and what is left when the advisor takes it in at
 * reception, and the store's 三包 list lists it.
 */
const inBrowser = useBrowser();
const STORE = demo.storeA;

describe('三包预警 at reception', () => {
  it('warns at check-in for a car one repair from the threshold, and the 三包 list shows it', async () => {
    // Prepare: four warranty repairs of one problem, counted by the consumer
    const car = await soldCar(200);
    const fault = { system: 'transmission', code: 'P0730' };
    for (let i = 0; i < 4; i++) await deliveredWarrantyOrder(car, 31_000 + i * 400, fault);
    await eventually(async () => {
      const res = await call<{ status?: { level: string } }>(
        demo.advisorA,
        'GET',
        `/v1/stores/${STORE}/lemon-law/vehicles/${car.vehicleId}`,
      );
      return res.body.status?.level === 'warning' ? true : undefined;
    });

    await inBrowser('lemon-law', async (page) => {
      await signIn(page, demo.advisorA);
      await openByUrl(page, STORE, 'repair-orders/new');

      // Act: the advisor finds the car at reception
      await page.getByLabel('查找客户或车辆：车牌、VIN、电话或姓名').fill(car.plate);
      await page.getByRole('button', { name: '查找', exact: true }).click();
      await page.getByRole('button', { name: /Q5L/ }).click();

      // Assess: the banner names the rule, the count and what is left
      const banner = page.getByTestId('lemon-banner');
      await banner.getByText('三包预警：再发生一次即达到法定条件').waitFor();
      expect(await banner.getAttribute('data-level')).toBe('warning');
      await expect(banner.textContent()).resolves.toContain('同一质量问题修理次数');
      await expect(banner.textContent()).resolves.toContain('transmission:P0730');
      await expect(banner.textContent()).resolves.toContain('还剩 1 次');

      // Act: the 三包 list, from the navigation
      await page.getByRole('link', { name: '三包预警', exact: true }).click();
      await page.getByRole('heading', { name: '三包预警车辆' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: car.plate.slice(-5) });
      const more = page.getByRole('button', { name: '加载更多' });
      // Alerts come first: a long list may have the car on a later page.
      for (let pages = 0; pages < 10; pages++) {
        await row.or(more).first().waitFor();
        if ((await row.count()) > 0) break;
        await more.click();
      }

      // Assess
      await expect(row.textContent()).resolves.toContain('三包预警');
      await expect(row.textContent()).resolves.toContain('Q5L');
    });
  }, 180_000);
});
