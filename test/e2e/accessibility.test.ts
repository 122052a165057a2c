import { type Permission, ROLE_PERMISSIONS } from '@aftersales/domain';
import { DEMO_PASSWORD, DEMO_STORES, DEMO_USERS, demoOrg } from '@aftersales/seed';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ROUTES, STORE_ROUTES } from '../../web/src/app/routes.tsx';
import { call, eventually, stack, uploadCsv } from '../support/api.ts';
import { demo, newStoreUser, uniqueSuffix, validVin } from '../support/demo.ts';
import { newPart } from '../support/parts.ts';
import { stockDocuments } from '../support/stock.ts';
import { openWithToken, signIn, useBrowser } from './browser-support.ts';

/**
 * Every screen of the web app, in both languages, scanned by axe-core (its default rules: WCAG 2.x A
 * and AA and the best practices) as each kind of user who can see it; any violation fails.
 *
 * The screens are the app's own route table (STORE_ROUTES and APP_ROUTES, composed from the features),
 * so a feature's new page is scanned without touching this file, as every kind of demo user who may
 * open it. A route parameter is filled with a record made for the scan (RECORDS below); a parameter
 * nobody knows how to fill, or a route no demo user may open, fails the first test.
 */

const inBrowser = useBrowser();

const LANGUAGES = ['zh-CN', 'en'] as const;
type Language = (typeof LANGUAGES)[number];

/** The store the store pages are scanned in: every store role has a demo user there. */
const STORE = demo.storeA;
const storeOrg = demoOrg(STORE);
/** The dealer group the store belongs to: its HQ users see the store, and have pages of their own. */
const GROUP = storeOrg.kind === 'store' ? storeOrg.groupId : undefined;

/** The sign-in page's labels in each language (the challenge screens are found by their inputs' purpose). */
const ZH_LABELS = { username: '用户名', password: '密码', signIn: '登录' };
const EN_LABELS = { username: 'Username', password: 'Password', signIn: 'Sign in' };

/** Ids of records the pages show, by `<segment before the parameter>/:<parameter>` of a route pattern. */
const RECORDS: Record<string, () => string | undefined> = {
  'customers/:id': () => made.customerId,
  'vehicles/:id': () => made.vehicleId,
  'imports/:id': () => made.importId,
  'appointments/:id': () => made.appointmentId,
  // A booking's pick list (拣货单): its document type, then the booking.
  'pick-lists/:type': () => 'appointment',
  ':type/:id': () => made.appointmentId,
  'parts/:id': () => made.partId,
  'stocktakes/:id': () => made.stocktakeId,
  'write-offs/:id': () => made.writeOffId,
  // Purchasing: the seed's plan, its partly received order and that order's delivery.
  'plans/:id': () => made.planId,
  'orders/:id': () => made.orderId,
  'receipts/:id': () => made.receiptId,
  // The demo store's technician: every demo user is one of its staff records, by the user's id.
  'staff/:id': () => DEMO_USERS.find((u) => u.username === 'tech.bj')?.id,
  'hq/:groupId': () => GROUP,
  // A walk-in's repair order, and its settlement sheet among its printable documents.
  'repair-orders/:id': () => made.repairOrderId,
  'print/:doc': () => 'settlement',
  // A demo draft claim: its page shows the pre-check and the edit form to those who file claims.
  'claims/:id': () => made.claimId,
};
const made: {
  customerId?: string;
  vehicleId?: string;
  importId?: string;
  appointmentId?: string;
  partId?: string;
  stocktakeId?: string;
  writeOffId?: string;
  planId?: string;
  orderId?: string;
  receiptId?: string;
  repairOrderId?: string;
  claimId?: string;
} = {};

/** The pattern's path with its parameters filled from RECORDS; an unknown parameter throws. */
function fill(pattern: string): string {
  const parts = pattern.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith(':')) return part;
      const key = `${parts[i - 1] ?? ''}/${part}`;
      const record = RECORDS[key];
      if (!record) {
        throw new Error(
          `route ${pattern}: no way to fill ${key} — add it to RECORDS in test/e2e/accessibility.test.ts`,
        );
      }
      const id = record();
      if (!id) throw new Error(`route ${pattern}: ${key} has no record (not made in beforeAll?)`);
      return encodeURIComponent(id);
    })
    .join('/');
}

/** A kind of user: what they may do in the store, and whether they see it as its staff or from HQ. */
interface Viewer {
  username: string;
  via: 'store' | 'group';
  permissions: ReadonlySet<Permission>;
}

