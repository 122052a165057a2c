import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';
import { repairOrderDesk, STORE_A_STAFF } from '../support/repair-orders.ts';
import { openByUrl, signIn, signOnPad, useBrowser } from './browser-support.ts';

/**
 * The repair order at the front office (接车 → 报价 → 柜台确认 → 结算 → 交车) in the browser: an advisor
 * checks in a walk-in in zh-CN, prices a line from the catalogue, quotes, and the customer signs at the
 * counter; the workshop's part (dispatch, clocking, the three checks) is driven through the API; then
 * the advisor settles and delivers, and prints the settlement sheet in English.
 */
const inBrowser = useBrowser();

const STORE = demo.storeA;
const base = `/v1/stores/${STORE}/repair-orders`;

interface RepairOrder {
  id: string;
  status: string;
  version: number;
  lines: { id: string; labour: { code: string }[] }[];
  approvals: { method: string; signatureRef?: string; approvedLineIds: string[] }[];
  settlement?: { shares: { payer: string; outcome: string }[] };
  delivery?: { keysHandedOver: boolean };
}

/** A walk-in customer with an Audi of their own, registered through the API. */
async function walkIn(): Promise<{ name: string; plate: string; customerId: string; vehicleId: string }> {
  const s = uniqueSuffix();
  const name = `工单客户${s.slice(-6)}`;
  const plate = `京R${s.slice(-5)}`.toUpperCase();
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${STORE}/customers`, {
    body: { name, phones: [{ number: `136${s.slice(-8).padStart(8, '0')}` }] },
  });
  expect(customer.status, customer.text).toBe(201);
  const vehicle = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${STORE}/vehicles`, {
    body: { vin: validVin(), plate, brand: 'Audi', model: 'A4L', ownerCustomerId: customer.body.id },
  });
  expect(vehicle.status, vehicle.text).toBe(201);
  return { name, plate, customerId: customer.body.id, vehicleId: vehicle.body.id };
}

/** The workshop's part through the API: L1 dispatched, clocked on and off as done, and checked three times. */
async function workshopFinishes(id: string, lineId: string): Promise<void> {
  const line = `${base}/${id}/lines/${lineId}`;
  const steps: [string, string, unknown?][] = [
    [demo.workshopManagerA, `${line}/dispatch`, { technicianId: demo.technicianAId }],
    [demo.technicianA, `${line}/clock-on`],
    [demo.technicianA, `${line}/clock-off`, { outcome: 'done' }],
    [demo.technicianA, `${line}/checks`, { stage: 'self', passed: true }],
    [demo.workshopManagerA, `${line}/checks`, { stage: 'team', passed: true }],
    [demo.technicalDirectorA, `${line}/checks`, { stage: 'final', passed: true }],
  ];
  for (const [user, path, body] of steps) {
    const res = await call(user, 'POST', path, body === undefined ? {} : { body });
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  }
}

const orderOf = async (id: string) => (await call<RepairOrder>(demo.advisorA, 'GET', `${base}/${id}`)).body;

