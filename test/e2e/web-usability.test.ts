import { DEMO_USERS } from '@aftersales/seed';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { demoUser, freshVin, openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * Where a person stumbles in the web app (issue 5, §4), checked in the browser as they would notice
 * it: pages their role may not use, what happens after a failed save, dates and field messages in
 * their language, and the header and placeholders on a tablet.
 */

const inBrowser = useBrowser();
const TABLETS = [
  { width: 768, height: 1024 },
  { width: 1024, height: 768 },
];
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const HAN = /[\u4e00-\u9fff]/;

type Json = Record<string, unknown>;

/** A customer and their vehicle with known dates, made through the API as the store's advisor. */
const record = { customerId: '', vehicleId: '' };

beforeAll(async () => {
  const s = uniqueSuffix();
  const customer = await call<Json>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/customers`, {
    body: { name: `日期测试${s}`, phones: [{ number: `136${s.slice(-8).padStart(8, '0')}` }] },
  });
  expect(customer.status, customer.text).toBe(201);
  record.customerId = String(customer.body.id);
  const vehicle = await call<Json>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/vehicles`, {
    body: {
      vin: freshVin(),
      plate: `京D${s.slice(-5)}`,
      brand: 'Audi',
      model: 'A4L',
      modelYear: 2017,
      invoiceDate: '2017-09-25',
      deliveryDate: '2017-09-28',
      odometerKm: 45678,
      ownerCustomerId: record.customerId,
    },
  });
  expect(vehicle.status, vehicle.text).toBe(201);
  record.vehicleId = String(vehicle.body.id);
});

/** The text of the page's main region, as a reader sees it. */
function mainText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the reader sees (hidden labels left out)
  return page.getByRole('main').innerText();
}

describe('a page the role may not use', () => {
  const formsOf = () => [
    'customers/new',
    `customers/${record.customerId}/edit`,
    'vehicles/new',
    `vehicles/${record.vehicleId}/edit`,
    'imports',
    'imports/imp_00000000000000000000000000',
  ];

  it.each([
    ['a technician', () => demoUser('technician', demoUser('service_advisor').storeName).username],
    ['an HQ executive', () => demo.hqExecutive],
  ])('shows %s "not allowed" instead of the form, when opened by its address', async (_, who) => {
    await inBrowser('not-allowed', async (page) => {
      // Prepare
      await signIn(page, who());
      const seen: { path: string; text: string; saveButtons: number }[] = [];

      // Act
      for (const path of formsOf()) {
        await openByUrl(page, demo.storeA, path);
        await page.getByText('无权使用此页面').waitFor();
        seen.push({
          path,
          text: await mainText(page),
          saveButtons: await page.getByRole('button', { name: /保存|登记车辆|开始导入/ }).count(),
        });
      }

      // Assess: the role is named, and there is no form to fill in and fail to save
      for (const s of seen) {
        expect(s.text, s.path).toMatch(/您的岗位（.+）无权使用此页面。/);
        expect(s.saveButtons, s.path).toBe(0);
      }
    });
  });

  it('opens the form for a role that may use it, and still refuses the page it may not', async () => {
    await inBrowser('allowed', async (page) => {
      // Prepare: a service advisor edits the registry but does not import
      await signIn(page, demo.advisorA);

      // Act
      await openByUrl(page, demo.storeA, 'customers/new');
      const nameField = page.getByLabel('姓名', { exact: true });
      await nameField.waitFor();
      await openByUrl(page, demo.storeA, 'imports');
      await page.getByText('无权使用此页面').waitFor();

      // Assess
      expect(await mainText(page)).toContain('服务顾问');
      expect(await page.getByRole('link', { name: '数据导入' }).count()).toBe(0);
    });
  });
});

/** Whether the field labelled `label` has the focus. */
async function hasFocus(page: Page, label: string): Promise<boolean> {
  return page.getByLabel(label, { exact: true }).evaluate((el) => el === document.activeElement);
}