/**
 * One demo user per distinct view of the store (staff or HQ, and the permissions, which decide what
 * each page offers): pages differ by role in their actions and banners, not by the person.
 */
const VIEWERS: readonly Viewer[] = (() => {
  const byView = new Map<string, Viewer>();
  for (const user of DEMO_USERS) {
    for (const m of user.memberships) {
      const via = m.tenantId === STORE ? 'store' : m.tenantId === GROUP ? 'group' : undefined;
      if (!via) continue;
      const permissions = new Set(m.roles.flatMap((r) => ROLE_PERMISSIONS[r]));
      const key = `${via}:${[...permissions].sort().join(',')}`;
      if (!byView.has(key)) byView.set(key, { username: user.username, via, permissions });
    }
  }
  return [...byView.values()];
})();

interface Screen {
  /** What the failure message calls it: the route pattern, or what the app shows. */
  name: string;
  /** The path to open, computed when the records exist. */
  path: () => string;
}

/** A page of the store by its route pattern. */
function inStore(pattern: string): string {
  return `/s/${encodeURIComponent(STORE)}${fill(pattern)}`.replace(/\/$/, '');
}

/** The screens `viewer` can open: the store pages their permissions allow, and the group's pages for HQ. */
function screensOf(viewer: Viewer): Screen[] {
  const pages = STORE_ROUTES.filter((r) => viewer.permissions.has(r.permission)).map((r) => ({
    name: `/s/:storeId${r.pattern}`,
    path: () => inStore(r.pattern),
  }));
  // A page outside the store checks its own access: the group's pages are for the group's members.
  const outside =
    viewer.via === 'group' ? APP_ROUTES.map((r) => ({ name: r.pattern, path: () => fill(r.pattern) })) : [];
  return [...pages, ...outside];
}

/**
 * What the app shows instead of a page, each to a demo user who meets it: "not allowed" (a route the
 * user's permissions do not cover), "page not found", a store the user cannot open, and a user who is
 * in no store at all.
 */
function refusals(): { username: string; screens: Screen[] }[] {
  const refusedViewer = VIEWERS.find((v) => STORE_ROUTES.some((r) => !v.permissions.has(r.permission)));
  const refused = STORE_ROUTES.find((r) => refusedViewer && !refusedViewer.permissions.has(r.permission));
  const user = DEMO_USERS.find((u) => u.username === refusedViewer?.username);
  const otherStore = DEMO_STORES.find(
    (s) => !user?.memberships.some((m) => m.tenantId === s.id || m.tenantId === s.groupId),
  );
  const storeless = DEMO_USERS.find((u) => u.memberships.every((m) => m.tenantKind === 'oem'));
  if (!refusedViewer || !refused || !otherStore || !storeless) {
    throw new Error('the demo users no longer meet every refusal: choose them another way');
  }
  return [
    {
      username: refusedViewer.username,
      screens: [
        { name: `not allowed (${refused.pattern})`, path: () => inStore(refused.pattern) },
        { name: 'page not found', path: () => inStore('/no-such-page') },
        { name: 'store not accessible', path: () => `/s/${encodeURIComponent(otherStore.id)}` },
      ],
    },
    { username: storeless.username, screens: [{ name: 'in no store', path: () => '/' }] },
  ];
}

interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** A scanned screen: which, where, in which language, as whom, and what axe found there. */
interface Scanned {
  screen: string;
  violations: Violation[];
}

const axeSource = axe.source;

