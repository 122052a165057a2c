import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, securityHeaders } from './security-headers.ts';

describe('securityHeaders', () => {
  const app = new Hono();
  app.use('*', securityHeaders);
  const cached = 'public, max-age=300';
  app.get('/openapi.json', (c) => c.json({}, 200, { 'cache-control': cached }));
  app.get('/v1/stores/:id', (c) => c.json({ phone: '13800138000' }, 200, { 'cache-control': cached }));

  it('keeps a public path’s own Cache-Control, with every other header set', async () => {
    const res = await app.request('/openapi.json');
    expect(res.headers.get('cache-control')).toBe(cached);
    expect(res.headers.get('x-frame-options')).toBe(SECURITY_HEADERS['x-frame-options']);
  });

  it('answers no-store on any other path, whatever its route set', async () => {
    const res = await app.request('/v1/stores/st_1');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