describe('after a failed save', () => {
  const cases: {
    form: string;
    open: () => string;
    spoil: (page: Page) => Promise<void>;
    save: string;
    firstInvalid: string;
  }[] = [
    {
      form: 'new customer',
      open: () => 'customers/new',
      spoil: async () => undefined,
      save: '保存客户',
      firstInvalid: '姓名',
    },
    {
      form: 'customer edit',
      open: () => `customers/${record.customerId}/edit`,
      spoil: (page) => page.getByLabel('姓名', { exact: true }).fill(''),
      save: '保存修改',
      firstInvalid: '姓名',
    },
    {
      form: 'new vehicle',
      open: () => 'vehicles/new',
      spoil: (page) => page.getByLabel('品牌').fill('Audi'),
      save: '登记车辆',
      firstInvalid: '车架号/VIN',
    },
    {
      form: 'vehicle edit',
      open: () => `vehicles/${record.vehicleId}/edit`,
      spoil: (page) => page.getByLabel('年款').fill('1800'),
      save: '保存修改',
      firstInvalid: '年款',
    },
    {
      form: 'odometer dialog',
      open: () => `vehicles/${record.vehicleId}`,
      spoil: async (page) => {
        await page.getByRole('button', { name: '记录里程' }).click();
        await page.getByRole('dialog').getByLabel('行驶里程（km）').fill('abc');
      },
      save: '保存里程',
      firstInvalid: '行驶里程（km）',
    },
  ];

  it.each(cases)(
    'moves focus to the error summary, and from it to the first invalid field ($form)',
    async (c) => {
      await inBrowser(`failed-save-${c.form.replace(/\W+/g, '-')}`, async (page) => {
        // Prepare
        await signIn(page, demo.advisorA);
        await openByUrl(page, demo.storeA, c.open());
        await c.spoil(page);

        // Act: save (the button is at the bottom of the form), then follow the summary's first link
        await page.getByRole('button', { name: c.save, exact: true }).click();
        const summary = page.locator(':focus');
        await expect.poll(() => summary.textContent()).toContain('请更正标出的字段');
        const summaryBox = await summary.boundingBox();
        const viewport = page.viewportSize();
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');

        // Assess: the summary was on screen when it took focus; its first link leads to the first bad field
        expect(summaryBox && viewport && summaryBox.y >= 0 && summaryBox.y < viewport.height).toBe(true);
        await expect.poll(() => hasFocus(page, c.firstInvalid)).toBe(true);
        expect(await page.getByLabel(c.firstInvalid, { exact: true }).getAttribute('aria-invalid')).toBe(
          'true',
        );
      });
    },
  );
});