/** axe-core on the page as it is now: its violations, each with the elements concerned. */
async function scan(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const injected = (window as unknown as { axe: typeof axe }).axe;
    const results = await injected.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/**
 * Waits until the screen has loaded: no spinner and no request in flight for a while (a page loads in
 * steps: who the user is, the store, the record, then names the record refers to).
 */
async function settled(page: Page, inFlight: () => number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let quietSince = Date.now();
  for (;;) {
    const busy = inFlight() > 0 || (await page.locator('.spinner').count()) > 0;
    if (busy) quietSince = Date.now();
    else if (Date.now() - quietSince >= 500) return;
    if (Date.now() > deadline) throw new Error(`${page.url()} still loading after 20 s`);
    await page.waitForTimeout(100);
  }
}

/** Counts the page's requests still waiting for an answer. */
function trackRequests(page: Page): () => number {
  let open = 0;
  page.on('request', () => {
    open += 1;
  });
  const done = () => {
    open -= 1;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return () => open;
}

/** One line per violation, under the screen it was found on. */
function report(found: Scanned[]): string {
  return found
    .filter((f) => f.violations.length > 0)
    .map(
      (f) =>
        `${f.screen}\n${f.violations
          .map((v) => `  ${v.id} [${v.impact}] ${v.help}: ${v.targets.join(' | ')}`)
          .join('\n')}`,
    )
    .join('\n');
}

/**
 * Opens each screen as the app's links do (history.pushState and the router's popstate listener: the
 * same page as typing its address, without loading the app and axe again for each), waits for it to
 * load, and scans it.
 */
async function scanAll(page: Page, language: Language, who: string, screens: Screen[]) {
  const inFlight = trackRequests(page);
  const found: Scanned[] = [];
  for (const screen of screens) {
    const path = screen.path();
    await page.evaluate((to) => {
      if (location.pathname === to) return;
      history.pushState(null, '', to);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    await settled(page, inFlight);
    // The screen asked for, not a sign-in page or a redirect elsewhere.
    expect(new URL(page.url()).pathname, `${screen.name} as ${who}`).toBe(path);
    expect(await page.locator('html').getAttribute('lang'), `${screen.name} as ${who}`).toBe(language);
    found.push({ screen: `${screen.name} (${path}, ${language}, as ${who})`, violations: await scan(page) });
  }
  return found;
}

beforeAll(async () => {
  // A customer with a vehicle, and a finished import with a refused row: every part of their pages shows.
  const s = uniqueSuffix();
  const customer = await call<{ id: string }>(demo.managerA, 'POST', `/v1/stores/${STORE}/customers`, {
    body: { name: `无障碍客户${s}`, phones: [{ number: `139${s.slice(-8).padStart(8, '0')}` }] },
  });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${customer.text}`);
  const vehicle = await call<{ id: string }>(demo.managerA, 'POST', `/v1/stores/${STORE}/vehicles`, {
    body: {
      vin: validVin(),
      plate: `京A${s.slice(-5)}`,
      brand: 'Audi',
      model: 'A4L',
      modelYear: 2022,
      ownerCustomerId: customer.body.id,
      odometerKm: 12000,
    },
  });
  if (vehicle.status !== 201) throw new Error(`vehicle: ${vehicle.status} ${vehicle.text}`);
  const uploadId = await uploadCsv(
    demo.managerA,
    STORE,
    `姓名,手机号\n导入客户${s},136${s.slice(-8).padStart(8, '0')}\n,not-a-phone\n`,
  );
  const job = await call<{ id: string }>(demo.managerA, 'POST', `/v1/stores/${STORE}/imports`, {
    body: { fileName: `无障碍${s}.csv`, uploadId },
  });
  if (job.status !== 202) throw new Error(`import: ${job.status} ${job.text}`);
  // Finished, so its page shows the outcome and stops polling (a polling page never goes quiet).
  await eventually(async () => {
    const r = await call<{ status: string }>(
      demo.managerA,
      'GET',
      `/v1/stores/${STORE}/imports/${job.body.id}`,
    );
    return r.body.status.startsWith('completed') ? true : undefined;
  }, 60_000);
  // A booking of that customer on the first open day with room from the day after tomorrow on.
  let appointmentId: string | undefined;
  // …needing a part with stock (reserved for it below: its pick list has a line) and one to order.
  const part = await newPart();
  await call('warehouse.bj', 'POST', `/v1/stores/${STORE}/parts/${part.id}/movements`, {
    body: { kind: 'receive', bin: 'A-01-1-01', quantity: 2, document: { type: 'receipt', id: 'a11y' } },
  });
  for (let i = 2; i < 30 && !appointmentId; i++) {
    const date = new Date(Date.now() + i * 86_400_000).toISOString().slice(0, 10);
    const booked = await call<{ id: string }>(demo.managerA, 'POST', `/v1/stores/${STORE}/appointments`, {
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        customerId: customer.body.id,
        vehicleId: vehicle.body.id,
        date,
        time: '10:00',
        concern: '保养',
        parts: [
          { partNumber: part.partNumber, quantity: 1 },
          { partNumber: 'A11Y-TO-ORDER', quantity: 1 },
        ],
      },
    });
    if (booked.status === 201) appointmentId = booked.body.id;
    else if (booked.status !== 409) throw new Error(`appointment: ${booked.status} ${booked.text}`);
  }
  if (appointmentId)
    await call(demo.advisorA, 'POST', `/v1/stores/${STORE}/appointments/${appointmentId}/parts/reserve`);
  // A part of the catalogue, below its minimum (nothing received): its page shows every section.
  const belowMin = await call<{ id: string }>(
    DEMO_USERS.find((u) =>
      u.memberships.some((m) => m.tenantId === STORE && m.roles.includes('parts_manager')),
    )!.username,
    'POST',
    `/v1/stores/${STORE}/parts`,
    {
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        partNumber: `A11Y${s.slice(-6)}`,
        name: { zh: '机油滤清器', en: 'Oil filter' },
        brand: 'Audi',
        listPrice: { amountMinor: 12000, currency: 'CNY' },
        cost: { amountMinor: 8000, currency: 'CNY' },
        minStock: 2,
        maxStock: 6,
      },
    },
  );
  if (belowMin.status !== 201) throw new Error(`part: ${belowMin.status} ${belowMin.text}`);
  // The seed's purchasing: a plan, and a delivery with its order (the discrepancy report shows on it).
  const purchasing = `/v1/stores/${STORE}/purchasing`;
  const clerk = DEMO_USERS.find((u) => u.username === 'parts.bj')?.username ?? demo.managerA;
  const plans = await call<{ items: { id: string }[] }>(clerk, 'GET', `${purchasing}/plans`);
  const receipts = await call<{ items: { id: string; orderId: string }[] }>(
    clerk,
    'GET',
    `${purchasing}/receipts`,
  );
  Object.assign(made, {
    planId: plans.body.items[0]?.id,
    orderId: receipts.body.items[0]?.orderId,
    receiptId: receipts.body.items[0]?.id,
  });
  // A walk-in checked in for that car: its page and its printable documents.
  const repairOrder = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${STORE}/repair-orders`, {
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: {
      source: { kind: 'walk_in' },
      customerId: customer.body.id,
      vehicleId: vehicle.body.id,
      odometerKm: 12500,
      fuelLevel: 4,
      promisedAt: new Date(Date.now() + 5 * 3_600_000).toISOString(),
      concerns: [{ words: '刹车异响' }],
    },
  });
  if (repairOrder.status !== 201) throw new Error(`repair order: ${repairOrder.status} ${repairOrder.text}`);
  const drafts = await call<{ items: { id: string }[] }>(
    demo.claimsSpecialistA,
    'GET',
    `/v1/stores/${STORE}/claims?status=draft&limit=1`,
  );
  if (drafts.status !== 200) throw new Error(`claims: ${drafts.status} ${drafts.text}`);
  Object.assign(made, {
    claimId: drafts.body.items[0]?.id,
    repairOrderId: repairOrder.body.id,
    partId: belowMin.body.id,
    customerId: customer.body.id,
    vehicleId: vehicle.body.id,
    importId: job.body.id,
    appointmentId,
    ...(await stockDocuments()),
  });
}, 90_000);

it('scans every declared route, as someone who may open it and with its parameters filled', () => {
  const declared = [
    ...STORE_ROUTES.map((r) => `/s/:storeId${r.pattern}`),
    ...APP_ROUTES.map((r) => r.pattern),
  ];
  const scanned = new Set(VIEWERS.flatMap((v) => screensOf(v).map((screen) => screen.name)));
  // A route only a role nobody in the demo store holds would otherwise go unscanned without a word.
  expect(declared.filter((route) => !scanned.has(route))).toEqual([]);
  for (const route of [...STORE_ROUTES, ...APP_ROUTES]) fill(route.pattern);
});

describe.each(LANGUAGES)('every screen in %s has no axe violation', (language) => {
  it('the sign-in page', async () => {
    await inBrowser(`a11y-signin-${language}`, async (page) => {
      // Prepare: a visitor without a session, in the language they chose
      await page.goto(stack.url);
      await page.getByLabel('语言').selectOption(language);

      // Act
      const found = await scanAll(page, language, 'a visitor', [{ name: 'sign-in', path: () => '/' }]);

      // Assess
      expect(report(found)).toBe('');
    });
  }, 60_000);

  it('the public booking page (no sign-in), with a time picked and with field errors', async () => {
    await inBrowser(
      `a11y-booking-${language}`,
      async (page) => {
        // Prepare: a customer on a phone
        await page.goto(`${stack.url}/booking.html#store=${STORE}`);
        await page.locator('.booking-lang select').selectOption(language);
        const submit = page.getByRole('button', {
          name: language === 'en' ? 'Request this booking' : '提交预约申请',
        });
        await submit.waitFor();
        const found: Scanned[] = [];
        const scanned = async (state: string) =>
          found.push({ screen: `public booking (${state}, ${language})`, violations: await scan(page) });

        // Act: the form, then a time picked and a request the API refuses field by field
        expect(await page.locator('html').getAttribute('lang')).toBe(language);
        await scanned('form');
        await page.getByRole('radio').first().check();
        await page.locator('#bk-name').fill('x');
        await page.locator('#bk-phone').fill('not a phone');
        await page.locator('#bk-plate').fill('x');
        await page.locator('#bk-concern').fill('x');
        await submit.click();
        await page.locator('.booking-error').first().waitFor();
        await scanned('field errors');

        // Assess
        expect(report(found)).toBe('');
      },
      { viewport: { width: 390, height: 844 } },
    );
  }, 60_000);

  it('the two-step sign-in screens: new password, authenticator set-up, code, enrolment', async () => {
    const found: Scanned[] = [];
    const here = async (page: Page, screen: string) => {
      expect(await page.locator('html').getAttribute('lang'), screen).toBe(language);
      found.push({ screen: `${screen} (${language})`, violations: await scan(page) });
    };
    // Prepare: an invited manager (new password, then set-up), and one let in without a challenge
    const invited = await newStoreUser('service_manager', 'Temp-Passw0rd!');
    const unenrolled = await newStoreUser('workshop_manager');
    await inBrowser(`a11y-signin-challenges-${language}`, async (page) => {
      await page.goto(stack.url);
      await page.getByLabel('语言').selectOption(language);
      const labels = language === 'en' ? EN_LABELS : ZH_LABELS;
      await page.getByLabel(labels.username).fill(invited.username);
      await page.getByLabel(labels.password, { exact: true }).fill('Temp-Passw0rd!');
      await page.getByRole('button', { name: labels.signIn, exact: true }).click();

      // Act
      await page.locator('input[autocomplete="new-password"]').first().waitFor();
      await here(page, 'new password');
      for (const input of await page.locator('input[autocomplete="new-password"]').all())
        await input.fill('A-new-passw0rd!');
      await page.locator('button[type="submit"]').click();
      await page.locator('.totp-key').waitFor();
      await here(page, 'authenticator set-up at sign-in');
    });
    await inBrowser(`a11y-signin-code-${language}`, async (page) => {
      await page.goto(stack.url);
      await page.getByLabel('语言').selectOption(language);
      const labels = language === 'en' ? EN_LABELS : ZH_LABELS;
      await page.getByLabel(labels.username).fill(demo.managerA);
      await page.getByLabel(labels.password, { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: labels.signIn, exact: true }).click();
      await page.locator('input[autocomplete="one-time-code"]').waitFor();
      await here(page, 'authentication code');
    });
    await inBrowser(`a11y-enrolment-${language}`, async (page) => {
      await openWithToken(page, unenrolled.username);
      // The user's own language applies once the app has read who they are: choose after that.
      await page.locator('.totp-key').waitFor();
      await page.getByLabel('语言').selectOption(language);
      await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
      await here(page, 'enrolment after sign-in');
    });

    // Assess
    expect(report(found)).toBe('');
  }, 180_000);

  it.each(VIEWERS.map((v) => [`${v.username} (${v.via})`, v] as const))(
    'the screens %s sees',
    async (who, viewer) => {
      await inBrowser(`a11y-${viewer.username}-${language}`, async (page) => {
        // Prepare
        await signIn(page, viewer.username);
        await page.getByLabel('语言').selectOption(language);

        // Act
        const found = await scanAll(page, language, who, screensOf(viewer));

        // Assess
        expect(report(found)).toBe('');
      });
    },
    180_000,
  );

  it('what the app shows instead of a page', async () => {
    const found: Scanned[] = [];
    for (const { username, screens } of refusals()) {
      await inBrowser(`a11y-refusals-${username}-${language}`, async (page) => {
        // Prepare
        await signIn(page, username);
        await page.getByLabel('语言').selectOption(language);

        // Act
        found.push(...(await scanAll(page, language, username, screens)));
      });
    }

    // Assess
    expect(report(found)).toBe('');
  }, 180_000);
});
