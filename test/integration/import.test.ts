import { createHash } from 'node:crypto';
import type { Schemas } from '@aftersales/api-client';
import { DataAccess, eventFromItem, importIdOfUpload, QUEUES, queueUrlEnv } from '@aftersales/data';
import { MAX_IMPORT_FILE_BYTES, nameSearchKey } from '@aftersales/domain';
import { ensureTable } from '@aftersales/local';
import { demoUserFor } from '@aftersales/seed';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, putUpload, requestUpload, stack, uploadCsv, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';

type Job = Schemas['ImportJob'];
const base = () => `/v1/stores/${demo.storeA}/imports`;

/** The client's whole flow: an upload URL, the bytes to S3, then the import. */
async function startImport(csv: string, fileName = 'export.csv', user = demo.managerA) {
  const uploadId = await uploadCsv(user, demo.storeA, csv);
  return call<Job & { code: string; fieldErrors: { code: string }[] }>(user, 'POST', base(), {
    body: { fileName, uploadId },
  });
}

async function runImport(csv: string, fileName = 'export.csv'): Promise<Job> {
  const started = await startImport(csv, fileName);
  expect(started.status, started.text).toBe(202);
  // Stream → router → queue → consumer: allow for a busy shared machine.
  return eventually(async () => {
    const job = await call<Job>(demo.managerA, 'GET', `${base()}/${started.body.id}`);
    return job.body.status.startsWith('completed') ? job.body : undefined;
  }, 60_000);
}

/** A one-row file of a new customer. */
const oneRow = () => `name,phone\n上传${uniqueSuffix()},139${uniqueSuffix().slice(-8)}\n`;

/** An uploaded file whose import a start claimed at `at` and has not created (no job yet). */
async function claimedUpload(at: Date) {
  const uploadId = await uploadCsv(demo.managerA, demo.storeA, oneRow());
  const importId = importIdOfUpload(uploadId);
  const data = new DataAccess({ tableName: stack.tableName });
  const { table } = data.forTenant({ tenantId: demo.storeA, actor: { userId: 'x', name: 'x', roles: [] } });
  const claim = {
    pk: table.key('IMPORT', importId),
    sk: '#CLAIM',
    type: 'ImportClaim',
    at: at.toISOString(),
  };
  await table.transact([{ put: claim }]);
  return { uploadId, importId, table };
}

beforeAll(() => useStackEnv());