describe('in the user’s language', () => {
  it('writes every date on a vehicle’s record one way per language, history included', async () => {
    await inBrowser('dates', async (page) => {
      // Prepare
      await signIn(page, demo.advisorA);

      // Act: the record, its history, then the same in English
      await openByUrl(page, demo.storeA, `vehicles/${record.vehicleId}`);
      await page.getByRole('heading', { name: '日期与里程' }).waitFor();
      const recordZh = await mainText(page);
      await page.getByRole('tab', { name: '变更记录' }).click();
      await page.getByRole('cell', { name: '2017年9月25日' }).waitFor();
      const historyZh = await mainText(page);
      await page.getByLabel('语言').selectOption('en');
      await page.getByRole('cell', { name: 'Sep 25, 2017' }).waitFor();
      const historyEn = await mainText(page);

      // Assess: dates like 2017年9月25日 sit next to date-times like 2026年11月24日 06:58, never 2017-09-25
      for (const text of [recordZh, historyZh, historyEn]) expect(text).not.toMatch(ISO_DATE);
      expect(recordZh).toContain('2017年9月25日');
      expect(recordZh).toContain('2017年9月28日');
      expect(recordZh).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
      expect(historyEn).toMatch(/[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M/);
    });
  });

  it('shows the server’s field errors in Chinese, whatever their code, never its English words', async () => {
    await inBrowser('server-field-errors', async (page) => {
      // Prepare: the API refuses the save with field errors the form cannot know beforehand
      const refused = [
        { path: 'name', code: 'too_big', message: 'Too big: expected string to have <=120 characters' },
        { path: 'phones.0.number', code: 'SOMETHING_NEW', message: 'A brand-new rule nobody translated.' },
        { path: 'consent', code: 'unrecognized_keys', message: 'Unrecognized key: "sms"' },
        { path: 'email', code: 'invalid_format', message: 'Invalid email address' },
      ];
      await page.route('**/v1/stores/*/customers', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 400,
              contentType: 'application/problem+json',
              body: JSON.stringify({
                type: 'about:blank',
                title: 'Bad Request',
                status: 400,
                code: 'VALIDATION_FAILED',
                detail: 'The request has invalid fields.',
                fieldErrors: refused,
              }),
            })
          : route.continue(),
      );
      await signIn(page, demo.advisorA);
      await openByUrl(page, demo.storeA, 'customers/new');
      await page.getByLabel('姓名', { exact: true }).fill('王五');
      await page.getByLabel('电话 1', { exact: true }).fill('13912345678');

      // Act
      await page.getByRole('button', { name: '保存客户', exact: true }).click();
      await page.getByText('请更正标出的字段').waitFor();
      const text = await mainText(page);

      // Assess
      for (const r of refused) expect(text).not.toContain(r.message);
      expect(text).not.toContain('The request has invalid fields.');
      expect(text).toContain('内容过长。');
      expect(text).toContain('无法识别的字段：sms。');
    });
  });

  it('reports a refused file and an imported file’s bad rows in Chinese', async () => {
    await inBrowser('import-errors', async (page) => {
      // Prepare: a file without a phone column, and rows the validator refuses for many reasons
      const upload = async (name: string, lines: string[]) => {
        await page.getByLabel('CSV 文件').setInputFiles({
          name,
          mimeType: 'text/csv',
          buffer: Buffer.from(lines.join('\r\n'), 'utf8'),
        });
        await page.getByRole('button', { name: '开始导入' }).click();
      };
      await signIn(page, demoUser('service_manager', demoUser('service_advisor').storeName).username);
      await page.getByRole('link', { name: '数据导入', exact: true }).click();

      // Act
      await upload('no-phone.csv', ['name,email', '王五,wang@example.com']);
      const refusal = page.getByText('该文件无法导入：').locator('..');
      await refusal.waitFor();
      const refusalText = (await refusal.textContent()) ?? '';
      await upload('bad-rows.csv', [
        'name,phone,email,vin,brand,model,model_year,invoice_date',
        '王五,12,not-an-email,,,,,',
        `赵六,139${uniqueSuffix().slice(-8).padStart(8, '0')},,LFV0000000000000X,Audi,,1800,2020-13-45`,
      ]);
      await page.getByRole('heading', { name: '未导入的行' }).waitFor({ timeout: 30_000 });
      // The section's heading shows as the job finishes; its rows arrive with a second request.
      const problemCells = page.locator('table').last().locator('tbody tr td:last-child');
      await problemCells.first().waitFor();
      const problems = await problemCells.allInnerTexts();

      // Assess: every problem is a Chinese sentence, none is the validator's English
      expect(refusalText).toContain('表头至少需要“姓名”和“电话”两列。');
      expect(problems.length).toBeGreaterThanOrEqual(5);
      for (const text of [refusalText, ...problems]) {
        expect(text).toMatch(HAN);
        expect(text).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);
      }
    });
  });
});

