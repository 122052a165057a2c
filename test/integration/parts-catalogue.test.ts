import type { Schemas } from '@aftersales/api-client';
import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import { demoUserFor } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, uploadCsv, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

type Part = Schemas['Part'];
type Job = Schemas['ImportJob'];
const base = () => `/v1/stores/${demo.storeA}/parts`;
const IMPORTS = 'part-imports';
const partsManager = demoUserFor('parts_manager', demo.storeA).username;
const partsClerk = demoUserFor('parts_clerk', demo.storeA).username;

beforeAll(() => useStackEnv());

const yuan = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });

function partInput(partNumber: string) {
  return {
    partNumber,
    name: { zh: '机油滤清器', en: 'Oil filter' },
    brand: 'Audi',
    models: ['A6L'],
    unit: 'piece',
    listPrice: yuan(12_000),
    cost: yuan(8_000),
    minStock: 2,
    maxStock: 10,
    defaultBin: 'a-03-2-05',
  };
}

async function createPart(partNumber: string, user = partsManager) {
  return call<Part>(user, 'POST', base(), {
    body: partInput(partNumber),
    headers: { 'idempotency-key': `create-${partNumber.replace(/\W/g, '')}` },
  });
}

/** Upload, start, and wait for the consumer to finish (stream → router → queue → consumer). */
async function runImport(csv: string): Promise<Job> {
  const uploadId = await uploadCsv(partsManager, demo.storeA, csv, IMPORTS);
  const started = await call<Job>(partsManager, 'POST', `/v1/stores/${demo.storeA}/${IMPORTS}`, {
    body: { fileName: 'parts.csv', uploadId },
  });
  expect(started.status, started.text).toBe(202);
  return eventually(async () => {
    const job = await call<Job>(
      partsManager,
      'GET',
      `/v1/stores/${demo.storeA}/${IMPORTS}/${started.body.id}`,
    );
    return job.body.status.startsWith('completed') ? job.body : undefined;
  }, 60_000);
}

async function catalogue(prefix: string) {
  const res = await call<Schemas['CataloguePage']>(
    demo.advisorA,
    'GET',
    `${base()}?number=${prefix}&limit=50`,
  );
  expect(res.status, res.text).toBe(200);
  return res.body.items;
}

