import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { onError } from './problem.ts';
import { ApiRoutes, type RouteSpec } from './route.ts';

/**
 * How an operation reads its declared inputs (route.ts): the rules a client meets that the OpenAPI
 * document and the integration suite cannot reach with today's schemas.
 */
function appWith(request: NonNullable<RouteSpec['request']>) {
  const app = new ApiRoutes();
  app.openapi(
    {
      method: 'get',
      path: '/probe',
      operationId: 'probe',
      permission: 'signed-in',
      request,
      responses: { 200: { description: 'What the handler was given' } },
    },
    (c) => c.json({ query: c.req.valid('query' as never), header: c.req.valid('header' as never) }, 200),
  );
  app.onError(onError);
  return app;
}

describe('operation inputs', () => {
  it('keeps a query parameter named __proto__ as a parameter, which a strict schema refuses', async () => {
    // Prepare
    const app = appWith({ query: z.object({ q: z.string().optional() }).strict() });
    // Act
    const refused = await app.request('/probe?__proto__=x');
    const allowed = await app.request('/probe?q=a');
    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ query: { q: 'a' } });
  });

  it('gives a parameter sent twice as a list', async () => {
    // Prepare
    const app = appWith({ query: z.object({ q: z.array(z.string()) }) });
    // Act
    const res = await app.request('/probe?q=a&q=b');
    // Assess
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ query: { q: ['a', 'b'] } });
  });

  it('matches header names without regard to case, also behind a transform', async () => {
    // Prepare
    const key = z.object({ 'Idempotency-Key': z.string() });
    const plain = appWith({ headers: key });
    const piped = appWith({ headers: key.transform((h) => ({ key: h['Idempotency-Key'] })) });
    // Act
    const fromPlain = await plain.request('/probe', { headers: { 'idempotency-key': 'k1' } });
    const fromPiped = await piped.request('/probe', { headers: { 'IDEMPOTENCY-KEY': 'k2' } });
    // Assess
    expect(fromPlain.status).toBe(200);
    expect(await fromPlain.json()).toMatchObject({ header: { 'Idempotency-Key': 'k1' } });
    expect(fromPiped.status).toBe(200);
    expect(await fromPiped.json()).toMatchObject({ header: { key: 'k2' } });
  });
});

describe('allowed methods of a path', () => {
  it('lists every method served at a path (HEAD with GET), also in a mounted app, and none elsewhere', () => {
    // Prepare
    const items = new ApiRoutes();
    items.get('/:itemId', (c) => c.text('item'));
    items.patch('/:itemId', (c) => c.text('edited'));
    items.post('/', (c) => c.text('created'));
    const app = new ApiRoutes();
    app.use('*', (_c, next) => next());
    app.route('/v1/shops/:shopId/items', items);
    // Act
    const item = app.allowedMethods('/v1/shops/s1/items/i1');
    const collection = app.allowedMethods('/v1/shops/s1/items');
    const unknown = app.allowedMethods('/v1/shops/s1/nothing');
    const deeper = app.allowedMethods('/v1/shops/s1/items/i1/more');
    // Assess
    expect(item.sort()).toEqual(['GET', 'HEAD', 'PATCH']);
    expect(collection).toEqual(['POST']);
    expect(unknown).toEqual([]);
    expect(deeper).toEqual([]);
  });
});
