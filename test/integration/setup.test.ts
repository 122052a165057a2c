import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/** Store set-up (门店设置) through the API: versioned saves, the op-code guard, who may change what. */
const base = `/v1/stores/${demo.storeA}/setup`;

describe('store set-up', () => {
  it('saves the whole set-up on the version read, refuses a stale one, and audits the change', async () => {
    // Prepare
    const read = await call<Record<string, unknown>>(demo.managerA, 'GET', base);
    const { storeId: _s, version: _v, updatedAt: _u, ...fields } = read.body;
    const bays = [
      ...(fields.bays as object[]),
      { id: `T${uniqueSuffix().slice(-5)}`, name: '测试工位', type: 'ev' },
    ];
    // Act
    const saved = await call<{ version: number }>(demo.managerA, 'PUT', base, {
      body: { ...fields, bays },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    const stale = await call(demo.managerA, 'PUT', base, {
      body: fields,
      headers: { 'if-match': read.headers.get('etag')! },
    });
    const history = await call<{ items: { changes: { field: string }[] }[] }>(
      demo.managerA,
      'GET',
      `${base}/history`,
    );
    const byAdvisor = await call(demo.advisorA, 'PUT', base, {
      body: fields,
      headers: { 'if-match': '"1"' },
    });
    // Assess
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.version).toBe(Number(read.body.version) + 1);
    expect(stale.status).toBe(409);
    expect(history.body.items[0]?.changes.map((c) => c.field)).toEqual(['bays']);
    expect(byAdvisor.status).toBe(403);
  });

  it('keeps op codes unique whatever their case, and lets advisors read the catalogue only', async () => {
    // Prepare
    const code = `T-${uniqueSuffix().slice(-6)}`;
    const op = {
      code,
      name: { zh: '测试工时' },
      hours: 0.7,
      skill: 'general',
      level: 'junior',
      bayType: 'general',
    };
    // Act
    const created = await call<{ id: string }>(demo.managerA, 'POST', `${base}/labour-ops`, { body: op });
    const again = await call<{ code: string }>(demo.managerA, 'POST', `${base}/labour-ops`, {
      body: { ...op, code: code.toLowerCase() },
    });
    const listed = await call<{ items: { id: string }[] }>(
      demo.advisorA,
      'GET',
      `${base}/labour-ops?code=${code}`,
    );
    const advisorCreate = await call(demo.advisorA, 'POST', `${base}/labour-ops`, {
      body: { ...op, code: `${code}X` },
    });
    // Assess
    expect(created.status, created.text).toBe(201);
    expect([again.status, again.body.code]).toEqual([409, 'LABOUR_OP_CODE_EXISTS']);
    expect(listed.body.items.map((i) => i.id)).toEqual([created.body.id]);
    expect(advisorCreate.status).toBe(403);
  });

  it('edits a checklist template section by section, refuses an empty section by field, and keeps a deactivated one', async () => {
    // Prepare
    const name = { zh: `测试预检表${uniqueSuffix()}` };
    const sections = [{ title: { zh: '外观' }, items: [{ label: { zh: '漆面划痕' }, kind: 'condition' }] }];
    const created = await call<{ id: string }>(demo.managerA, 'POST', `${base}/checklist-templates`, {
      body: { name, sections },
    });
    const path = `${base}/checklist-templates/${created.body.id}`;
    // Act
    const edited = await call<{ sections: { items: unknown[] }[] }>(demo.managerA, 'PATCH', path, {
      body: {
        sections: [
          ...sections,
          { title: { zh: '轮胎', en: 'Tyres' }, items: [{ label: { zh: '胎纹深度' }, kind: 'text' }] },
        ],
      },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    const empty = await call<{ fieldErrors: { path: string }[] }>(demo.managerA, 'PATCH', path, {
      body: { sections: [{ title: { zh: '空' }, items: [] }] },
      headers: { 'if-match': edited.headers.get('etag')! },
    });
    const retired = await call<{ active: boolean }>(demo.managerA, 'PATCH', path, {
      body: { active: false },
      headers: { 'if-match': edited.headers.get('etag')! },
    });
    const byAdvisor = await call(demo.advisorA, 'PATCH', path, {
      body: { active: true },
      headers: { 'if-match': retired.headers.get('etag')! },
    });
    const read = await call<{ active: boolean; sections: unknown[] }>(demo.advisorA, 'GET', path);
    // Assess
    expect(created.status, created.text).toBe(201);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.sections).toHaveLength(2);
    expect(empty.status).toBe(400);
    expect(empty.body.fieldErrors.map((e) => e.path)).toEqual(['sections.0.items']);
    expect(retired.body.active).toBe(false);
    expect(byAdvisor.status).toBe(403);
    expect([read.body.active, read.body.sections.length]).toEqual([false, 2]);
  });
});