describe('parts catalogue (配件目录)', () => {
  it('creates a part, lists it by number prefix with its book, and reads it with its bins', async () => {
    // Prepare
    const p = `PC${uniqueSuffix().slice(-6)}`;

    // Act
    const created = await createPart(`${p.toLowerCase()} 001`);
    const replayed = await createPart(`${p.toLowerCase()} 001`);
    const duplicate = await call(partsManager, 'POST', base(), {
      body: partInput(`${p}001`),
      headers: { 'idempotency-key': `other-${p}` },
    });
    const listed = await catalogue(p.toLowerCase());
    const read = await call<Schemas['PartDetail']>(demo.advisorA, 'GET', `${base()}/${created.body.id}`);

    // Assess: the number normalised, the bin upper-cased, an empty book
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      partNumber: `${p}001`,
      defaultBin: 'A-03-2-05',
      version: 1,
      active: true,
    });
    expect(replayed.body.id).toBe(created.body.id);
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toContain('PART_NUMBER_EXISTS');
    expect(listed.map((x) => x.partNumber)).toEqual([`${p}001`]);
    expect(listed[0]!.stock).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toMatchObject({ id: created.body.id, bins: [], stock: { onHand: 0 } });
  });

  it('edits exactly the fields named, refuses a stale version and contradictory levels', async () => {
    // Prepare
    const p = `PE${uniqueSuffix().slice(-6)}`;
    const { body: part } = await createPart(p);
    const url = `${base()}/${part.id}`;

    // Act
    const edited = await call<Part>(partsClerk, 'PATCH', url, {
      body: { listPrice: yuan(13_500), defaultBin: null },
      headers: { 'if-match': '"1"' },
    });
    const stale = await call(partsClerk, 'PATCH', url, {
      body: { minStock: 1 },
      headers: { 'if-match': '"1"' },
    });
    const levels = await call(partsClerk, 'PATCH', url, {
      body: { minStock: 20 },
      headers: { 'if-match': '"2"' },
    });
    const partNumber = await call(partsClerk, 'PATCH', url, {
      body: { partNumber: 'X1' },
      headers: { 'if-match': '"2"' },
    });
    const history = await call<Schemas['AuditPage']>(demo.advisorA, 'GET', `${url}/history`);

    // Assess
    expect(edited.status, edited.text).toBe(200);
    const { version: _v, updatedAt: _u, listPrice: _l, defaultBin: _d, ...untouched } = part;
    expect(edited.body).toMatchObject({ ...untouched, version: 2, listPrice: yuan(13_500) });
    expect(edited.body.defaultBin).toBeUndefined();
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('VERSION_CONFLICT');
    expect(levels.status).toBe(409);
    expect(levels.text).toContain('STOCK_LEVELS_INVALID');
    expect(partNumber.status).toBe(400);
    expect(history.body.items[0]!.changes.map((c) => c.field).sort()).toEqual(['defaultBin', 'listPrice']);
  });

  it('answers 400 with field errors for bad input', async () => {
    // Act
    const res = await call<{ fieldErrors: { path: string }[] }>(partsManager, 'POST', base(), {
      body: {
        ...partInput('bad number!'),
        maxStock: 1,
        minStock: 5,
        defaultBin: 'shelf 3',
        listPrice: yuan(-1),
      },
      headers: { 'idempotency-key': `bad-${uniqueSuffix()}` },
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors.map((e) => e.path).sort()).toEqual(
      expect.arrayContaining(['defaultBin', 'listPrice.amountMinor', 'partNumber']),
    );
  });

  it('lists a part’s ledger (卡片帐) newest first, with who, the document and the bin', async () => {
    // Prepare: two receipts posted on the ledger (the stock screens post them through the API)
    const { body: part } = await createPart(`PL${uniqueSuffix().slice(-6)}`);
    const data = new DataAccess({ tableName: stack.tableName });
    const t = data.forTenant({
      tenantId: demo.storeA,
      actor: { userId: 'keeper', name: 'Keeper', roles: ['warehouse_keeper'] },
    });
    const stored = await t.repo(Parts).require(part.id);
    for (const quantity of [3, 4])
      await t.repo(StockLedger).move(stored, {
        kind: 'receive',
        bin: 'A-01-1-01',
        quantity,
        document: { type: 'receipt', id: `rcv_${quantity}` },
      });

    // Act
    const first = await call<Schemas['StockMovementPage']>(
      demo.advisorA,
      'GET',
      `${base()}/${part.id}/movements?limit=1`,
    );
    const second = await call<Schemas['StockMovementPage']>(
      demo.advisorA,
      'GET',
      `${base()}/${part.id}/movements?limit=1&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    const detail = await call<Schemas['PartDetail']>(demo.advisorA, 'GET', `${base()}/${part.id}`);
    const missing = await call(demo.advisorA, 'GET', `${base()}/prt_01JD0000000000000000000000/movements`);

    // Assess
    expect(first.body.items[0]).toMatchObject({
      kind: 'receive',
      quantity: 4,
      bin: 'A-01-1-01',
      by: { name: 'Keeper' },
    });
    expect(second.body.items[0]).toMatchObject({ quantity: 3, document: { type: 'receipt', id: 'rcv_3' } });
    expect(detail.body.stock).toMatchObject({ onHand: 7, available: 7 });
    expect(detail.body.bins).toEqual([expect.objectContaining({ bin: 'A-01-1-01', onHand: 7 })]);
    expect(missing.status).toBe(404);
  });

  it('lets the service floor read the catalogue but not change it', async () => {
    // Prepare
    const { body: part } = await createPart(`PR${uniqueSuffix().slice(-6)}`);

    // Act
    const advisorRead = await call(demo.advisorA, 'GET', `${base()}/${part.id}`);
    const advisorCreate = await call(demo.advisorA, 'POST', base(), {
      body: partInput(`PX${uniqueSuffix().slice(-6)}`),
      headers: { 'idempotency-key': `adv-${uniqueSuffix()}` },
    });
    const advisorEdit = await call(demo.advisorA, 'PATCH', `${base()}/${part.id}`, {
      body: { minStock: 1 },
      headers: { 'if-match': '"1"' },
    });
    const technicianRead = await call(demo.technicianA, 'GET', base());
    const otherStore = await call(demo.advisorB, 'GET', `/v1/stores/${demo.storeB}/parts/${part.id}`);

    // Assess: technicians see parts on their repair orders, not the catalogue (part:read)
    expect(advisorRead.status).toBe(200);
    expect(advisorCreate.status).toBe(403);
    expect(advisorEdit.status).toBe(403);
    expect(technicianRead.status).toBe(403);
    expect(otherStore.status).toBe(404);
  });
});

describe('parts catalogue import (配件目录导入)', () => {
  it('creates new numbers, updates known ones whatever their spacing, and reports bad rows', {
    timeout: 180_000,
  }, async () => {
    // Prepare: a part already in the catalogue, a price list with Chinese headers
    const p = `PI${uniqueSuffix().slice(-6)}`;
    const { body: known } = await createPart(`${p}01`);
    const csv = [
      '零件号,配件名称,英文名称,品牌,适用车型,单位,销售价,进价,最低库存,最高库存,替代件号,默认货位',
      `${p.toLowerCase()} 01,机油滤清器,,Audi,,个,¥135.00,80,,,,`,
      `${p}02,前刹车片,Front brake pads,Audi,A6L；Q5L,套,"1,280.50",900,1,4,${p}00,b-01-2-03`,
      `${p}03,火花塞,,Audi,,瓶,12.345,5,,,,`,
      `${p}04,,,Audi,,盘,10,5,,,,shelf`,
      `${p}05,空气滤清器,,Audi,,,10,5,5,1,,`,
    ].join('\n');

    // Act
    const job = await runImport(csv);
    const errors = await call<Schemas['ImportRowErrorPage']>(
      partsManager,
      'GET',
      `/v1/stores/${demo.storeA}/${IMPORTS}/${job.id}/errors`,
    );
    const listed = await catalogue(p);

    // Assess
    expect(job).toMatchObject({
      kind: 'parts',
      status: 'completed_with_errors',
      totalRows: 5,
      created: 1,
      updated: 1,
      failed: 3,
    });
    const byRow = Object.fromEntries(
      errors.body.items.map((e) => [e.row, e.errors.map((f) => f.path).sort()]),
    );
    expect(byRow).toEqual({ 4: ['listPrice'], 5: ['defaultBin', 'nameZh', 'unit'], 6: ['maxStock'] });
    expect(listed.map((x) => x.partNumber)).toEqual([`${p}01`, `${p}02`]);
    // Cells left empty keep the catalogue's values (English name, models, levels, bin)
    expect(listed[0]).toMatchObject({
      id: known.id,
      listPrice: yuan(13_500),
      name: { zh: '机油滤清器', en: 'Oil filter' },
      models: ['A6L'],
      minStock: 2,
      defaultBin: 'A-03-2-05',
      version: 2,
    });
    expect(listed[1]).toMatchObject({
      unit: 'set',
      models: ['A6L', 'Q5L'],
      listPrice: yuan(128_050),
      cost: yuan(90_000),
      supersedes: `${p}00`,
      defaultBin: 'B-01-2-03',
      stock: { onHand: 0 },
    });
  });

  it('keeps the import to those who manage the catalogue', async () => {
    // Act
    const res = await call(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/${IMPORTS}/uploads`, {
      body: { size: 10 },
    });

    // Assess
    expect(res.status).toBe(403);
  });
});
