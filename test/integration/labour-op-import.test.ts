import { readFileSync } from 'node:fs';
import type { Schemas } from '@aftersales/api-client';
import { MAX_XLSX_UNZIPPED_BYTES, XLSX_CONTENT_TYPE } from '@aftersales/domain';
import { csvToXlsx, demoUserFor } from '@aftersales/seed';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, uploadCsv, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

type Job = Schemas['ImportJob'];
type Op = Schemas['LabourOp'];
const IMPORTS = 'setup/labour-op-imports';
const base = () => `/v1/stores/${demo.storeA}/${IMPORTS}`;
const techDirector = demoUserFor('technical_director', demo.storeA).username;

/** A CSV as text, or a workbook as bytes (sent as .xlsx). */
async function startImport(file: string | Uint8Array, user: string) {
  const xlsx = typeof file !== 'string';
  const uploadId = await uploadCsv(user, demo.storeA, file, IMPORTS, xlsx ? XLSX_CONTENT_TYPE : undefined);
  const fileName = xlsx ? 'labour-times.xlsx' : 'labour-times.csv';
  return call<Job>(user, 'POST', base(), { body: { fileName, uploadId } });
}

/** Upload, start, and wait for the consumer to finish (stream → router → queue → consumer). */
async function runImport(file: string | Uint8Array, user = demo.managerA): Promise<Job> {
  const started = await startImport(file, user);
  expect(started.status, started.text).toBe(202);
  return eventually(async () => {
    const job = await call<Job>(user, 'GET', `${base()}/${started.body.id}`);
    return job.body.status.startsWith('completed') ? job.body : undefined;
  }, 60_000);
}

async function opsWithPrefix(prefix: string): Promise<Op[]> {
  const res = await call<{ items: Op[] }>(
    demo.advisorA,
    'GET',
    `/v1/stores/${demo.storeA}/setup/labour-ops?code=${prefix}&limit=50`,
  );
  return res.body.items;
}

/** The first row of the guides below, as imported. */
const BRAKE_PADS = {
  name: { zh: '更换前刹车片', en: 'Front brake pads' },
  hours: 1.5,
  modelHours: [
    { model: 'A6L', hours: 1.8 },
    { model: 'Q5L', hours: 2 },
  ],
  skill: 'chassis',
};

beforeAll(() => useStackEnv());

