import { COGNITO_CONTENT_TYPE, COGNITO_TARGET_PREFIX } from '@aftersales/domain';
import { LOCAL_WEB_CLIENT_ID, totp } from '@aftersales/local';
import { describe, expect, it } from 'vitest';
import { stack } from '../support/api.ts';
import { newStoreUser } from '../support/demo.ts';
import { codeForShownKey, openWithToken, useBrowser } from './browser-support.ts';

/**
 * Sign-in as Cognito means it, in a real (headless) Chromium against the dev identity provider, which
 * answers the same challenges as Cognito: an invited manager's first sign-in (a new password, then an
 * authenticator), a later sign-in with the app's code, and a manager let in without a challenge (as the
 * pool's optional MFA does in AWS) who is walked through enrolment before anything else.
 */
const inBrowser = useBrowser();

const TEMPORARY = 'Temp-Passw0rd!';
const CHOSEN = 'My-new-passw0rd!';

describe('sign-in in the browser', () => {
  it('takes an invited manager through a new password and TOTP set-up, then signs in with the code', async () => {
    const user = await newStoreUser('service_manager', TEMPORARY);
    await inBrowser('signin-invited', async (page) => {
      // Prepare
      await page.goto(stack.url);
      await page.getByLabel('语言').selectOption('zh-CN');

      // Act: first sign-in, with the temporary password
      await page.getByLabel('用户名').fill(user.username);
      await page.getByLabel('密码').fill(TEMPORARY);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { name: '设置新密码' }).waitFor();
      await page.getByLabel('新密码', { exact: true }).fill('too-short');
      await page.getByLabel('再次输入新密码').fill('too-short');
      await page.getByRole('button', { name: '设置密码并继续' }).click();
      await page.getByText('该密码不符合规则').waitFor();
      await page.getByLabel('新密码', { exact: true }).fill(CHOSEN);
      await page.getByLabel('再次输入新密码').fill(CHOSEN);
      await page.getByRole('button', { name: '设置密码并继续' }).click();
      // A manager must use an authenticator: the key, as a QR code and as text
      await page.getByRole('heading', { name: '设置两步验证' }).waitFor();
      await expect(
        page.getByRole('img', { name: '用于在身份验证器中添加售后云的二维码' }).isVisible(),
      ).resolves.toBe(true);
      const key = (await page.locator('.totp-key code').textContent()) ?? '';
      await page.getByLabel('动态验证码').fill(totp(key));
      await page.getByRole('button', { name: '验证并启用' }).click();
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      const firstRefresh = await page.evaluate(() => sessionStorage.getItem('aftersales.refresh'));

      // Act: sign out, then sign in again with the chosen password and the app's code
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByLabel('用户名').fill(user.username);
      await page.getByLabel('密码').fill(CHOSEN);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { name: '两步验证' }).waitFor();
      await page.getByLabel('动态验证码').fill(totp(key));
      await page.getByRole('button', { name: '验证', exact: true }).click();

      // Assess: in the store, with the store's data
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/s\/st_/);
      // Signing out revoked the first session's refresh token at the identity provider.
      expect(firstRefresh).toMatch(/\S+/);
      const refreshed = await fetch(`${stack.url}/dev-idp`, {
        method: 'POST',
        headers: {
          'content-type': COGNITO_CONTENT_TYPE,
          'x-amz-target': `${COGNITO_TARGET_PREFIX}InitiateAuth`,
        },
        body: JSON.stringify({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: LOCAL_WEB_CLIENT_ID,
          AuthParameters: { REFRESH_TOKEN: firstRefresh },
        }),
      });
      expect(await refreshed.json()).toMatchObject({ __type: 'NotAuthorizedException' });
    });
  }, 120_000);

  it('walks a manager the pool let in without a challenge through enrolment before anything else', async () => {
    const user = await newStoreUser('parts_manager');
    await inBrowser('signin-enrol', async (page) => {
      // Prepare
      await openWithToken(page, user.username);
      await page.getByLabel('语言').selectOption('zh-CN');

      // Act
      await page.getByRole('heading', { name: '设置两步验证' }).waitFor();
      await page.getByLabel('动态验证码').fill(await codeForShownKey(page));
      await page.getByRole('button', { name: '验证并启用' }).click();

      // Assess: the API has recorded the enrolment, and the app goes on to the store
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      const me = await fetch(`${stack.url}/v1/me`, {
        headers: {
          authorization: `Bearer ${await page.evaluate(() => sessionStorage.getItem('aftersales.token'))}`,
        },
      });
      expect(await me.json()).toMatchObject({ mfaRequired: true, mfaEnrolled: true });
    });
  }, 120_000);
});
