import { describe, expect, it } from 'vitest';
import { demoUser, freshVin, signIn, useBrowser } from './browser-support.ts';

/**
 * The web app in a real (headless) Chromium against the whole local stack: sign-in, the front-desk
 * flow (new customer → register their vehicle → find it by plate), the language switch, and a
 * read-only role. Elements are found by their visible labels and roles, as a person would.
 */

const inBrowser = useBrowser();

describe('web app in the browser', () => {
  it('registers a customer and their vehicle, finds it by plate, and switches to English', async () => {
    await inBrowser('front-desk', async (page) => {
      // Prepare
      const advisor = demoUser('service_advisor');
      const suffix = `${Date.now().toString().slice(-6)}${Math.floor(Math.random() * 10)}`;
      const name = `浏览器测试${suffix}`;
      const phone = `137${suffix.padStart(8, '0').slice(-8)}`;
      const vin = freshVin();
      const plate = `京E${suffix.slice(-5)}`;
      await signIn(page, advisor.username);

      // Act: new customer, then "save and register a vehicle" for them
      await page.getByRole('link', { name: '新建客户', exact: true }).click();
      await page.getByLabel('姓名').fill(name);
      await page.getByLabel('电话 1', { exact: true }).fill(phone);
      await page.getByRole('button', { name: '保存并登记车辆' }).click();
      await page.getByText(name, { exact: true }).waitFor(); // the new customer is preselected as owner
      await page.getByLabel('车架号/VIN').fill(vin);
      await page.getByText('✓ 校验位正确').waitFor();
      await page.getByLabel('车牌号').fill(plate);
      await page.getByLabel('品牌').fill('Audi');
      await page.getByLabel('车型').fill('A4L');
      await page.getByRole('button', { name: '登记车辆' }).click();
      await page.getByRole('heading', { name: new RegExp(plate) }).waitFor();

      // Act: record an odometer reading through its dialog
      await page.getByRole('button', { name: '记录里程' }).click();
      await page.getByRole('dialog').getByLabel('行驶里程（km）').fill('1234');
      await page.getByRole('button', { name: '保存里程' }).click();
      await page.getByText('已记录里程 1,234 km。').waitFor();

      // Act: the front desk types the plate
      await page.getByRole('link', { name: '前台查询', exact: true }).click();
      await page.getByLabel('车牌号、车架号/VIN、电话或客户姓名').fill(plate);
      await page.keyboard.press('Enter');
      const result = page.getByRole('link', { name: new RegExp(plate) }).filter({ hasText: name });
      await result.waitFor(); // the owner's name is filled in once looked up
      const resultText = await result.textContent();

      // Act: switch the language
      await page.getByLabel('语言').selectOption('en');
      const englishLabel = page.getByLabel('Plate, VIN, phone or customer name');
      await englishLabel.waitFor();

      // Assess
      expect(resultText).toContain(name);
      expect(resultText).toContain(vin.slice(-6));
      expect(await page.getByRole('link', { name: 'Front desk', exact: true }).isVisible()).toBe(true);
      expect(await englishLabel.isVisible()).toBe(true);
    });
  });

  it('shows a technician no "new customer" action (read-only role)', async () => {
    await inBrowser('technician', async (page) => {
      // Prepare
      const advisor = demoUser('service_advisor');
      const technician = demoUser('technician', advisor.storeName);

      // Act
      await signIn(page, technician.username);
      await page.getByText('只读').first().waitFor();

      // Assess
      expect(await page.getByRole('link', { name: '新建客户', exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '新建客户' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: '登记车辆', exact: true }).count()).toBe(0);
      expect(await page.getByRole('link', { name: '前台查询', exact: true }).isVisible()).toBe(true);
    });
  });
});
