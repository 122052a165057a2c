import { describe, expect, it } from 'vitest';
import { call, eventually } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { deliveredWarrantyOrder, settledWarrantyOrder, soldCar } from '../support/lemon-law.ts';
import { openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * 三包预警 in the browser: a car repaired four times for the same coded transmission fault (a warning
 * under CN-2022) shows the banner with the rule and what is left when the advisor takes it in at
 * reception and on its order, whose warranty line the advisor codes with its fault; the store's 三包
 * list lists it.
 */
const inBrowser = useBrowser();
const STORE = demo.storeA;

describe('三包预警 at reception', () => {
  it('warns at check-in and on the order for a car one repair from the threshold, codes the line’s fault, and the 三包 list shows it', async () => {
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

      // Act: taken in, and the warranty line coded with its fault in the line editor
      await page.getByLabel('进厂里程（公里）').fill('33000');
      await page.getByLabel('描述 1', { exact: true }).fill('变速箱换挡冲击');
      await page.getByRole('button', { name: '接车', exact: true }).click();
      await page.getByRole('button', { name: '开始诊断' }).click();
      await page.getByRole('button', { name: '开始诊断' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: '编辑项目 L1' }).click();
      await page.getByLabel('付费方').selectOption({ label: '保修（三包）' });
      await page.getByLabel('故障系统').selectOption({ label: '变速器' });
      await page.getByLabel('故障代码').fill('p0730');
      await page.getByRole('button', { name: '保存项目' }).click();
      await page.getByRole('button', { name: '保存项目' }).waitFor({ state: 'detached' });

      // Assess: the order's page warns too, and the line carries the fault the counters will count
      await page.getByTestId('lemon-banner').getByText('三包预警：再发生一次即达到法定条件').waitFor();
      const id = new URL(page.url()).pathname.split('/').at(-1)!;
      const ro = await call<{ lines: { payer: string; fault?: unknown }[] }>(
        demo.advisorA,
        'GET',
        `/v1/stores/${STORE}/repair-orders/${id}`,
      );
      expect(ro.body.lines[0]).toMatchObject({
        payer: 'warranty',
        fault: { system: 'transmission', code: 'P0730', seriousSafety: false, mainPartsReplaced: [] },
      });

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

describe('三包除外天数 at delivery', () => {
  it('asks for the excluded days on a warranty order, refuses more than the visit, and shows what was stated', async () => {
    // Prepare: a warranty order opened 1½ days ago (2 repair days), worked, checked and settled
    const car = await soldCar(200);
    const ro = await settledWarrantyOrder(
      car,
      31_000,
      { system: 'electrical', code: 'B1318' },
      { openedDaysAgo: 1.5 },
    );

    await inBrowser('lemon-law-delivery', async (page) => {
      await signIn(page, demo.advisorA);
      await openByUrl(page, STORE, `repair-orders/${ro.id}`);
      await page.getByRole('checkbox', { name: '已交还钥匙' }).check();
      const waits = page.getByLabel('等待防盗/线束等除外配件天数');

      // Act: three days waiting for a part on a two-day visit
      await waits.fill('3');
      await page.getByRole('button', { name: '记录交车' }).click();

      // Assess: refused, the reason on the form
      await page.getByText('除外配件等待与动力电池运输天数之和不能超过本次修理天数。').first().waitFor();

      // Act: one day, as it was
      await waits.fill('1');
      await page.getByRole('button', { name: '记录交车' }).click();

      // Assess: delivered, with the days stated
      await page.getByText(/三包除外天数：等待配件 1 天，电池运输 0 天，代步车 0 天。/).waitFor();
      const stored = await call<{ delivery?: { lemonLaw?: unknown } }>(
        demo.advisorA,
        'GET',
        `/v1/stores/${STORE}/repair-orders/${ro.id}`,
      );
      expect(stored.body.delivery?.lemonLaw).toEqual({
        excludedPartWaitDays: 1,
        batteryShippingDays: 0,
        loanerDays: 0,
      });
    });
  }, 180_000);
});
