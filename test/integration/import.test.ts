import { DataAccess, eventFromItem, QUEUES, queueUrlEnv } from '@aftersales/data';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';

type Job = {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  chunks: number;
  chunksDone: number;
  unknownHeaders: string[];
};
const base = () => `/v1/stores/${demo.storeA}/imports`;

async function runImport(csv: string, fileName = 'export.csv'): Promise<Job> {
  const started = await call<Job>(demo.managerA, 'POST', base(), { body: { fileName, csv } });
  expect(started.status, started.text).toBe(202);
  // Stream → router → queue → consumer: allow for a busy shared machine.
  return eventually(async () => {
    const job = await call<Job>(demo.managerA, 'GET', `${base()}/${started.body.id}`);
    return job.body.status.startsWith('completed') ? job.body : undefined;
  }, 60_000);
}

beforeAll(() => useStackEnv());

describe('CSV import of customers and vehicles (queued job)', () => {
  it('imports good rows, reports bad ones row by row, and a re-run creates nothing new', {
    timeout: 150_000,
  }, async () => {
    // Prepare
    const s = uniqueSuffix();
    const vin = validVin();
    const badVin = `${vin.slice(0, 8)}${vin[8] === '1' ? '2' : '1'}${vin.slice(9)}`;
    const csv = [
      '姓名,手机号,车架号,车牌号,品牌,车型,开票日期,行驶里程',
      `导入甲${s},13${s.slice(-9).padStart(9, '1')},${vin},京B${s.slice(-5)},Audi,Q5L,2021-05-01,35000`,
      `导入乙${s},15${s.slice(-9).padStart(9, '2')},,,,,,`,
      `"Import, Carol ${s}",18${s.slice(-9).padStart(9, '3')},,,,,,`,
      `坏行一${s},12,,,,,,`,
      `坏行二${s},13${s.slice(-9).padStart(9, '4')},${badVin},,Audi,A4L,,`,
    ].join('\n');
    // Act
    const first = await runImport(csv);
    const errors = await call<{ items: { row: number; errors: { path: string }[] }[] }>(
      demo.managerA,
      'GET',
      `${base()}/${first.id}/errors`,
    );
    const again = await runImport(csv, 'export-again.csv');
    const byName = await call<{ items: unknown[] }>(
      demo.managerA,
      'GET',
      `/v1/stores/${demo.storeA}/customers?name=${encodeURIComponent(`导入甲${s}`)}`,
    );
    const byVin = await call<{ items: { owner?: { customerId: string } }[] }>(
      demo.managerA,
      'GET',
      `/v1/stores/${demo.storeA}/vehicles?vin=${vin}`,
    );
    // Assess
    expect(first).toMatchObject({
      status: 'completed_with_errors',
      totalRows: 5,
      processedRows: 5,
      created: 3,
      failed: 2,
    });
    expect(errors.body.items.map((e) => e.row)).toEqual([4, 5]);
    expect(errors.body.items[0]!.errors[0]!.path).toBe('customer.phones.0.number');
    expect(errors.body.items[1]!.errors[0]!.path).toBe('vehicle.vin');
    expect(again).toMatchObject({ created: 0, unchanged: 3, failed: 2 });
    expect(byName.body.items).toHaveLength(1);
    expect(byVin.body.items).toHaveLength(1);
    expect(byVin.body.items[0]!.owner).toBeDefined();
  });

  it('splits large files into chunks and counts a redelivered chunk once', { timeout: 120_000 }, async () => {
    // Prepare
    const s = uniqueSuffix();
    const rows = Array.from({ length: 130 }, (_, i) => `批量${s}-${i},139${String(i).padStart(8, '0')}`);
    const job = await runImport(['name,phone,微信', ...rows].join('\n'));
    // Act: deliver chunk 0's event again, as SQS may (same event id), and a copy under a new id (as a
    // replay of the stream would)
    const data = new DataAccess({ tableName: stack.tableName });
    const { table } = data.forTenant({ tenantId: demo.storeA, actor: { userId: 'x', name: 'x', roles: [] } });
    const events = (
      await table.query({ partition: ['IMPORT', job.id], sk: { beginsWith: '~EVT#' } })
    ).items.map(eventFromItem);
    const chunk0 = events.find((e) => e.type === 'import.chunkStored' && e.data.chunk === 0)!;
    const sqs = new SQSClient({});
    for (const body of [chunk0, { ...chunk0, id: `${chunk0.id}R` }]) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: process.env[queueUrlEnv(QUEUES.registryImport)]!,
          MessageBody: JSON.stringify(body),
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 2_500));
    const after = await call<Job>(demo.managerA, 'GET', `${base()}/${job.id}`);
    // Assess
    expect(job).toMatchObject({
      status: 'completed',
      chunks: 2,
      chunksDone: 2,
      created: 130,
      processedRows: 130,
      unknownHeaders: ['微信'],
    });
    expect(after.body).toMatchObject({ chunksDone: 2, created: 130, processedRows: 130 });
    // The job's own events: created, one per chunk, and completed with the final counts, exactly once.
    expect(events.map((e) => e.type).sort()).toEqual([
      'import.chunkStored',
      'import.chunkStored',
      'import.completed',
      'import.created',
    ]);
    expect(events.find((e) => e.type === 'import.completed')?.data).toMatchObject({
      created: 130,
      failed: 0,
    });
  });

  it('refuses a file it cannot read with 400 and says why', async () => {
    const noColumns = await call<{ code: string; fieldErrors: { code: string }[] }>(
      demo.managerA,
      'POST',
      base(),
      { body: { fileName: 'x.csv', csv: 'vin\nABC' } },
    );
    const headerOnly = await call<{ code: string }>(demo.managerA, 'POST', base(), {
      body: { fileName: 'x.csv', csv: 'name,phone\n' },
    });
    const forbidden = await call(demo.technicianA, 'POST', base(), {
      body: { fileName: 'x.csv', csv: 'name,phone\nA,13900000000' },
    });
    expect(noColumns.status).toBe(400);
    expect(noColumns.body.fieldErrors[0]!.code).toBe('CSV_COLUMNS');
    expect(headerOnly.status).toBe(400);
    expect(forbidden.status).toBe(403);
  });
});
