import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';
import { demoUser, freshVin, openByUrl, signIn, useBrowser } from './browser-support.ts';

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
      // …then the customer's phone: found, and the number is in no URL the server sees (the fragment)
      await page.getByLabel('车牌号、车架号/VIN、电话或客户姓名').fill(phone);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.hash.includes(phone));
      await page.getByText('共 1 条').waitFor();
      await page.getByRole('link', { name: new RegExp(name) }).waitFor();
      const searchedUrl = new URL(page.url());
      expect(searchedUrl.pathname + searchedUrl.search).not.toContain(phone.slice(-4));

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

  it('imports a CSV file uploaded from the page straight to S3, and says so when the upload fails', async () => {
    await inBrowser('import-upload', async (page) => {
      // Prepare: a manager (may import), a one-row file, the page
      const manager = demoUser('service_manager');
      const storeId = manager.memberships.find((m) => m.tenantName === manager.storeName)?.tenantId ?? '';
      const suffix = `${Date.now().toString().slice(-6)}${Math.floor(Math.random() * 10)}`;
      const file = {
        name: `导入${suffix}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(`姓名,手机号\n浏览器导入${suffix},136${suffix.padStart(8, '0').slice(-8)}\n`),
      };
      await signIn(page, manager.username);
      await openByUrl(page, storeId, 'imports');

      // Act: the storage refuses the first attempt, the second goes through
      await page.route(`${stack.s3Endpoint}/**`, (route) => route.abort());
      await page.getByLabel('CSV 文件').setInputFiles(file);
      await page.getByRole('button', { name: '开始导入' }).click();
      const failed = page.getByText('文件上传失败，未导入任何数据。请检查网络后重试。');
      await failed.waitFor();
      await page.unroute(`${stack.s3Endpoint}/**`);
      await page.getByRole('button', { name: '开始导入' }).click();
      // The job's own page (the list before it shows earlier jobs' badges too), until the job is done
      await page.waitForURL(/\/imports\/imp_/);
      await page.getByText('已完成', { exact: true }).waitFor({ timeout: 60_000 });

      // Assess: the job page names the file
      expect(await page.getByText(file.name).count()).toBeGreaterThan(0);
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

      // Act: a number typed at the front desk (phones are masked for this role)
      await page.getByLabel('车牌号、车架号/VIN、电话或客户姓名').fill('13800138000');
      await page.keyboard.press('Enter');

      // Assess: no phone look-up is offered or sent
      await page.getByText('您的角色只能看到部分电话号码，不能按电话查询客户').waitFor();
      expect(await page.getByRole('link', { name: '电话', exact: true }).count()).toBe(0);
    });
  });
});
