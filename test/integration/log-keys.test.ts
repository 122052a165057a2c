import { createApp, requestLog, unavailableAccounts } from '@aftersales/api';
import { generatedOpenApi } from '@aftersales/api/openapi-document';
import { ALL_ROUTES } from '@aftersales/api/route-groups/all';
import { DataAccess } from '@aftersales/data';
import { demoUserFor } from '@aftersales/seed';
import { describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';

/**
 * Per-request log keys under concurrency: the app is built in this worker over the real DynamoDB Local
 * (only token verification is replaced: the token is the user id), with a probe route that awaits a
 * random time and then reports the tenant its logger carries.
 */
describe('per-request log keys', () => {
  it('never carry another request’s tenant, however requests interleave', async () => {
    // Prepare
    useStackEnv();
    const app = createApp({
      routes: ALL_ROUTES,
      data: new DataAccess({ tableName: stack.tableName }),
      verifyToken: async (token) => ({
        sub: token,
        clientId: 'test',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
        sessionId: '',
      }),
      identity: { ...unavailableAccounts('No staff changes here'), hasSoftwareTokenMfa: async () => false },
      openapi: generatedOpenApi,
    });
    app.get('/v1/stores/:storeId/log-probe', async (c) => {
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      return c.json(requestLog(c).getPersistentLogAttributes());
    });
    const callers = [
      { storeId: demo.storeA, userId: demo.advisorAId },
      { storeId: demo.storeB, userId: demoUserFor('service_advisor', demo.storeB).id },
    ];
    // Act: 40 requests in flight at once, alternating tenants
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const caller = callers[i % 2]!;
        const res = await app.request(`/v1/stores/${caller.storeId}/log-probe`, {
          headers: { authorization: `Bearer ${caller.userId}` },
        });
        return { caller, keys: (await res.json()) as Record<string, unknown> };
      }),
    );
    // Assess
    for (const { caller, keys } of results)
      expect(keys).toMatchObject({ tenantId: caller.storeId, userId: caller.userId });
  });
});
