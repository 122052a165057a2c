import { demoUserFor } from '@aftersales/seed';
import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { addBayAndSave, openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * Store set-up (门店设置) in the browser: the after-sales manager adds a bay and a labour operation with
 * its hours for one model; a technician reads the catalogue and is offered nothing to change. Store B,
 * so that the API suites saving store A's set-up meanwhile cannot make this save a version conflict.
 */

const inBrowser = useBrowser();
type Json = Record<string, unknown>;

const STORE = demo.storeB;
const manager = demoUserFor('service_manager', STORE).username;
const technician = demoUserFor('technician', STORE).username;

describe('store set-up in the browser', () => {
  it('lets the manager add a bay and a labour operation, and shows the technician the catalogue read-only', async () => {
    const s = uniqueSuffix().slice(-6);
    const bayId = `E2E${s}`;
    const code = `E2E-${s}`;

    await inBrowser('setup-manager', async (page) => {
      // Prepare
      await signIn(page, manager);
      await openByUrl(page, STORE, 'setup');

      // Act: a new alignment bay, then save the set-up
      await addBayAndSave(page, { id: bayId, name: '四轮定位 E2E', type: '四轮定位' });

      // Act: a labour operation that takes longer on one model, typed with the keyboard
      await openByUrl(page, STORE, 'setup/labour-ops');
      await page.getByLabel('工时代码').fill(code);
      await page.getByLabel('标准工时').fill('1.5');
      await page.getByLabel('名称（中文）').fill('四轮定位测试');
      await page.getByRole('button', { name: '添加车型' }).click();
      // Adding a row puts the cursor in it: the keyboard user types on.
      await page.keyboard.type('Tiguan L');
      await page.getByLabel('车型 1：工时').fill('2.0');
      await page.getByRole('button', { name: '添加工时项目' }).click();
      await page.getByLabel('代码开头').fill(code);
      await page.getByRole('cell', { name: code, exact: true }).waitFor();
    });

    const setup = await call<Json>(manager, 'GET', `/v1/stores/${STORE}/setup`);
    const ops = await call<{ items: Json[] }>(
      manager,
      'GET',
      `/v1/stores/${STORE}/setup/labour-ops?code=${encodeURIComponent(code)}`,
    );

    // Assess: both saved as entered
    expect(setup.body.bays).toContainEqual({
      id: bayId,
      name: '四轮定位 E2E',
      type: 'alignment',
      active: true,
    });
    expect(ops.body.items).toHaveLength(1);
    expect(ops.body.items[0]).toMatchObject({
      code,
      hours: 1.5,
      modelHours: [{ model: 'Tiguan L', hours: 2 }],
    });

    await inBrowser('setup-technician', async (page) => {
      // Act
      await signIn(page, technician);
      await openByUrl(page, STORE, 'setup/labour-ops');
      await page.getByLabel('代码开头').fill(code);
      const row = page.getByRole('row').filter({ hasText: code });
      await row.waitFor();

      // Assess: the operation with its hours, and no control to change anything
      expect(await row.textContent()).toContain('Tiguan L 2.0');
      expect(await page.getByRole('button', { name: '添加工时项目' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: `停用 ${code}` }).count()).toBe(0);
      expect(await page.getByLabel('工时代码').count()).toBe(0);
    });
  });
});
