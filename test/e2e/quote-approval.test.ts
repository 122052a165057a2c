import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';
import { quotedOrder, sendLink, tokenOf } from '../support/approval.ts';
import { demo } from '../support/demo.ts';
import { useBrowser } from './browser-support.ts';

/**
 * 远程确认 on a phone: the customer opens the texted link, approves one line and declines the other,
 * signs with their name and sees the store has their answer; the link then says it was used.
 */
const inBrowser = useBrowser();
const PHONE = { width: 390, height: 844 };

describe('the quote approval page', () => {
  it('takes the customer’s answer per line, once', async () => {
    // Prepare
    const { ro, plate } = await quotedOrder();
    const { token } = await tokenOf((await sendLink(ro)).body.messageId);
    const url = `${stack.url}/approve.html#store=${demo.storeA}&token=${token}`;
    await inBrowser(
      'quote-approval',
      async (page) => {
        await page.goto(url);
        await page.getByLabel('语言').selectOption('zh-CN');
        await page.getByRole('heading', { level: 1 }).waitFor();
        expect(await page.textContent('main')).toContain(plate);

        // Act
        await page.getByRole('group', { name: '刹车异响' }).getByLabel('同意').check();
        await page.getByRole('group', { name: '雨刮器不回位' }).getByLabel('不做').check();
        await page.getByLabel('您的姓名（作为签字）').fill('张先生');
        await page.getByRole('button', { name: '提交确认' }).click();

        // Assess
        const done = page.getByRole('status').filter({ hasText: '感谢您的确认' });
        await done.waitFor();
        expect(await done.textContent()).toContain('同意 1 项，不做 1 项');
        await page.reload();
        const used = page.getByRole('alert');
        await used.waitFor();
        expect(await used.textContent()).toContain('该链接已使用过');
      },
      { viewport: PHONE, clientAddress: '198.51.100.62' },
    );
  }, 90_000);
});
