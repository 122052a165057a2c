import { openApiDocument } from '@aftersales/api/openapi-document';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/api.ts';
import { appWithClock, freshStore, freshUser } from '../support/app.ts';

/**
 * Per-client limits: each user in a store, and each store as a whole, counted in DynamoDB (Local here,
 * the same code as in AWS) so that every API instance shares them. Small limits keep the bursts short:
 * a user 5 requests per 5 s window, a store 12 per 12 s. The clock stands at the start of a minute
 * (a start of both windows) until a test moves it.
 */
const LIMITS = { user: { perSecond: 1, burst: 5 }, tenant: { perSecond: 1, burst: 12 } };
const startAt = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;

let api: ReturnType<typeof appWithClock>;
let storeA: string;
let storeB: string;
const tokens: Record<'a1' | 'a2' | 'a3' | 'b1', string> = { a1: '', a2: '', a3: '', b1: '' };

beforeAll(async () => {
  api = appWithClock({ limits: LIMITS, startAt });
  [storeA, storeB] = [await freshStore(api.data, 'LimitA'), await freshStore(api.data, 'LimitB')];
  for (const [name, store] of [
    ['a1', storeA],
    ['a2', storeA],
    ['a3', storeA],
    ['b1', storeB],
  ] as const)
    tokens[name] = await signIn((await freshUser(api.data, store)).username);
});

/** `count` requests at once as `who`, to their store's profile. */
function burst(who: keyof typeof tokens, count: number) {
  const store = who.startsWith('a') ? storeA : storeB;
  return Promise.all(
    Array.from({ length: count }, () => api.call(tokens[who], 'GET', `/v1/stores/${store}`)),
  );
}

const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).sort();

describe('per-client limits', () => {
  it('refuse one store’s bursting user with 429 while another store’s requests of the same moment all pass', async () => {
    // Act
    const [a1, b1] = await Promise.all([burst('a1', 10), burst('b1', 5)]);
    // Assess
    expect(statuses(a1)).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    expect(statuses(b1)).toEqual([200, 200, 200, 200, 200]);
    const refused = a1.find((a) => a.status === 429)!;
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('5');
  });

  it('let another user of the same store through, up to the store’s own limit', async () => {
    // Act: a1's refused requests used none of the store's 12; a1 and a2 use 10, a3 gets the last 2
    const a2 = await burst('a2', 5);
    const a3 = await burst('a3', 5);
    // Assess
    expect(statuses(a2)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses(a3)).toEqual([200, 200, 429, 429, 429]);
    expect(a3.find((a) => a.status === 429)?.headers.get('retry-after')).toBe('12');
  });

  it('start again with the next window', async () => {
    // Act
    api.advance(60_000);
    const a1 = await burst('a1', 5);
    // Assess
    expect(statuses(a1)).toEqual([200, 200, 200, 200, 200]);
  });

  it('are shared by every instance: a second one admits nothing more in the same window', async () => {
    // Prepare: a second API instance (its own memory) at the same time as the first
    const other = appWithClock({ limits: LIMITS, startAt: startAt + 60_000 });
    // Act: a1 used its 5 in this window on the first instance
    const answer = await other.call(tokens.a1, 'GET', `/v1/stores/${storeA}`);
    // Assess
    expect(answer).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('are stated for every operation: 429 `RATE_LIMITED` with `Retry-After`', () => {
    // Act
    const doc = openApiDocument(api.app.documented);
    // Assess
    const operations = Object.values(doc.paths ?? {}).flatMap((item) => Object.values(item ?? {}));
    expect(operations.length).toBeGreaterThan(10);
    for (const op of operations) {
      const tooMany = (op as { responses: Record<string, { headers?: Record<string, unknown> }> }).responses[
        '429'
      ];
      expect(tooMany?.headers).toHaveProperty('Retry-After');
      expect(JSON.stringify(tooMany)).toContain('RATE_LIMITED');
    }
  });
});
