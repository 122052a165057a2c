import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * Staff (人员) in the browser: the manager adds a technician with an invitation, and the technician's
 * first sign-in takes the temporary password (shown only by the local identity provider; Cognito
 * e-mails it) and sets a password of their own.
 */
const inBrowser = useBrowser();

const CHOSEN = 'Tech-own-passw0rd!';

describe('staff in the browser', () => {
  it('lets the manager invite a technician, who then signs in for the first time', async () => {
    const username = `tech.e2e${uniqueSuffix().toLowerCase()}`;
    let temporary = '';
    await inBrowser('staff-invite', async (page) => {
      // Prepare
      await signIn(page, 'manager.bj');
      await openByUrl(page, demo.storeA, 'staff');
      await page.getByRole('heading', { name: '新增人员' }).waitFor();

      // Act: the invitation (the technician role is ticked by default)
      await page.getByLabel('用户名', { exact: true }).fill(username);
      await page.getByLabel('姓名', { exact: true }).fill('王小明');
      await page.getByLabel('电子邮箱', { exact: true }).fill(`${username}@example.com`);
      await page.getByLabel('技师等级').selectOption('junior');
      await page.getByLabel('周一：上班').fill('08:30');
      await page.getByLabel('周一：下班').fill('17:30');
      await page.getByRole('button', { name: '发送邀请' }).click();

      // Assess: said, listed, and the local temporary password shown
      const shown = page.getByText('仅限本地开发：临时密码为');
      await shown.waitFor();
      temporary = /为 (\S+)/.exec((await shown.textContent()) ?? '')?.[1] ?? '';
      expect(temporary.length).toBeGreaterThanOrEqual(12);
      await page.getByRole('link', { name: '王小明' }).waitFor();
    });

    await inBrowser('staff-first-sign-in', async (page) => {
      // Act: the technician's first sign-in
      await page.goto(stack.url);
      await page.getByLabel('语言').selectOption('zh-CN');
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(temporary);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { name: '设置新密码' }).waitFor();
      await page.getByLabel('新密码', { exact: true }).fill(CHOSEN);
      await page.getByLabel('再次输入新密码').fill(CHOSEN);
      await page.getByRole('button', { name: '设置密码并继续' }).click();

      // Assess: in their store
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/s/${demo.storeA}`));
    });
  }, 120_000);
});
