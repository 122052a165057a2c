import { vinCheckDigit } from '@aftersales/domain';
import { totp, viewerHeaders } from '@aftersales/local';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS } from '@aftersales/seed';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { call, stack } from '../support/api.ts';
import { uniqueSuffix, validVin } from '../support/demo.ts';

/**
 * What the browser tests share: headless Debian Chromium against the local stack of the global setup,
 * a fresh context per scenario (zh-CN, a 1024×768 tablet unless told otherwise), and signing in the
 * way a person does. Elements are found by their visible labels and roles.
 */

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface DemoUser {
  username: string;
  memberships: readonly { tenantId?: string; tenantName: string; roles: readonly string[] }[];
}

const users = DEMO_USERS as readonly DemoUser[];

/** The first demo user holding `role` (in `storeName`, when given), with the store's name. */
export function demoUser(role: string, storeName?: string): DemoUser & { storeName: string } {
  for (const u of users) {
    const m = u.memberships.find(
      (x) => x.roles.includes(role) && (storeName === undefined || x.tenantName === storeName),
    );
    if (m) return { ...u, storeName: m.tenantName };
  }
  throw new Error(`no demo user with role ${role}${storeName ? ` in ${storeName}` : ''}`);
}

/** A VIN nobody has registered yet, with a correct check digit (position 9). */
export function freshVin(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
  let serial = '';
  for (let i = 0; i < 6; i++) serial += String(Math.floor(Math.random() * 10));
  let mid = '';
  for (let i = 0; i < 5; i++) mid += alphabet[Math.floor(Math.random() * alphabet.length)];
  const draft = `LFV${mid}0NA${serial}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

export interface ScenarioOptions {
  viewport?: { width: number; height: number };
  /**
   * A customer's own phone: requests carry this client address as CloudFront's viewer address, so
   * the public pages' per-address limit counts them apart from the suites' own calls from 127.0.0.1
   * (the tenancy sweep alone spends a store's burst on its public routes).
   */
  clientAddress?: string;
}

export type InBrowser = (
  name: string,
  scenario: (page: Page) => Promise<void>,
  options?: ScenarioOptions,
) => Promise<void>;

/**
 * Launches Chromium once for the calling test file and returns the scenario runner: each scenario
 * gets a fresh context; on failure a full-page screenshot goes to /tmp and its path into the error.
 */
export function useBrowser(): InBrowser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return async (name, scenario, options = {}) => {
    if (!browser) throw new Error('useBrowser: Chromium is not running (called outside a test?)');
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: options.viewport ?? { width: 1024, height: 768 },
      ...(options.clientAddress ? { extraHTTPHeaders: viewerHeaders(options.clientAddress) } : {}),
    });
    const page = await context.newPage();
    // The whole suite shares two cores with DynamoDB Local and the API: a screen can take seconds
    // under load, and a slow screen is not what these tests look for.
    page.setDefaultTimeout(25_000);
    try {
      await scenario(page);
    } catch (err) {
      const file = `/tmp/e2e-${name}-${Date.now()}.png`;
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      (err as Error).message += `\n(screenshot: ${file})`;
      throw err;
    } finally {
      await context.close();
    }
  };
}

/**
 * Signs in as a person does: username and password, then — for managers and HQ, whose demo users have
 * TOTP — the authenticator's current code for the demo secret.
 */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(stack.url);
  // Choose the language explicitly, so the labels below do not depend on the user's profile.
  await page.getByLabel('语言').selectOption('zh-CN');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // Signed in wherever the user lands (a store's front desk, or a group's HQ home): the header is up.
  const signedIn = page.getByRole('button', { name: '退出登录' });
  const code = page.getByLabel('动态验证码');
  await signedIn.or(code).first().waitFor();
  if (await code.isVisible()) {
    await code.fill(totp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: '验证', exact: true }).click();
  }
  await signedIn.waitFor();
}

/** A signature drawn across the counter's pad, as a finger or mouse draws it (pointer events). */
export async function signOnPad(page: Page): Promise<void> {
  const pad = page.locator('canvas.signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 3, box.y + 30, { steps: 8 });
  await page.mouse.move(box.x + (2 * box.width) / 3, box.y + box.height - 30, { steps: 8 });
  await page.mouse.up();
}

/** Opens a page of a store by typing its address (the session's token survives, as in a real tab). */
export async function openByUrl(page: Page, storeId: string, sub: string): Promise<void> {
  await page.goto(`${stack.url}/s/${encodeURIComponent(storeId)}/${sub}`);
}

/**
 * On the open set-up screen: adds a bay (its type by the label the screen shows, e.g. `机修`), then saves
 * the set-up and waits until the screen says so.
 */
export async function addBayAndSave(
  page: Page,
  bay: { id: string; name: string; type: string },
): Promise<void> {
  await page.getByLabel('工位编号', { exact: true }).fill(bay.id);
  await page.getByLabel('工位名称', { exact: true }).fill(bay.name);
  await page.getByLabel('工位类型', { exact: true }).selectOption({ label: bay.type });
  await page.getByRole('button', { name: '添加工位' }).click();
  await page.getByLabel(`工位名称 ${bay.id}`).waitFor();
  await page.getByRole('button', { name: '保存修改' }).click();
  await page.getByText('门店设置已保存。').waitFor();
}

/** The current code for the key the set-up screen shows (as the person's authenticator app computes it). */
export async function codeForShownKey(page: Page): Promise<string> {
  const key = (await page.locator('.totp-key code').textContent()) ?? '';
  return totp(key);
}

/**
 * Opens the app already holding an access token from the password grant, as a pool with optional MFA
 * lets a user in without a challenge: what a manager meets in AWS before enrolling.
 */
export async function openWithToken(page: Page, username: string): Promise<void> {
  const res = await fetch(`${stack.url}/dev-idp/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username, password: DEMO_PASSWORD }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  await page.goto(stack.url);
  await page.evaluate((token) => sessionStorage.setItem('aftersales.token', token), access_token);
  await page.reload();
}

/**
 * A customer with a vehicle of their own, registered through the API by `advisor` in `storeId`: whom
 * a browser scenario then finds through the look-up. `province` is the plate's first character.
 */
export async function customerWithCar(
  storeId: string,
  advisor: string,
  province = '京',
): Promise<{ name: string; plate: string; customerId: string; vehicleId: string }> {
  const s = uniqueSuffix();
  const name = `预约客户${s.slice(-6)}`;
  const plate = `${province}N${s.slice(-5)}`.toUpperCase();
  const customer = await call<{ id: string }>(advisor, 'POST', `/v1/stores/${storeId}/customers`, {
    body: { name, phones: [{ number: `137${s.slice(-8).padStart(8, '0')}` }] },
  });
  expect(customer.status).toBe(201);
  const vehicle = await call<{ id: string }>(advisor, 'POST', `/v1/stores/${storeId}/vehicles`, {
    body: {
      vin: validVin(),
      plate,
      brand: 'Volkswagen',
      model: 'Tiguan L',
      ownerCustomerId: customer.body.id,
    },
  });
  expect(vehicle.status).toBe(201);
  return { name, plate, customerId: customer.body.id, vehicleId: vehicle.body.id };
}