describe('a repair order at the front office', () => {
  it('is checked in, priced, quoted, signed at the counter, settled, delivered and printed', async () => {
    const who = await walkIn();

    await inBrowser(
      'repair-order',
      async (page) => {
        // Prepare
        await signIn(page, demo.advisorA);
        await openByUrl(page, STORE, 'repair-orders/new');

        // Act: 接车 of the walk-in, found by plate, with the customer's words
        await page.getByLabel('查找客户或车辆：车牌、VIN、电话或姓名').fill(who.plate);
        await page.getByRole('button', { name: '查找', exact: true }).click();
        await page.getByRole('button', { name: /A4L/ }).click();
        await page.getByText(who.name).first().waitFor();
        await page.getByLabel('进厂里程（公里）').fill('42000');
        await page.getByLabel('油量').selectOption({ label: '3/8' });
        await page.getByLabel('描述 1', { exact: true }).fill('刹车异响');
        await page.getByRole('button', { name: '接车', exact: true }).click();

        // …diagnosed, the line priced with a labour operation from the catalogue, and quoted
        await page.getByRole('button', { name: '开始诊断' }).click();
        await page.getByRole('button', { name: '开始诊断' }).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: '编辑项目 L1' }).click();
        await page.getByLabel('故障原因').fill('前刹车片磨损到极限');
        await page.getByLabel('维修措施').fill('更换前刹车片');
        await page.getByLabel('按代码查找工时项目').fill('BRK-01');
        await page.getByRole('button', { name: /^添加 BRK-01/ }).click();
        await page.getByRole('button', { name: '保存项目' }).click();
        await page.getByRole('button', { name: '保存项目' }).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: '出具报价' }).click();

        // …approved by the customer at the counter with a drawn signature
        await page.getByRole('heading', { name: '客户柜台确认' }).waitFor();
        await page.getByRole('checkbox', { name: /确认项目 L1/ }).waitFor();
        await signOnPad(page);
        await page.getByRole('button', { name: '记录客户确认' }).click();

        // Assess: approved, naming the signature image sealed on the order
        await page.getByRole('heading', { name: /客户已确认/ }).waitFor();
        const id = new URL(page.url()).pathname.split('/').at(-1)!;
        const approved = await orderOf(id);
        expect(approved.status).toBe('approved');
        expect(approved.lines[0]?.labour.map((l) => l.code)).toEqual(['BRK-01']);
        expect(approved.approvals).toEqual([
          expect.objectContaining({
            method: 'counter_signature',
            approvedLineIds: ['L1'],
            signatureRef: expect.stringMatching(/^photo:pho_[0-9A-Z]{26}$/),
          }),
        ]);
        const sealed = await call<{ photos: { photoId: string; purpose?: string; contentType: string }[] }>(
          demo.advisorA,
          'GET',
          `/v1/stores/${STORE}/repair-orders/${id}/walk-around`,
        );
        expect(sealed.body.photos).toEqual([
          expect.objectContaining({
            photoId: approved.approvals[0]?.signatureRef?.slice('photo:'.length),
            purpose: 'signature',
            contentType: 'image/png',
          }),
        ]);

        // Prepare: the workshop works and checks the line
        await workshopFinishes(id, 'L1');
        await page.reload();

        // Act: a payment short of the customer's share is refused; the share paid, settled
        const amount = page.getByLabel('收款 1 金额（元）');
        const due = await amount.inputValue();
        await amount.fill('1');
        await page.getByRole('button', { name: '结算', exact: true }).click();
        await page.getByText('收款金额与客户应付金额不符。').waitFor();
        await amount.fill(due);
        await page.getByLabel('收款 1 凭证号').fill('WX-E2E');
        await page.getByRole('button', { name: '结算', exact: true }).click();
        await page.getByRole('heading', { name: /已结算/ }).waitFor();

        // …and delivered with the checklist
        await page.getByRole('checkbox', { name: '已交还钥匙' }).check();
        await page.getByRole('checkbox', { name: '已向客户说明维修内容' }).check();
        await page.getByLabel('旧件处理').selectOption({ label: '交还客户' });
        await page.getByRole('button', { name: '记录交车' }).click();
        await page.getByRole('heading', { name: /已交车/ }).waitFor();

        // …then the settlement sheet printed in English from the zh-CN screen
        await page.getByRole('link', { name: '打印 · 结算单' }).click();
        await page.getByLabel('单据语言').selectOption('en');

        // Assess
        const sheet = page.locator('article.print-sheet');
        await sheet.getByRole('heading', { name: 'Settlement sheet (结算单)' }).waitFor();
        expect(await sheet.getAttribute('lang')).toBe('en');
        await expect.poll(() => sheet.textContent()).toContain('Labour: BRK-01');
        expect(await sheet.textContent()).toContain(`¥${due}`);
        const delivered = await orderOf(id);
        expect(delivered.status).toBe('delivered');
        expect(delivered.settlement?.shares.map((s) => [s.payer, s.outcome])).toEqual([['customer', 'paid']]);
        expect(delivered.delivery?.keysHandedOver).toBe(true);
      },
      { viewport: { width: 1280, height: 900 } },
    );
  }, 180_000);

  it('offers the work declined last time at the next check-in, and takes it up as a concern', async () => {
    // Prepare: on the car's last visit the customer approved L1 and declined L2 by the link
    const who = await walkIn();
    const desk = repairOrderDesk(STORE_A_STAFF);
    const last = await desk.declinedOrder({
      vehicle: { vehicleId: who.vehicleId, customerId: who.customerId },
    });

    await inBrowser('declined-work', async (page) => {
      await signIn(page, demo.advisorA);
      await openByUrl(page, STORE, 'repair-orders/new');

      // Act: the car found at check-in shows what was declined; the advisor adds it to this visit
      await page.getByLabel('查找客户或车辆：车牌、VIN、电话或姓名').fill(who.plate);
      await page.getByRole('button', { name: '查找', exact: true }).click();
      await page.getByRole('button', { name: /A4L/ }).click();
      await page.getByRole('heading', { name: '上次未修项目' }).waitFor();
      await page.getByRole('button', { name: '加入本次：后刹车片磨损报警' }).click();
      await page.getByText('已加入客户描述').waitFor();
      await page.getByLabel('进厂里程（公里）').fill('33000');
      await page.getByRole('button', { name: '接车', exact: true }).click();
      await page.getByRole('button', { name: '开始诊断' }).waitFor();

      // Assess: the new order's concern names the declined line, which is no longer offered
      const id = new URL(page.url()).pathname.split('/').at(-1)!;
      const opened = await call<{ concerns: { words: string; declinedFrom?: unknown }[] }>(
        demo.advisorA,
        'GET',
        `${base}/${id}`,
      );
      expect(opened.body.concerns).toEqual([
        { id: 'C1', words: '后刹车片磨损报警', declinedFrom: { repairOrderId: last.id, lineId: 'L2' } },
      ]);
      const offered = await call<{ items: unknown[] }>(
        demo.advisorA,
        'GET',
        `${base}/declined-work?vehicleId=${who.vehicleId}`,
      );
      expect(offered.body.items).toEqual([]);
    });
  }, 120_000);
});
