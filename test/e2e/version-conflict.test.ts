import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { freshVin, openByUrl, signIn, useBrowser } from './browser-support.ts';

/**
 * A record changed by someone else while it is open in an edit form: the save is refused (409
 * VERSION_CONFLICT), the form says so, and reloading either keeps what the user typed on top of the
 * other change or discards it. The other person's change goes through the API, as another tab would.
 */

const inBrowser = useBrowser();
type Json = Record<string, unknown>;

/** A change to a record as another user makes it: read its version, send the patch with If-Match. */
async function changeMeanwhile(path: string, patch: Json): Promise<void> {
  const current = await call<Json>(demo.managerA, 'GET', path);
  expect(current.status, current.text).toBe(200);
  const changed = await call<Json>(demo.managerA, 'PATCH', path, {
    body: patch,
    headers: { 'if-match': current.headers.get('etag') ?? '' },
  });
  expect(changed.status, changed.text).toBe(200);
}

describe('an edit that meets a newer version of the record', () => {
  it('keeps the user’s unsaved input on top of the other change, and saves both', async () => {
    await inBrowser('conflict-keep', async (page) => {
      // Prepare: a customer, open in the edit form
      const s = uniqueSuffix();
      const name = `冲突测试${s}`;
      const created = await call<Json>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/customers`, {
        body: { name, phones: [{ number: `135${s.slice(-8).padStart(8, '0')}` }] },
      });
      expect(created.status, created.text).toBe(201);
      const path = `/v1/stores/${demo.storeA}/customers/${created.body.id}`;
      await signIn(page, demo.advisorA);
      await openByUrl(page, demo.storeA, `customers/${created.body.id}/edit`);
      const nameField = page.getByLabel('姓名');
      await expect.poll(() => nameField.inputValue()).toBe(name);

      // Act: the user types a note; meanwhile someone else renames the customer; the user saves
      await page.getByLabel('备注').fill('周六上午取车');
      await changeMeanwhile(path, { name: `${name}改` });
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByText('在您编辑期间，其他人修改了该客户。').waitFor();
      await page.getByRole('button', { name: '重新加载并保留我的修改' }).click();
      await expect.poll(() => nameField.inputValue()).toBe(`${name}改`);
      const noteKept = await page.getByLabel('备注').inputValue();
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByRole('heading', { name: `${name}改` }).waitFor();
      const saved = await call<Json>(demo.advisorA, 'GET', path);

      // Assess: the other change stands, the user's note was not lost
      expect(noteKept).toBe('周六上午取车');
      expect(saved.body.name).toBe(`${name}改`);
      expect(saved.body.notes).toBe('周六上午取车');
    });
  });

  it('discards the user’s input on request, showing the other change', async () => {
    await inBrowser('conflict-discard', async (page) => {
      // Prepare: a vehicle, open in the edit form
      const s = uniqueSuffix();
      const created = await call<Json>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/vehicles`, {
        body: { vin: freshVin(), plate: `京F${s.slice(-5)}`, brand: 'Audi', model: 'A4L' },
      });
      expect(created.status, created.text).toBe(201);
      const path = `/v1/stores/${demo.storeA}/vehicles/${created.body.id}`;
      await signIn(page, demo.advisorA);
      await openByUrl(page, demo.storeA, `vehicles/${created.body.id}/edit`);
      const model = page.getByLabel('车型');
      await expect.poll(() => model.inputValue()).toBe('A4L');

      // Act: the user changes the model; meanwhile someone else does too; the user saves, then discards
      await model.fill('A6L');
      await changeMeanwhile(path, { model: 'Q5L' });
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByText('在此期间其他人修改了该车辆。').waitFor();
      await page.getByRole('button', { name: '重新加载并放弃我的修改' }).click();
      await expect.poll(() => model.inputValue()).toBe('Q5L');
      const saved = await call<Json>(demo.advisorA, 'GET', path);

      // Assess
      expect(saved.body.model).toBe('Q5L');
      expect(await page.getByText('在此期间其他人修改了该车辆。').count()).toBe(0);
    });
  });
});
