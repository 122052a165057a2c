import { book, bookingContext } from '@aftersales/data/appointments';
import { addDays } from '@aftersales/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { call, stack } from '../support/api.ts';
import { storeA, tokenOf } from '../support/approval.ts';
import { demo } from '../support/demo.ts';
import { customerWithCar, openByUrl, signIn, signOnPad, useBrowser } from './browser-support.ts';

/**
 * Issue 18's day of one booked car, every step on its user's screen in zh-CN (接车 → 报价 → 远程确认 →
 * 派工 → 维修 → 增修 → 三检 → 结算 → 打印 → 交车): the advisor checks in today's booking with a
 * walk-around photo sealed at upload, prices and quotes the line and texts the approval link; the
 * customer approves on their phone; the workshop manager dispatches; the technician works the line on
 * their phone and reports add-on work, which the advisor quotes and the customer declines at the
 * counter; a colleague and the workshop manager pass the checks; the advisor settles, prints the
 * settlement sheet in English and delivers.
 */
const inBrowser = useBrowser();
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1280, height: 900 };

const STORE = demo.storeA;
const TIME_ZONE = 'Asia/Shanghai';
/** This suite's own technician: no other suite clocks tech4.bj on (one line at a time each). */
const technician = demo.technicians.repairOrderJourney;
const COMPLAINT = '刹车异响';
const LINE = `L1 ${COMPLAINT}`;
/** The work as the advisor words it: what the customer's link names the line by. */
const CORRECTION = '更换前刹车片';

/** A 1×1 PNG: what the tablet's camera hands the file input, as far as the upload and seal care. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A confirmed booking at 11:00 today (the store's day) for a new customer's car, with its concern.
 * Booked through the repository on yesterday's clock: the API rightly refuses a slot already past, and
 * the suite must run at any hour. Its own customer, so no other suite checks it in.
 */
async function bookedToday(): Promise<{ name: string; plate: string }> {
  const who = await customerWithCar(STORE, demo.advisorA);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
  const yesterday = new Date(`${addDays(today, -1)}T00:00:00Z`);
  const tenant = storeA(() => yesterday);
  await book(tenant, await bookingContext(tenant, TIME_ZONE), {
    status: 'confirmed',
    channel: 'phone',
    date: today,
    time: '11:00',
    customerId: who.customerId,
    vehicleId: who.vehicleId,
    customerName: who.name,
    plate: who.plate,
    concern: COMPLAINT,
    lines: [],
    parts: [],
  });
  return { name: who.name, plate: who.plate };
}

let orderId = '';

// Whatever failed on the way, this suite's technician is not left clocked on its line.
afterAll(async () => {
  if (!orderId) return;
  await call(technician.username, 'POST', `/v1/stores/${STORE}/repair-orders/${orderId}/lines/L1/clock-off`, {
    body: { outcome: 'done' },
  });
});