describe('on a tablet', () => {
  const multiStoreUser = DEMO_USERS.find((u) => u.memberships.length > 1)!.username;

  it.each(TABLETS)('shows the whole store name in the header at $width×$height', async (viewport) => {
    await inBrowser(
      `store-name-${viewport.width}`,
      async (page) => {
        // Prepare
        const advisor = demoUser('service_advisor');

        // Act: one store (a name), then two stores (a switcher)
        await signIn(page, advisor.username);
        const name = page.getByRole('banner').getByText(advisor.storeName);
        const cut = await name.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return (
            el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight || box.right > innerWidth
          );
        });
        await page.getByRole('button', { name: '退出登录' }).click();
        await signIn(page, multiStoreUser);
        const switcher = page.getByRole('banner').getByRole('combobox', { name: '门店' });
        // A select cannot wrap: it shows the chosen store whole only when it is as wide as it wants to be.
        const narrowed = await switcher.evaluate((el) => {
          const free = el.cloneNode(true) as HTMLElement;
          free.style.maxWidth = 'none';
          free.style.width = 'auto';
          el.after(free);
          const wanted = free.getBoundingClientRect().width;
          free.remove();
          const box = el.getBoundingClientRect();
          return box.width < wanted - 1 || box.right > innerWidth;
        });

        // Assess
        expect(cut).toBe(false);
        expect(narrowed).toBe(false);
      },
      { viewport },
    );
  });

  it('shows placeholders as hints ("例如 …"), never as something that looks typed', async () => {
    await inBrowser(
      'placeholders',
      async (page) => {
        // Prepare
        await signIn(page, demo.advisorA);

        // Act
        await page.getByRole('link', { name: '登记车辆', exact: true }).click();
        const modelYear = page.getByLabel('年款');
        const placeholders = await page
          .locator('main input[placeholder]')
          .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).placeholder));
        const colours = await modelYear.evaluate((el) => ({
          placeholder: getComputedStyle(el, '::placeholder').color,
          typed: getComputedStyle(el).color,
        }));
        const hintColour = await page
          .getByText('留空则取交车日期')
          .evaluate((el) => getComputedStyle(el).color);

        // Assess
        expect(await modelYear.getAttribute('placeholder')).toBe('例如 2024');
        for (const p of placeholders) if (/\d/.test(p)) expect(p).toMatch(/^例如 /);
        expect(colours.placeholder).toBe(hintColour);
        expect(colours.placeholder).not.toBe(colours.typed);
      },
      { viewport: TABLETS[0] },
    );
  });
});

describe('long lists', () => {
  it('says when a vehicle has older readings than it shows, and pages a fleet’s vehicles', async () => {
    // Prepare: a vehicle with 22 readings, and a fleet with 51 vehicles (the detail carries 50)
    const base = `/v1/stores/${demo.storeA}`;
    const s = uniqueSuffix();
    const fleet = await call<Json>(demo.advisorA, 'POST', `${base}/customers`, {
      body: { kind: 'company', name: `车队${s}`, phones: [{ number: `135${s.slice(-8).padStart(8, '0')}` }] },
    });
    const register = async () => {
      const v = await call<Json>(demo.advisorA, 'POST', `${base}/vehicles`, {
        body: {
          vin: freshVin(),
          brand: 'Audi',
          model: 'Q5L',
          ownerCustomerId: fleet.body.id,
          odometerKm: 1000,
        },
      });
      expect(v.status, v.text).toBe(201);
      return String(v.body.id);
    };
    const ids: string[] = [];
    for (let batch = 0; batch < 51; batch += 10)
      ids.push(...(await Promise.all(Array.from({ length: Math.min(10, 51 - batch) }, register))));
    const busy = ids[0]!;
    for (let i = 1; i <= 21; i++) {
      const r = await call<Json>(demo.advisorA, 'POST', `${base}/vehicles/${busy}/odometer`, {
        body: { km: 1000 + i * 10 },
        headers: { 'if-match': `"${i}"` },
      });
      expect(r.status, r.text).toBe(200);
    }

    await inBrowser('long-lists', async (page) => {
      await signIn(page, demo.advisorA);
      // Act: the busy vehicle, then the fleet, then its next page of vehicles
      await openByUrl(page, demo.storeA, `vehicles/${busy}`);
      const note = page.getByText('仅显示最近 20 条里程记录');
      await note.waitFor();
      const rowsShown = await page.locator('table tbody tr').count();
      await openByUrl(page, demo.storeA, `customers/${fleet.body.id}`);
      const more = page.getByRole('button', { name: '显示更多车辆' });
      await more.waitFor();
      const before = await page.locator('.results > li').count();
      await more.click();
      await more.waitFor({ state: 'detached' });
      const after = await page.locator('.results > li').count();

      // Assess
      expect(rowsShown).toBe(20);
      expect(before).toBe(50);
      expect(after).toBe(51);
    });
  });
});
