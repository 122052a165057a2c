import { createHash } from 'node:crypto';
import { Appointments } from '@aftersales/data/appointments';
import { StoreSetups } from '@aftersales/data/setup';
import { StaffMembers } from '@aftersales/data/staff';
import { addDays, leadingZeroBits, StaffInput, StoreSetupInput, zonedInstant } from '@aftersales/domain';
import { viewerHeaders } from '@aftersales/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { appWithClock, freshStore } from '../support/app.ts';
import { uniqueSuffix } from '../support/demo.ts';

/**
 * The public booking page's API (在线预约), on its own store: two opening hours a day and one general bay,
 * so two requests fill a day. The clock stands at 08:00 in Shanghai on a Monday in the future.
 */
const OPEN = { open: '09:00', close: '11:00' };
const MONDAY = '2030-01-07';
const startAt = zonedInstant(MONDAY, '08:00', 'Asia/Shanghai').getTime();

let api: ReturnType<typeof appWithClock>;
let storeId: string;
let base: string;
const ACTOR = { userId: 'usr_test', name: 'Test', roles: [] };

/** An anonymous request from `client` (the address CloudFront would report). */
async function ask(
  method: string,
  path: string,
  opts: { body?: unknown; client?: string; headers?: Record<string, string> } = {},
) {
  const res = await api.app.request(`${base}${path}`, {
    method,
    headers: {
      ...viewerHeaders(opts.client ?? '198.51.100.1', 443),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { code?: string };
  return { status: res.status, body, text, headers: res.headers };
}

/** Solves a challenge as the page does: the first nonce whose hash has the leading zero bits asked for. */
function solve(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) {
    const digest = createHash('sha256')
      .update(challenge + n)
      .digest();
    if (leadingZeroBits(digest) >= difficulty) return String(n);
  }
}

async function proof(client?: string) {
  const c = await ask('POST', '/booking-challenge', { client });
  const { challenge, difficulty } = c.body as { challenge: string; difficulty: number };
  return { challenge, nonce: solve(challenge, difficulty) };
}

const request = (over: Record<string, unknown> = {}) => ({
  name: '张三',
  phone: '13800138000',
  plate: '沪A12345',
  messagesConsent: true,
  locale: 'zh-CN',
  date: MONDAY,
  time: '09:00',
  concern: '刹车有异响',
  ...over,
});

beforeAll(async () => {
  // Generous for these tests (one client makes them all); the limit has its own test below.
  api = appWithClock({ startAt, publicLimit: { perSecond: 10, burst: 1000 } });
  storeId = await freshStore(api.data, 'Booking');
  base = `/public/v1/stores/${storeId}`;
  const tenant = api.data.forTenant({ tenantId: storeId, actor: ACTOR });
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  await tenant.repo(StoreSetups).replace(
    StoreSetupInput.parse({
      timeZone: 'Asia/Shanghai',
      openingHours: Object.fromEntries(days.map((d) => [d, OPEN])),
      holidays: [],
      bays: [{ id: 'M01', name: '机修1号工位', type: 'general' }],
      labourRates: Object.fromEntries(
        ['customer', 'warranty', 'goodwill', 'insurance', 'internal'].map((p) => [
          p,
          { amountMinor: 20000, currency: 'CNY' },
        ]),
      ),
      taxRateBp: 1300,
      serviceIntervals: [],
      papers: [{ code: 'LICENSE', name: { zh: '行驶证', en: 'Vehicle licence' } }],
    }),
    0,
  );
  const suffix = uniqueSuffix();
  await tenant.repo(StaffMembers).create(
    `usr_TECH${suffix}`,
    StaffInput.parse({
      username: `tech.${suffix}`,
      displayName: '技师',
      email: `tech.${suffix}@example.com`,
      roles: ['technician'],
      shifts: Object.fromEntries(days.map((d) => [d, { start: '08:00', end: '12:00' }])),
    }),
  );
});

describe('the public booking page', () => {
  it('shows the store’s face and its free half-hour slots, and 404s an unknown store like one without the page', async () => {
    // Act
    const face = await ask('GET', '/booking');
    const slots = await ask('GET', `/free-slots?from=${MONDAY}&days=2`);
    const unknown = await api.app.request('/public/v1/stores/st_NOPE/booking');
    const bare = await freshStore(api.data, 'NoPage');
    const withoutPage = await api.app.request(`/public/v1/stores/${bare}/booking`);
    const tooMany = await ask('GET', `/free-slots?from=${MONDAY}&days=15`);
    // Assess
    expect(face.status, face.text).toBe(200);
    expect(face.body).toMatchObject({
      name: 'Booking',
      papers: [{ code: 'LICENSE' }],
      languages: ['zh-CN', 'en'],
    });
    expect(slots.body).toEqual({
      days: [
        { date: MONDAY, times: ['09:00', '09:30', '10:00'] },
        { date: addDays(MONDAY, 1), times: ['09:00', '09:30', '10:00'] },
      ],
    });
    expect(unknown.status).toBe(404);
    expect(withoutPage.status).toBe(404);
    expect(await withoutPage.json()).toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(tooMany.status).toBe(400);
  });

  it('refuses a request without a proof, with a wrong one, and with bad fields (400 field errors)', async () => {
    // Prepare
    const good = await proof();
    // Act
    const none = await ask('POST', '/booking-requests', { body: request() });
    const wrong = await ask('POST', '/booking-requests', {
      body: request({ proof: { challenge: good.challenge, nonce: String(Number(good.nonce) + 1) } }),
    });
    const forged = await ask('POST', '/booking-requests', {
      body: request({ proof: { challenge: 'AAAA', nonce: '1' } }),
    });
    const bad = await ask('POST', '/booking-requests', {
      body: request({ phone: 'call me', concern: ' ', proof: good }),
    });
    // Assess
    expect(none).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    // A wrong nonce might solve it by chance (1 in 2^difficulty): then it is a 202, never a 500
    expect([400, 202]).toContain(wrong.status);
    expect(forged).toMatchObject({ status: 400, body: { code: 'PROOF_INVALID' } });
    expect(bad.status).toBe(400);
    const fields = (bad.body.fieldErrors as { path: string }[]).map((f) => f.path).sort();
    expect(fields).toEqual(['concern', 'phone']);
  });

  it('answers a known and an unknown phone and plate alike, creates a requested online booking, and uses a proof once', async () => {
    // Prepare: the first request makes the phone and plate "known" to the store
    const first = await ask('POST', '/booking-requests', { body: request({ proof: await proof() }) });
    // Act
    const tuesday = addDays(MONDAY, 1);
    const again = await ask('POST', '/booking-requests', {
      body: request({ date: tuesday, time: '09:30', proof: await proof() }),
    });
    const stranger = await ask('POST', '/booking-requests', {
      body: request({
        date: tuesday,
        time: '09:30',
        phone: '13912345678',
        plate: '京B54321',
        name: '李四',
        proof: await proof(),
      }),
    });
    // Assess
    expect(first.status, first.text).toBe(202);
    expect(again.status, again.text).toBe(202);
    expect(stranger.status, stranger.text).toBe(202);
    const blank = (text: string, reference: unknown) => text.replace(String(reference), 'REF');
    expect(blank(again.text, again.body.reference)).toBe(blank(stranger.text, stranger.body.reference));
    const booked = await api.data
      .forTenant({ tenantId: storeId, actor: ACTOR })
      .repo(Appointments)
      .between(MONDAY, MONDAY, { limit: 10 });
    const mine = booked.items.find((a) => a.id === first.body.reference);
    expect(mine).toMatchObject({ status: 'requested', channel: 'online', concern: '刹车有异响' });
    expect(mine?.contact).toMatchObject({ phone: '13800138000', plate: '沪A12345' });
    expect(mine?.customerId).toBeUndefined();
  });

  it('uses a challenge once, and refuses it once expired', async () => {
    // Prepare
    const once = await proof();
    const old = await proof();
    const day = addDays(MONDAY, 2);
    // Act
    const first = await ask('POST', '/booking-requests', { body: request({ date: day, proof: once }) });
    const reused = await ask('POST', '/booking-requests', {
      body: request({ date: day, time: '10:00', proof: once }),
    });
    api.advance(11 * 60_000);
    const expired = await ask('POST', '/booking-requests', { body: request({ date: day, proof: old }) });
    // Assess
    expect(first.status, first.text).toBe(202);
    expect(reused).toMatchObject({ status: 409, body: { code: 'PROOF_ALREADY_USED' } });
    expect(expired).toMatchObject({ status: 400, body: { code: 'PROOF_EXPIRED' } });
  });

  it('refuses a full day with 409 CAPACITY_FULL and the next days with room, and no free slot on it', async () => {
    // Prepare: Tuesday took two general hours above, all its two opening hours
    const tuesday = addDays(MONDAY, 1);
    // Act
    const full = await ask('POST', '/booking-requests', {
      body: request({ date: tuesday, time: '10:00', proof: await proof() }),
    });
    const slots = await ask('GET', `/free-slots?from=${tuesday}&days=1`);
    // Assess
    expect(full).toMatchObject({ status: 409, body: { code: 'CAPACITY_FULL' } });
    expect(full.body.nextDays).toContain(addDays(MONDAY, 2));
    expect(full.body).not.toHaveProperty('shortTenths');
    expect(full.body).not.toHaveProperty('sisterStores');
    expect(slots.body).toEqual({ days: [{ date: tuesday, times: [] }] });
  });

  it('replays a request retried with its Idempotency-Key', async () => {
    // Prepare
    const body = request({ date: addDays(MONDAY, 4), proof: await proof() });
    const headers = { 'idempotency-key': `retry-${uniqueSuffix()}` };
    // Act
    const first = await ask('POST', '/booking-requests', { body, headers });
    const retry = await ask('POST', '/booking-requests', { body, headers });
    // Assess
    expect(first.status, first.text).toBe(202);
    expect(retry.status, retry.text).toBe(202);
    expect(retry.body.reference).toBe(first.body.reference);
  });
});

describe('the public page’s limit per client', () => {
  it('answers 429 with Retry-After to a bursting client while another client still gets through', async () => {
    // Prepare: an instance with a limit of 5 requests per 5 s window, at the start of a window
    api = appWithClock({ startAt: startAt + 3_600_000, publicLimit: { perSecond: 1, burst: 5 } });
    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => ask('GET', '/booking', { client: '203.0.113.9' })),
    );
    const other = await ask('GET', '/booking', { client: '203.0.113.10' });
    // Assess
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(other.status).toBe(200);
  });

  it('counts a client that names its own viewer address, without the edge’s secret, by its connection', async () => {
    // Prepare: the same limit, in a window of its own; each request claims another address, as a
    // client calling the API directly (not through CloudFront) could write the header
    api = appWithClock({ startAt: startAt + 7_200_000, publicLimit: { perSecond: 1, burst: 5 } });
    const spoofed = (i: number, secret?: string) => ({
      'cloudfront-viewer-address': `192.0.2.${i}:443`,
      ...(secret === undefined ? {} : { 'x-origin-verify': secret }),
    });

    // Act: four without the secret, four with a wrong one
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetchAs('GET', '/booking', i < 4 ? spoofed(i) : spoofed(i, 'not-the-edge')),
      ),
    );

    // Assess: one client to the limit, whatever addresses it claimed
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });
});

/** A request with exactly these headers (no viewer headers added). */
async function fetchAs(method: string, path: string, headers: Record<string, string>) {
  const res = await api.app.request(`${base}${path}`, { method, headers });
  return { status: res.status };
}