describe('labour-operation catalogue import (工时目录导入)', () => {
  it('imports a guide with Chinese headers, and a re-import updates changed hours without duplicates', {
    timeout: 180_000,
  }, async () => {
    // Prepare: a code of this run's own, so reruns of the suite never meet it
    const p = `T${uniqueSuffix().slice(-6)}`;
    const header = '工时代码,工时名称,英文名称,标准工时,车型工时,技能,技师等级,工位类型';
    const rows = (brakeHours: string) => [
      header,
      `${p}-01,更换前刹车片,Front brake pads,${brakeHours},A6L:1.8；Q5L:2.0,底盘,中级,通用`,
      `${p}-02,四轮定位,Wheel alignment,1.0,,chassis,senior,四轮定位`,
      `${p}-03,保养,,0.8,,general,junior,general`,
    ];

    // Act
    const first = await runImport(rows('1.5').join('\n'));
    const afterFirst = await opsWithPrefix(p);
    // The same guide again, with one op's hours changed and its code in another case
    const second = await runImport(
      rows('1.6').join('\n').replace(`${p}-01`, `${p}-01`.toLowerCase()),
      techDirector,
    );
    const afterSecond = await opsWithPrefix(p);

    // Assess
    expect(first).toMatchObject({
      kind: 'labour-ops',
      status: 'completed',
      totalRows: 3,
      created: 3,
      failed: 0,
    });
    expect(afterFirst.map((o) => o.code)).toEqual([`${p}-01`, `${p}-02`, `${p}-03`]);
    expect(afterFirst[0]).toMatchObject({
      ...BRAKE_PADS,
      level: 'mid',
      bayType: 'general',
      active: true,
    });
    expect(afterFirst[1]).toMatchObject({ bayType: 'alignment', level: 'senior' });
    expect(second).toMatchObject({ status: 'completed', created: 0, updated: 1, unchanged: 2, failed: 0 });
    expect(afterSecond).toHaveLength(3);
    expect(afterSecond[0]).toMatchObject({ code: `${p}-01`, hours: 1.6, version: 2 });
  });

  it('reports bad rows with their field errors and imports the good ones', { timeout: 120_000 }, async () => {
    // Prepare
    const p = `B${uniqueSuffix().slice(-6)}`;
    const csv = [
      'Op code,Name zh,Hours,Skill,Level,Bay type',
      `${p}-01,更换机油,0.5,engine,junior,general`,
      `${p}-02,更换空滤,0.25,engine,junior,general`,
      `${p}-03,,1.0,magic,junior,general`,
      `bad code!,更换雨刮,0.2,general,junior,general`,
    ].join('\n');

    // Act
    const job = await runImport(csv);
    const errors = await call<Schemas['ImportRowErrorPage']>(
      demo.managerA,
      'GET',
      `${base()}/${job.id}/errors`,
    );

    // Assess
    expect(job).toMatchObject({ status: 'completed_with_errors', created: 1, failed: 3 });
    const byRow = Object.fromEntries(errors.body.items.map((e) => [e.row, e.errors.map((f) => f.path)]));
    expect(byRow).toEqual({ 3: ['hours'], 4: ['nameZh', 'skill'], 5: ['code'] });
    expect(await opsWithPrefix(p)).toHaveLength(1);
  });

  it('imports the sample guide the README points to without a failed row', { timeout: 120_000 }, async () => {
    // Prepare: the repository's sample (its codes are fixed, so a rerun updates nothing)
    const csv = readFileSync(
      new URL('../../packages/seed/samples/labour-operations.csv', import.meta.url),
      'utf8',
    );

    // Act
    const job = await runImport(csv);

    // Assess
    expect(job).toMatchObject({ status: 'completed', totalRows: 16, failed: 0 });
    expect(job.created + job.updated + job.unchanged).toBe(16);
  });

  it('imports the same guide saved as an Excel workbook (.xlsx), with the same row report', {
    timeout: 180_000,
  }, async () => {
    // Prepare: the first test's guide as a workbook (hours are number cells), then the sample's file
    const p = `X${uniqueSuffix().slice(-6)}`;
    const guide = csvToXlsx(
      [
        '工时代码,工时名称,英文名称,标准工时,车型工时,技能,技师等级,工位类型',
        `${p}-01,更换前刹车片,Front brake pads,1.5,A6L:1.8；Q5L:2.0,底盘,中级,通用`,
        ',,,,,,,',
        `${p}-02,四轮定位,Wheel alignment,1.0,,chassis,senior,四轮定位`,
        `${p}-03,,,0.25,,magic,junior,general`,
      ].join('\n'),
    );
    const sample = readFileSync(
      new URL('../../packages/seed/samples/labour-operations.xlsx', import.meta.url),
    );

    // Act
    const job = await runImport(guide);
    const errors = await call<Schemas['ImportRowErrorPage']>(
      demo.managerA,
      'GET',
      `${base()}/${job.id}/errors`,
    );
    const imported = await opsWithPrefix(p);
    const sampleJob = await runImport(new Uint8Array(sample));

    // Assess: the empty row keeps its number, as in a CSV
    expect(job).toMatchObject({ fileName: 'labour-times.xlsx', totalRows: 3, created: 2, failed: 1 });
    const byRow = Object.fromEntries(errors.body.items.map((e) => [e.row, e.errors.map((f) => f.path)]));
    expect(byRow).toEqual({ 5: ['nameZh', 'hours', 'skill'] });
    expect(imported[0]).toMatchObject({ code: `${p}-01`, ...BRAKE_PADS });
    expect(imported[1]).toMatchObject({ code: `${p}-02`, hours: 1, bayType: 'alignment' });
    expect(sampleJob).toMatchObject({ status: 'completed', totalRows: 16, failed: 0 });
  });

  it('refuses a workbook that is not one, or unzips past the limit, with a clear file error', {
    timeout: 60_000,
  }, async () => {
    // Prepare: CSV text declared as a workbook, and a zip bomb (blanks a thousandfold compressed)
    const notXlsx = new TextEncoder().encode('工时代码,工时名称\nX1,测试\n');
    const bomb = zipSync(
      { 'xl/worksheets/sheet1.xml': new Uint8Array(MAX_XLSX_UNZIPPED_BYTES + 1).fill(32) },
      { level: 9 },
    );

    // Act
    const [malformed, tooLarge] = await Promise.all([
      startImport(notXlsx, demo.managerA),
      startImport(bomb, demo.managerA),
    ]);

    // Assess
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('XLSX_MALFORMED');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('XLSX_TOO_LARGE');
  });

  it('refuses a file without the required columns, naming them', { timeout: 60_000 }, async () => {
    // Act
    const res = await startImport('工时代码,工时名称\nX1,测试\n', demo.managerA);

    // Assess
    expect(res.status).toBe(400);
    expect(res.text).toContain('CSV_COLUMNS');
    expect(res.text).toContain('hours (标准工时)');
  });

  it('answers 403 to an advisor on every operation, and keeps each kind’s jobs to its own routes', {
    timeout: 60_000,
  }, async () => {
    // Prepare: a catalogue import and a registry import
    const started = await startImport('工时代码\nX1\n', demo.managerA);
    const registry = await call<{ items: Job[] }>(demo.managerA, 'GET', `/v1/stores/${demo.storeA}/imports`);
    const ours = await call<{ items: Job[] }>(demo.managerA, 'GET', base());
    const registryJob = registry.body.items[0];

    // Act
    const advisor = await Promise.all([
      call(demo.advisorA, 'POST', `${base()}/uploads`, { body: { size: 10 } }),
      call(demo.advisorA, 'POST', base(), {
        body: { fileName: 'x.csv', uploadId: 'upl_01JD0000000000000000000000' },
      }),
      call(demo.advisorA, 'GET', base()),
      call(demo.advisorA, 'GET', `${base()}/${ours.body.items[0]?.id ?? 'imp_X'}`),
      call(demo.advisorA, 'GET', `${base()}/${ours.body.items[0]?.id ?? 'imp_X'}/errors`),
    ]);
    const crossKind = registryJob
      ? await call(demo.managerA, 'GET', `${base()}/${registryJob.id}`)
      : undefined;

    // Assess
    expect(started.status).toBe(400);
    expect(advisor.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(ours.body.items.every((j) => j.kind === 'labour-ops')).toBe(true);
    expect(registry.body.items.every((j) => j.kind === 'customers-vehicles')).toBe(true);
    if (crossKind) expect(crossKind.status).toBe(404);
  });
});
