import { DataAccess, IMPORT_WATCH } from '@aftersales/data';
import { parseImportCsv } from '@aftersales/domain/csv';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

type Job = { status: string; created: number };

beforeAll(() => useStackEnv());

describe('import watchdog (scheduled job)', () => {
  it('resumes an import whose messages were lost, and stops watching it once done', async () => {
    // Prepare: a job stored and watched, but never enqueued (as if the API died in between)
    const data = new DataAccess({ tableName: stack.tableName });
    const actor = { userId: demo.managerAId, name: 'Manager', roles: ['service_manager' as const] };
    const tenant = data.forTenant({ tenantId: demo.storeA, actor });
    const s = uniqueSuffix();
    const parsed = parseImportCsv(`name,phone\n看门狗${s},137${s.slice(-8).padStart(8, '0')}\n`);
    if (!parsed.ok) throw new Error('fixture CSV did not parse');
    const { job } = await tenant.imports.create('lost.csv', parsed.rows);
    await data.watch.watch(IMPORT_WATCH, demo.storeA, job.id, job.createdAt);
    const { resumeStalledImports, STALL_MINUTES } = await import('@aftersales/fn-import-watchdog/lambda');
    const later = new Date(Date.now() + (STALL_MINUTES + 1) * 60_000);
    // Act
    const early = await resumeStalledImports(new Date());
    const run = await resumeStalledImports(later);
    const done = await eventually(async () => {
      const r = await call<Job>(demo.managerA, 'GET', `/v1/stores/${demo.storeA}/imports/${job.id}`);
      return r.body.status === 'completed' ? r.body : undefined;
    });
    const after = await resumeStalledImports(later);
    const watched = await data.watch.due(IMPORT_WATCH, later.toISOString(), 200);
    // Assess
    expect(early.resumed).toBe(0);
    expect(run.resumed).toBeGreaterThanOrEqual(1);
    expect(done.created).toBe(1);
    expect(after.finished).toBeGreaterThanOrEqual(1);
    expect(watched.map((w) => w.jobId)).not.toContain(job.id);
  });
});
