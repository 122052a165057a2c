import { describe, expect, it } from 'vitest';
import { call, eventually } from '../support/api.ts';
import { claimableOrder } from '../support/claims.ts';
import { demo } from '../support/demo.ts';
import { openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * 索赔 in the browser: the claims specialist files a claim from a settled order, runs the OEM's
 * pre-check, mends the errors it points at (the condition and defect codes), submits, finds the claim
 * in the archive by the car's VIN, is led to it when filing the same work again, and sees the OEM's
 * decision arrive on the open claim with what was sent to the OEM.
 */
const inBrowser = useBrowser();

const STORE = demo.storeA;

describe('the claims specialist in the browser', () => {
  it('files a claim from a settled order, mends the pre-check’s errors, submits, finds it by VIN, and sees the OEM decide', async () => {
    // Prepare: a settled order with a checked warranty line, as the workshop leaves it
    const { ro } = await claimableOrder();
    const vehicle = await call<{ vin: string }>(
      demo.claimsSpecialistA,
      'GET',
      `/v1/stores/${STORE}/vehicles/${ro.vehicleId}`,
    );
    expect(vehicle.status, vehicle.text).toBe(200);
    const vin = vehicle.body.vin;

    await inBrowser('claims', async (page) => {
      await signIn(page, demo.claimsSpecialistA);
      await openByUrl(page, STORE, `repair-orders/${ro.id}`);

      // Act: file the claim from the order
      await page.getByRole('button', { name: '建索赔单', exact: true }).click();
      await page.waitForURL(/\/claims\/[^/]+$/);
      const claimId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      await page.getByRole('heading', { level: 1, name: /草稿/ }).waitFor();
      const drafted = await call<{ claimedMinor: number }>(
        demo.claimsSpecialistA,
        'GET',
        `/v1/stores/${STORE}/claims/${claimId}`,
      );

      // …run the pre-check: the codes are missing, each an error pointing at its field
      await page.getByRole('button', { name: '运行预审' }).click();
      const missingCondition = page.getByRole('listitem').filter({ hasText: '请填写故障现象代码。' });
      const missingDefect = page.getByRole('listitem').filter({ hasText: '请填写故障原因代码。' });
      await missingCondition.waitFor();
      await missingDefect.waitFor();
      expect(await missingCondition.textContent()).toContain('错误');
      await missingCondition.getByRole('button', { name: '项目 1 · 故障现象代码' }).click();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe(
        'lines.0.conditionCode',
      );

      // …mend them (typed in lower case, written as the OEM's manuals do) and save
      await page.getByLabel('故障现象代码', { exact: true }).fill('vib-02');
      await page.getByLabel('故障原因代码', { exact: true }).fill('disc-tv');
      expect(await page.getByLabel('故障现象代码', { exact: true }).inputValue()).toBe('VIB-02');
      // …with the towing bought in (外协) and the kept disc's shelf
      await page.getByRole('button', { name: '添加外协' }).click();
      await page.getByLabel('外协 1：内容及外协单位').fill('拖车 · 顺达救援');
      await page.getByLabel('外协 1：发票金额（元，不含税）').fill('300');
      await page
        .getByLabel(/存放位置$/)
        .first()
        .fill('B-03');
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByText('已保存。').waitFor();
      await page.getByRole('button', { name: '运行预审' }).click();
      await page.getByText('未发现问题：可以提交。').waitFor();

      // …and submit
      await page.getByRole('button', { name: '提交', exact: true }).click();

      // Assess: submitted, on screen and in the store's records
      await page.getByRole('heading', { level: 1, name: /已提交/ }).waitFor();
      const stored = await call<{
        status: string;
        claimedMinor: number;
        lines: { conditionCode?: string; defectCode?: string; claimedMinor: number }[];
        parts: { location: string }[];
      }>(demo.claimsSpecialistA, 'GET', `/v1/stores/${STORE}/claims/${claimId}`);
      expect(stored.body).toMatchObject({
        status: 'submitted',
        lines: [
          {
            conditionCode: 'VIB-02',
            defectCode: 'DISC-TV',
            sublet: [{ description: '拖车 · 顺达救援', amount: { amountMinor: 30_000, currency: 'CNY' } }],
          },
        ],
        parts: [{ location: 'B-03' }],
      });
      // The sublet's invoice is claimed on top of what the draft claimed
      expect(stored.body.claimedMinor).toBe(drafted.body.claimedMinor + 30_000);

      // The archive finds it by the VIN
      await page.getByRole('link', { name: '索赔档案' }).first().click();
      await page.getByLabel('车架号', { exact: true }).fill(vin);
      await page.getByRole('button', { name: '查询', exact: true }).click();
      const row = page.getByRole('row').filter({ hasText: claimId });
      await row.waitFor();
      expect(await row.textContent()).toContain('已提交');

      // The order's work is on that claim now: filing again leads to it instead
      await openByUrl(page, STORE, `repair-orders/${ro.id}`);
      await page.getByRole('button', { name: '建索赔单', exact: true }).click();
      await page.getByRole('link', { name: `打开索赔单 ${claimId}` }).click();
      await page.waitForURL((url) => url.pathname.endsWith(`/claims/${encodeURIComponent(claimId)}`));

      // The OEM decides through its own API; the open claim page shows the decision when it arrives,
      // and what the OEM's systems were sent
      const oemPath = `/v1/oems/oem_FAWVOLKSWAGEN/claims/${claimId}`;
      await eventually(async () =>
        (await call(demo.oemUser, 'GET', oemPath)).status === 200 ? true : undefined,
      );
      const decided = await call(demo.oemUser, 'POST', `${oemPath}/decisions`, {
        body: { outcome: 'accepted' },
      });
      expect(decided.status, decided.text).toBe(200);
      await page.getByRole('heading', { level: 1, name: /已批准/ }).waitFor({ timeout: 60_000 });
      await page.getByRole('heading', { name: '厂家审核结果' }).waitFor();
      await page.getByRole('heading', { name: '推送记录' }).waitFor();
      await page.getByRole('cell', { name: 'claim.submitted' }).first().waitFor();
    });
  });
});