describe('a booked car’s day in the browser, reception to delivery', () => {
  it('is checked in with a photo, approved by link, worked, checked, settled, printed and delivered', async () => {
    // Prepare
    const who = await bookedToday();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
    let messageId = '';

    await inBrowser(
      'journey-reception',
      async (page) => {
        await signIn(page, demo.advisorA);

        // Act: 接车 from today's booking, found on the day's calendar
        await openByUrl(page, STORE, `appointments?date=${today}`);
        await page.getByRole('link', { name: who.name }).click();
        await page.getByRole('link', { name: '接车：开工单' }).click();
        await page.getByText(/来自 .* 的预约。/).waitFor();
        await expect.poll(() => page.getByLabel('描述 1', { exact: true }).inputValue()).toBe(COMPLAINT);
        await page.getByLabel('进厂里程（公里）').fill('36800');
        await page.getByRole('button', { name: '接车', exact: true }).click();

        // …a walk-around photo taken, uploaded in the background and sealed
        await page.getByRole('button', { name: '开始诊断' }).waitFor();
        orderId = new URL(page.url()).pathname.split('/').at(-1)!;
        await page
          .getByLabel('拍照')
          .setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: PHOTO });
        await page.getByText('未被改动').waitFor();

        // …diagnosed, priced from the catalogue, quoted
        await page.getByRole('button', { name: '开始诊断' }).click();
        await page.getByRole('button', { name: '开始诊断' }).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: '编辑项目 L1' }).click();
        await page.getByLabel('维修措施').fill(CORRECTION);
        await page.getByLabel('按代码查找工时项目').fill('BRK-01');
        await page.getByRole('button', { name: /^添加 BRK-01/ }).click();
        await page.getByRole('button', { name: '保存项目' }).click();
        await page.getByRole('button', { name: '保存项目' }).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: '出具报价' }).click();

        // …and the approval link texted to the customer's mobile
        const sent = page.waitForResponse((r) => r.url().endsWith('/approval-links'));
        await page.getByRole('button', { name: '发送确认链接' }).click();
        messageId = ((await (await sent).json()) as { messageId: string }).messageId;
        await page.getByText(/第 1 版报价的确认链接已发送给客户/).waitFor();

        // Assess: a booked order, its photo sealed
        await page.getByRole('link', { name: '预约', exact: true }).waitFor();
        await page.getByText(/SHA-256 [0-9a-f]{12}…/).waitFor();
      },
      { viewport: TABLET },
    );

    // Act: the customer opens the texted link on their phone and approves
    const { token } = await tokenOf(messageId);
    await inBrowser(
      'journey-customer',
      async (page) => {
        await page.goto(`${stack.url}/approve.html#store=${STORE}&token=${token}`);
        await page.getByLabel('语言').selectOption('zh-CN');
        await page.getByRole('group', { name: CORRECTION }).getByLabel('同意').check();
        await page.getByLabel('您的姓名（作为签字）').fill(who.name);
        await page.getByRole('button', { name: '提交确认' }).click();
        await page.getByRole('status').filter({ hasText: '感谢您的确认' }).waitFor();
      },
      { viewport: PHONE, clientAddress: '198.51.100.61' },
    );

    // Act: the workshop manager gives the line to the technician
    await inBrowser('journey-dispatch', async (page) => {
      await signIn(page, demo.workshopManagerA);
      await openByUrl(page, STORE, 'workshop/dispatch');
      const row = page.getByRole('region', { name: `${who.plate} ${LINE}` });
      await row.getByLabel('技师').selectOption(technician.id);
      await row.getByRole('button', { name: `派工：${who.plate} 的 ${LINE}` }).click();
      await page.getByText(new RegExp(`${who.plate} 的 ${LINE} 已派给`)).waitFor();
    });

    // Act: the technician works the line on their phone, reports add-on work, and self-checks
    await inBrowser(
      'journey-technician',
      async (page) => {
        await signIn(page, technician.username);
        await openByUrl(page, STORE, 'workshop/my-work');
        const job = page.getByRole('region', { name: who.plate });
        await job.getByRole('button', { name: '开工' }).click();
        await job.getByText(/本次已用 \d+:\d\d:\d\d/).waitFor();

        await job.getByRole('button', { name: '提报增修' }).click();
        const addOn = page.getByRole('dialog', { name: `${who.plate} 的增修项目` });
        await addOn.getByLabel('发现的问题').fill('后刹车片磨损');
        await addOn.getByLabel('工时项目').selectOption({ label: 'BRK-02 后刹车片更换' });
        await addOn.getByRole('button', { name: '提报' }).click();
        await job.getByText('已提报，服务顾问将向客户报价。').waitFor();

        await job.getByRole('button', { name: '完工' }).click();
        await job.getByRole('button', { name: '自检 · 合格' }).click();
        await job.getByText('等待互检').waitFor();
      },
      { viewport: PHONE },
    );

    // Act: the advisor sees the add-on, quotes it, and the customer declines it at the counter
    await inBrowser(
      'journey-add-on',
      async (page) => {
        await signIn(page, demo.advisorA);
        await openByUrl(page, STORE, `repair-orders/${orderId}`);
        const addOnLine = page.locator('.job-line.add-on');
        await addOnLine.getByText('增修项目').waitFor();
        await addOnLine.getByText('后刹车片磨损').waitFor();
        await page.getByRole('button', { name: '出具报价' }).click();
        await addOnLine.getByText('待确认').waitFor();
        await addOnLine.getByText('维修中发现：客户确认时须重新约定交车时间。').waitFor();

        await page.getByRole('checkbox', { name: /确认项目 L2/ }).uncheck();
        await signOnPad(page);
        await page.getByRole('button', { name: '记录客户确认' }).click();
        await addOnLine.getByText('客户拒绝').waitFor();
      },
      { viewport: TABLET },
    );

    // Act: a colleague gives the team check from their phone…
    await inBrowser(
      'journey-team-check',
      async (page) => {
        await signIn(page, demo.technicianA);
        await openByUrl(page, STORE, 'workshop/my-work');
        const line = page.getByRole('region', { name: `${who.plate} ${LINE}` });
        await line.getByRole('button', { name: '互检 · 合格' }).click();
        await line.waitFor({ state: 'detached' });
      },
      { viewport: PHONE },
    );

    // …and the workshop manager the final check
    await inBrowser('journey-final-check', async (page) => {
      await signIn(page, demo.workshopManagerA);
      await openByUrl(page, STORE, 'workshop/dispatch');
      const line = page.getByRole('region', { name: `${who.plate} ${LINE}` });
      await line.getByRole('button', { name: '总检 · 合格' }).click();
      await line.waitFor({ state: 'detached' });
    });

    // Act: the advisor settles, prints in English and delivers
    await inBrowser(
      'journey-handover',
      async (page) => {
        await signIn(page, demo.advisorA);
        await openByUrl(page, STORE, `repair-orders/${orderId}`);
        await page.getByText('已总检').waitFor();
        await page.getByLabel('收款 1 凭证号').fill('WX-JOURNEY');
        await page.getByRole('button', { name: '结算', exact: true }).click();
        await page.getByRole('heading', { name: /已结算/ }).waitFor();

        await page.getByRole('link', { name: '打印 · 结算单' }).click();
        await page.getByLabel('单据语言').selectOption('en');
        const sheet = page.locator('article.print-sheet');
        await sheet.getByRole('heading', { name: 'Settlement sheet (结算单)' }).waitFor();
        expect(await sheet.getAttribute('lang')).toBe('en');
        await sheet.getByRole('columnheader', { name: 'Item' }).waitFor();
        await sheet.getByRole('columnheader', { name: 'Amount' }).waitFor();
        await expect.poll(() => sheet.textContent()).toContain('Labour: BRK-01');
        await page.getByRole('link', { name: '返回工单' }).click();

        await page.getByRole('checkbox', { name: '已交还钥匙' }).check();
        await page.getByRole('checkbox', { name: '已向客户说明维修内容' }).check();
        await page.getByLabel('旧件处理').selectOption({ label: '交还客户' });
        await page.getByRole('button', { name: '记录交车' }).click();

        // Assess: delivered, the line through its checks and the add-on on record as declined
        await page.getByRole('heading', { name: /已交车/ }).waitFor();
        await page.getByText(/已于 .* 交车。/).waitFor();
        const lines = page.locator('.job-line');
        expect(await lines.first().textContent()).toContain('已总检');
        expect(await page.locator('.job-line.add-on').textContent()).toContain('客户拒绝');
      },
      { viewport: TABLET },
    );
  }, 180_000);
});