describe('CSV import of customers and vehicles (queued job)', () => {
  it('lets the table’s TTL delete a chunk until it is imported, and never after', async () => {
    // Prepare: a table of its own, which no stream poller watches, so nothing imports the chunk here
    const ddb = new DynamoDBClient({});
    const tableName = `aftersales-ttl-${uniqueSuffix()}`;
    await ensureTable(ddb, tableName);
    const tenant = new DataAccess({ tableName }).forTenant({
      tenantId: demo.storeA,
      actor: { userId: 'test', name: 'test', roles: [] },
    });
    const rawChunk = async (importId: string) =>
      (
        await ddb.send(
          new GetItemCommand({
            TableName: tableName,
            Key: { pk: { S: tenant.table.key('IMPORT', importId) }, sk: { S: 'CHUNK#00000' } },
          }),
        )
      ).Item;

    // Act
    const job = await tenant.imports.create('ttl.csv', [{ name: 'Li', phone: '13800138000' }]);
    const pending = await rawChunk(job.id);
    await tenant.imports.completeChunk(
      job.id,
      0,
      { created: 1, updated: 0, unchanged: 0, failed: 0, errors: [] },
      1,
    );
    const imported = await rawChunk(job.id);

    // Assess: about fifteen days while pending; gone once imported
    const days = (Number(pending?.expiresAt?.N) - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(14.9);
    expect(days).toBeLessThan(15.1);
    expect(imported?.status?.S).toBe('done');
    expect(imported?.expiresAt).toBeUndefined();
  });

  it('reads chunks finished before row numbers were kept: they load, and their errors are renumbered', {
    timeout: 90_000,
  }, async () => {
    // Prepare: a finished import with one bad row (row 3 of the file), its chunk as older code left it
    const s = uniqueSuffix();
    const job = await runImport(`name,phone\n好行${s},139${s.slice(-8)}\n坏行${s},12\n`);
    const data = new DataAccess({ tableName: stack.tableName });
    const tenant = data.forTenant({
      tenantId: demo.storeA,
      actor: { userId: 'test', name: 'test', roles: [] },
    });
    const key = { pk: tenant.table.key('IMPORT', job.id), sk: 'CHUNK#00000' };
    await tenant.table.transact([
      {
        update: key,
        changes: {
          set: { errors: [{ row: 2, errors: [{ path: 'phone', message: 'old' }] }] },
          remove: ['rowNumbering', 'rowNumbers'],
        },
      },
    ]);

    // Act
    const chunk = await tenant.imports.loadChunk(job.id, 0);
    const errors = await tenant.imports.errors(job.id, 'customers-vehicles', {});

    // Assess
    expect(chunk).toEqual({ rows: [], rowNumbers: [], done: true });
    expect(errors.items.map((e) => e.row)).toEqual([3]);
    // A chunk that has its row numbers was numbered as the spreadsheet is, marked or not
    await tenant.table.transact([
      {
        update: key,
        changes: {
          set: { errors: [{ row: 3, errors: [{ path: 'phone', message: 'x' }] }], rowNumbers: [2, 3] },
        },
      },
    ]);
    expect((await tenant.imports.errors(job.id, 'customers-vehicles', {})).items.map((e) => e.row)).toEqual([
      3,
    ]);
  });

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
      // An empty row, as spreadsheets export them: skipped, but it keeps its place in the row numbers.
      ',,,,,,,',
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
      'POST',
      `/v1/stores/${demo.storeA}/customers/search`,
      { body: { name: `导入甲${s}` } },
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
    // The rows as a spreadsheet numbers them: the header is row 1, the empty row 4 is counted.
    expect(errors.body.items.map((e) => e.row)).toEqual([6, 7]);
    expect(errors.body.items[0]!.errors[0]!.path).toBe('customer.phones.0.number');
    expect(errors.body.items[1]!.errors[0]!.path).toBe('vehicle.vin');
    expect(again).toMatchObject({ created: 0, unchanged: 3, failed: 2 });
    expect(byName.body.items).toHaveLength(1);
    expect(byVin.body.items).toHaveLength(1);
    expect(byVin.body.items[0]!.owner).toBeDefined();
  });

  it('imports a row whose second phone repeats the first as one customer with one number', {
    timeout: 120_000,
  }, async () => {
    // Prepare: the mobile again as 备用电话, written with +86
    const s = uniqueSuffix();
    const mobile = `13${s.slice(-9).padStart(9, '5')}`;
    const csv = `姓名,手机号,备用电话\n重号${s},${mobile},+86 ${mobile}\n`;
    // Act
    const job = await runImport(csv);
    const found = await call<{ items: { phones: { number: string }[] }[] }>(
      demo.managerA,
      'POST',
      `/v1/stores/${demo.storeA}/customers/phone-search`,
      { body: { phone: mobile } },
    );
    // Assess
    expect(job).toMatchObject({ status: 'completed', created: 1, failed: 0 });
    expect(found.body.items.map((c) => c.phones.map((p) => p.number))).toEqual([[mobile]]);
  });

  it('gives an imported customer a random id, and the same row imported again the same customer', {
    timeout: 180_000,
  }, async () => {
    // Prepare: one row, imported; then the customer's phone changed, so the row's number finds nobody
    const s = uniqueSuffix();
    const [name, mobile] = [`随机${s}`, `13${s.slice(-9).padStart(9, '4')}`];
    const csv = `name,phone\n${name},${mobile}\n`;
    const first = await runImport(csv);
    const search = () =>
      call<{ items: { id: string; version: number }[] }>(
        demo.managerA,
        'POST',
        `/v1/stores/${demo.storeA}/customers/search`,
        { body: { name } },
      );
    const [made] = (await search()).body.items;
    const edited = await call(demo.managerA, 'PATCH', `/v1/stores/${demo.storeA}/customers/${made!.id}`, {
      body: { phones: [{ number: `13${s.slice(-9).padStart(9, '6')}` }] },
      headers: { 'if-match': `"${made!.version}"` },
    });
    expect(edited.status, edited.text).toBe(200);
    // Act: the same file again, twice at once (a re-upload and a retry)
    const again = await Promise.all([runImport(csv, 'again.csv'), runImport(csv, 'again-2.csv')]);
    // Assess: one customer; its id is random (the old ids were a digest of store, name and phone)
    const legacy = createHash('sha256')
      .update(`${demo.storeA}|${nameSearchKey(name)}|${mobile}`)
      .digest('hex');
    expect(first).toMatchObject({ created: 1, failed: 0 });
    for (const job of again) expect(job).toMatchObject({ created: 0, unchanged: 1, failed: 0 });
    expect((await search()).body.items.map((c) => c.id)).toEqual([made!.id]);
    expect(made!.id).toMatch(/^cus_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(made!.id.toLowerCase()).not.toContain(legacy.slice(0, 8));
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
          QueueUrl: process.env[queueUrlEnv(QUEUES.imports)]!,
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
    const noColumns = await startImport('vin\nABC', 'x.csv');
    const headerOnly = await startImport('name,phone\n', 'x.csv');
    const unclosed = await startImport('name,phone\n"Li Lei,13800138000\n', 'x.csv');
    const forbidden = await call(demo.technicianA, 'POST', `${base()}/uploads`, {
      body: { size: 10 },
    });
    expect(noColumns.status).toBe(400);
    expect(noColumns.body.fieldErrors[0]!.code).toBe('CSV_COLUMNS');
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.fieldErrors[0]!.code).toBe('CSV_NO_ROWS');
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.code).toBe('VALIDATION_FAILED');
    expect(unclosed.body.fieldErrors[0]).toMatchObject({ code: 'CSV_MALFORMED', message: /^Line 2: / });
    expect(forbidden.status).toBe(403);
  });
});

describe('CSV uploads to S3 by presigned URL', () => {
  const s3 = () => new S3Client({ forcePathStyle: true });
  const bytesOf = (csv: string) => new TextEncoder().encode(csv);

  it('refuses to sign a file over the limit, and S3 refuses a body longer than the signed size', async () => {
    // Prepare
    const csv = bytesOf(oneRow());
    const tooBig = await requestUpload(demo.managerA, demo.storeA, MAX_IMPORT_FILE_BYTES + 1);
    const upload = await requestUpload(demo.managerA, demo.storeA, csv.byteLength);
    // Act: more bytes than declared, then exactly the declared bytes
    const longer = await putUpload(upload.body, new Uint8Array([...csv, ...bytesOf('X,13900000000\n')]));
    const exact = await putUpload(upload.body, csv);
    // Assess
    expect(tooBig.status).toBe(400);
    expect(tooBig.text).toContain('size');
    expect(upload.body).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' } });
    expect(upload.body.url).toContain(`/uploads/${demo.storeA}/${upload.body.uploadId}.csv`);
    expect(Date.parse(upload.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(longer.status).toBe(403);
    expect(exact.status).toBe(200);
  });

  it('refuses a tampered, redirected, retyped or expired upload URL (S3 checks the signature)', async () => {
    // Prepare
    const csv = bytesOf(oneRow());
    const { body: upload } = await requestUpload(demo.managerA, demo.storeA, csv.byteLength);
    const signature = new URL(upload.url).searchParams.get('X-Amz-Signature')!;
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const data = new DataAccess({ tableName: stack.tableName, uploadBucket: stack.uploadBucket });
    const past = new Date(Date.now() - 16 * 60_000);
    const expired = await data
      .forTenant({ tenantId: demo.storeA, actor: { userId: 'x', name: 'x', roles: [] } })
      .uploads.presign(csv.byteLength, past);
    // Act
    const tampered = await putUpload({ ...upload, url: upload.url.replace(signature, flipped) }, csv);
    const otherStore = await putUpload({ ...upload, url: upload.url.replace(demo.storeA, demo.storeB) }, csv);
    const retyped = await putUpload({ ...upload, headers: { 'content-type': 'text/html' } }, csv);
    const late = await putUpload(expired, csv);
    // Assess
    expect([tampered.status, otherStore.status, retyped.status, late.status]).toEqual([403, 403, 403, 403]);
    expect(await late.text()).toContain('expired');
  });

  it('answers 404 for an upload id never uploaded, 400 for one that is not an upload id', async () => {
    // Prepare: a URL asked for but never used
    const { body: unused } = await requestUpload(demo.managerA, demo.storeA, 20);
    // Act
    const missing = await call<{ code: string }>(demo.managerA, 'POST', base(), {
      body: { fileName: 'x.csv', uploadId: unused.uploadId },
    });
    const malformed = await call<{ code: string; fieldErrors: { path: string }[] }>(
      demo.managerA,
      'POST',
      base(),
      { body: { fileName: 'x.csv', uploadId: '../st_HCVWBJ/upl_01JD0000000000000000000000' } },
    );
    // Assess
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('UPLOAD_NOT_FOUND');
    expect(malformed.status).toBe(400);
    expect(malformed.body.fieldErrors.map((e) => e.path)).toEqual(['uploadId']);
  });

  it('refuses to import a file over the limit that reached the bucket some other way', async () => {
    // Prepare: an upload id of this store, its key written directly with more than the limit (as a
    // writer with bucket rights could; the presigned URL cannot)
    const { body: upload } = await requestUpload(demo.managerA, demo.storeA, 20);
    await s3().send(
      new PutObjectCommand({
        Bucket: stack.uploadBucket,
        Key: `uploads/${demo.storeA}/${upload.uploadId}.csv`,
        Body: new Uint8Array(MAX_IMPORT_FILE_BYTES + 1),
        ContentType: 'text/csv',
      }),
    );
    // Act
    const res = await call<{ code: string }>(demo.managerA, 'POST', base(), {
      body: { fileName: 'huge.csv', uploadId: upload.uploadId },
    });
    // Assess
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('UPLOAD_TOO_LARGE');
  });

  it('never reads another store’s upload: its id is not found here, and the file stays theirs', async () => {
    // Prepare: a file uploaded by store B
    const managerB = demoUserFor('service_manager', demo.storeB).username;
    const secret = `机密${uniqueSuffix()}`;
    const uploadId = await uploadCsv(managerB, demo.storeB, `name,phone\n${secret},13912345678\n`);
    // Act: store A starts an import with it, then store B does
    const stolen = await call<{ code: string }>(demo.managerA, 'POST', base(), {
      body: { fileName: 'stolen.csv', uploadId },
    });
    const own = await call<{ id: string }>(managerB, 'POST', `/v1/stores/${demo.storeB}/imports`, {
      body: { fileName: 'own.csv', uploadId },
    });
    // Assess
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('UPLOAD_NOT_FOUND');
    expect(stolen.text).not.toContain(secret);
    expect(own.status).toBe(202);
  });

  it('starts one job per upload: a retry returns the first job, and the file is deleted', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const uploadId = await uploadCsv(demo.managerA, demo.storeA, oneRow());
    // Act
    const first = await call<Job>(demo.managerA, 'POST', base(), { body: { fileName: 'a.csv', uploadId } });
    const retry = await call<Job>(demo.managerA, 'POST', base(), { body: { fileName: 'a.csv', uploadId } });
    const jobs = await call<{ items: Job[] }>(demo.managerA, 'GET', `${base()}?limit=100`);
    const object = await s3()
      .send(
        new GetObjectCommand({ Bucket: stack.uploadBucket, Key: `uploads/${demo.storeA}/${uploadId}.csv` }),
      )
      .then(
        () => 'present',
        (e: Error) => e.name,
      );
    // Assess
    expect([first.status, retry.status]).toEqual([202, 202]);
    expect(retry.body.id).toBe(first.body.id);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(jobs.body.items.filter((j) => j.id === first.body.id)).toHaveLength(1);
    expect(object).toBe('NoSuchKey');
  });

  it('imports an upload once when its start is sent several times at once', {
    timeout: 120_000,
  }, async () => {
    // Prepare: a file of three chunks, so the first start is still writing when the others arrive
    const s = uniqueSuffix();
    const rows = Array.from({ length: 250 }, (_, i) => `并发${s}-${i},137${String(i).padStart(8, '0')}`);
    const uploadId = await uploadCsv(demo.managerA, demo.storeA, ['name,phone', ...rows].join('\n'));
    // Act
    const starts = await Promise.all(
      Array.from({ length: 4 }, () =>
        call<Job & { code?: string }>(demo.managerA, 'POST', base(), {
          body: { fileName: 'c.csv', uploadId },
        }),
      ),
    );
    const started = starts.filter((r) => r.status === 202);
    const jobId = started[0]?.body.id ?? '';
    const job = await eventually(async () => {
      const j = await call<Job>(demo.managerA, 'GET', `${base()}/${jobId}`);
      return j.body.status?.startsWith('completed') ? j.body : undefined;
    }, 90_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await call<Job>(demo.managerA, 'GET', `${base()}/${jobId}`);
    // Assess: every answer is the one job (or "being started, ask again"); its rows count once
    for (const r of starts) expect([202, 409], r.text).toContain(r.status);
    for (const r of starts.filter((x) => x.status === 409)) expect(r.body.code).toBe('CONCURRENT_UPDATE');
    expect(new Set(started.map((r) => r.body.id))).toEqual(new Set([jobId]));
    expect(job).toMatchObject({
      status: 'completed',
      chunks: 3,
      chunksDone: 3,
      created: 250,
      processedRows: 250,
    });
    expect(after.body).toMatchObject({ chunksDone: 3, created: 250, processedRows: 250 });
  });

  it('refuses a start while another start of the same upload is still writing, and writes nothing', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the first start has claimed the upload and is writing its chunks (its claim, no job yet)
    const { uploadId, importId, table } = await claimedUpload(new Date());
    // Act
    const second = await call<{ code: string }>(demo.managerA, 'POST', base(), {
      body: { fileName: 'a.csv', uploadId },
    });
    const items = await table.query({ partition: ['IMPORT', importId] });
    // Assess: "ask again in a moment", and no chunk or event of a second writer
    expect(second.status, second.text).toBe(409);
    expect(second.body.code).toBe('CONCURRENT_UPDATE');
    expect(items.items.map((i) => i.sk)).toEqual(['#CLAIM']);
  });

  it('lets a new start take over the claim of a start that died before writing its job', {
    timeout: 90_000,
  }, async () => {
    // Prepare: a claim from three minutes ago, no job (its request timed out long since)
    const { uploadId, importId, table } = await claimedUpload(new Date(Date.now() - 3 * 60_000));
    // Act
    const started = await call<Job>(demo.managerA, 'POST', base(), { body: { fileName: 'a.csv', uploadId } });
    const job = await eventually(async () => {
      const j = await call<Job>(demo.managerA, 'GET', `${base()}/${importId}`);
      return j.body.status?.startsWith('completed') ? j.body : undefined;
    }, 60_000);
    // Assess
    expect(started.status, started.text).toBe(202);
    expect(started.body.id).toBe(importId);
    expect(job).toMatchObject({ chunks: 1, chunksDone: 1, processedRows: 1 });
    // The claim went with the job's write: nothing of the start is left over.
    const claims = await table.query({ partition: ['IMPORT', importId], sk: { equals: '#CLAIM' } });
    expect(claims.items).toEqual([]);
  });
});
