import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';

/**
 * 环车检查 through the API: the checklist answered on the store's template, valuables noted, and photos
 * uploaded straight to S3, sealed with the server's SHA-256 and time, found altered when replaced.
 */
beforeAll(() => useStackEnv());

const stores = `/v1/stores/${demo.storeA}`;
type Problem = { code: string; fieldErrors?: { path: string; code: string }[] };
interface Sealed {
  photoId: string;
  sha256: string;
  bytes: number;
  contentType: string;
  sealedAt: string;
}
interface Upload {
  photoId: string;
  url: string;
  method: string;
  headers: Record<string, string>;
}
interface WalkAround {
  version: number;
  answers: unknown[];
  valuables: string[];
  photos: Sealed[];
  template?: { id: string };
}

/** A fake JPEG: what matters to the seal is its bytes, not that it decodes. */
const jpeg = (text: string) => new TextEncoder().encode(`\xff\xd8\xff\xe0${text}`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A walk-in repair order of store A, and a template of two sections. */
async function prepare(): Promise<{ roId: string; templateId: string }> {
  const s = uniqueSuffix();
  const customer = await call<{ id: string }>(demo.advisorA, 'POST', `${stores}/customers`, {
    body: { name: `环检${s}`, phones: [{ number: `137${s.slice(-8).padStart(8, '0')}` }] },
  });
  const vehicle = await call<{ id: string }>(demo.advisorA, 'POST', `${stores}/vehicles`, {
    body: {
      vin: validVin(),
      plate: `京W${s.slice(-5)}`,
      brand: 'Audi',
      model: 'Q5L',
      ownerCustomerId: customer.body.id,
    },
  });
  const ro = await call<{ id: string }>(demo.advisorA, 'POST', `${stores}/repair-orders`, {
    body: {
      source: { kind: 'walk_in' },
      customerId: customer.body.id,
      vehicleId: vehicle.body.id,
      odometerKm: 30_000,
      fuelLevel: 5,
      promisedAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
      concerns: [{ words: '保养' }],
    },
  });
  const template = await call<{ id: string }>(demo.managerA, 'POST', `${stores}/setup/checklist-templates`, {
    body: {
      name: { zh: `环检表${s}` },
      sections: [
        {
          title: { zh: '外观' },
          items: [
            { label: { zh: '漆面' }, kind: 'condition' },
            { label: { zh: '左前门照片' }, kind: 'photo' },
          ],
        },
        {
          title: { zh: '内饰' },
          items: [
            { label: { zh: '故障灯' }, kind: 'check' },
            { label: { zh: '备注' }, kind: 'text' },
          ],
        },
      ],
    },
  });
  expect([customer.status, vehicle.status, ro.status, template.status]).toEqual([201, 201, 201, 201]);
  return { roId: ro.body.id, templateId: template.body.id };
}

/** The tablet's side: an upload URL, the bytes to S3, the seal. */
async function uploadAndSeal(roId: string, bytes: Uint8Array<ArrayBuffer>, caption?: string) {
  const upload = await call<Upload>(demo.advisorA, 'POST', `${stores}/repair-orders/${roId}/photos`, {
    body: { contentType: 'image/jpeg', bytes: bytes.byteLength },
  });
  expect(upload.status, upload.text).toBe(200);
  const put = await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: bytes });
  expect(put.status).toBe(200);
  const seal = await call<Sealed>(
    demo.advisorA,
    'POST',
    `${stores}/repair-orders/${roId}/photos/${upload.body.photoId}/seal`,
    { body: caption ? { caption, itemRef: { section: 0, item: 1 } } : {} },
  );
  return { upload: upload.body, seal };
}

describe('the walk-around inspection', () => {
  it('records the answers and valuables on the template, and refuses answers that do not fit it', async () => {
    // Prepare
    const { roId, templateId } = await prepare();
    const path = `${stores}/repair-orders/${roId}/walk-around`;
    const answers = [
      { section: 0, item: 0, kind: 'condition', condition: 'attention', note: '左前门划痕' },
      { section: 1, item: 0, kind: 'check', checked: true },
      { section: 1, item: 1, kind: 'text', text: '客户要求洗车' },
    ];
    // Act
    const before = await call<WalkAround>(demo.technicianA, 'GET', path);
    const saved = await call<WalkAround>(demo.advisorA, 'PUT', path, {
      body: { templateId, answers, valuables: ['行车记录仪', '太阳镜'] },
      headers: { 'if-match': before.headers.get('etag')! },
    });
    const stale = await call<Problem>(demo.advisorA, 'PUT', path, {
      body: { templateId, answers: [] },
      headers: { 'if-match': before.headers.get('etag')! },
    });
    const wrong = await call<Problem>(demo.advisorA, 'PUT', path, {
      body: {
        templateId,
        answers: [
          { section: 0, item: 0, kind: 'check', checked: true },
          { section: 5, item: 0, kind: 'text', text: '?' },
        ],
      },
      headers: { 'if-match': saved.headers.get('etag')! },
    });
    const noTemplate = await call<Problem>(demo.advisorA, 'PUT', path, {
      body: { templateId: 'chk_nope', answers: [] },
      headers: { 'if-match': saved.headers.get('etag')! },
    });
    const byTechnician = await call(demo.technicianA, 'PUT', path, {
      body: { templateId, answers: [] },
      headers: { 'if-match': saved.headers.get('etag')! },
    });
    const read = await call<WalkAround>(demo.technicianA, 'GET', path);
    // Assess
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ version: 0, answers: [], photos: [] });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    expect(read.body).toMatchObject({
      version: 1,
      answers,
      valuables: ['行车记录仪', '太阳镜'],
      template: { id: templateId },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect(wrong.status).toBe(400);
    expect(wrong.body.fieldErrors).toEqual([
      expect.objectContaining({ path: 'answers.0.kind', code: 'ANSWER_KIND_MISMATCH' }),
      expect.objectContaining({ path: 'answers.1', code: 'CHECKLIST_ITEM_NOT_FOUND' }),
    ]);
    expect(noTemplate.status).toBe(400);
    expect(noTemplate.body.fieldErrors?.[0]).toMatchObject({
      path: 'templateId',
      code: 'CHECKLIST_TEMPLATE_NOT_FOUND',
    });
    expect(byTechnician.status).toBe(403);
  });

  it('seals an uploaded photo with its hash and the server’s time, once, and shows it intact', async () => {
    // Prepare
    const { roId } = await prepare();
    const bytes = jpeg(`左前门-${uniqueSuffix()}`);
    const before = Date.now();
    // Act
    const { upload, seal } = await uploadAndSeal(roId, bytes, '左前门凹陷');
    const again = await call<Sealed>(
      demo.advisorA,
      'POST',
      `${stores}/repair-orders/${roId}/photos/${upload.photoId}/seal`,
      { body: {} },
    );
    const view = await call<{ intact: boolean; url: string; photo: Sealed }>(
      demo.technicianA,
      'GET',
      `${stores}/repair-orders/${roId}/photos/${upload.photoId}`,
    );
    const shown = await fetch(view.body.url);
    const walkAround = await call<WalkAround>(
      demo.advisorA,
      'GET',
      `${stores}/repair-orders/${roId}/walk-around`,
    );
    // Assess
    expect(upload.url).toContain(`/photos/${demo.storeA}/${roId}/${upload.photoId}`);
    expect(seal.status, seal.text).toBe(200);
    expect(seal.body).toMatchObject({
      sha256: sha256(bytes),
      bytes: bytes.byteLength,
      contentType: 'image/jpeg',
    });
    expect(Date.parse(seal.body.sealedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(seal.body);
    expect(view.status).toBe(200);
    expect(view.body.intact).toBe(true);
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(bytes);
    expect(walkAround.body.photos).toEqual([
      expect.objectContaining({ photoId: upload.photoId, caption: '左前门凹陷' }),
    ]);
  });

  it('finds a photo replaced in S3 after its seal altered', async () => {
    // Prepare
    const { roId } = await prepare();
    const { upload } = await uploadAndSeal(roId, jpeg(`原图-${uniqueSuffix()}`));
    const key = `photos/${demo.storeA}/${roId}/${upload.photoId}`;
    // Act: a tamperer with bucket access puts another picture under the same key
    await new S3Client({ forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: stack.uploadBucket,
        Key: key,
        Body: jpeg('修改过的图'),
        ContentType: 'image/jpeg',
      }),
    );
    const view = await call<{ intact: boolean }>(
      demo.advisorA,
      'GET',
      `${stores}/repair-orders/${roId}/photos/${upload.photoId}`,
    );
    // Assess
    expect(view.status).toBe(200);
    expect(view.body.intact).toBe(false);
  });

  it('lets S3 refuse a body of another size or type than signed, and refuses to seal what is not uploaded', async () => {
    // Prepare
    const { roId } = await prepare();
    const bytes = jpeg('declared');
    const upload = await call<Upload>(demo.advisorA, 'POST', `${stores}/repair-orders/${roId}/photos`, {
      body: { contentType: 'image/jpeg', bytes: bytes.byteLength },
    });
    const tooBig = await call<Problem>(demo.advisorA, 'POST', `${stores}/repair-orders/${roId}/photos`, {
      body: { contentType: 'image/jpeg', bytes: 10 * 1024 * 1024 + 1 },
    });
    const gif = await call<Problem>(demo.advisorA, 'POST', `${stores}/repair-orders/${roId}/photos`, {
      body: { contentType: 'image/gif', bytes: 100 },
    });
    // Act
    const longer = await fetch(upload.body.url, {
      method: 'PUT',
      headers: upload.body.headers,
      body: jpeg('declared and more'),
    });
    const otherType = await fetch(upload.body.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: bytes,
    });
    const notUploaded = await call<Problem>(
      demo.advisorA,
      'POST',
      `${stores}/repair-orders/${roId}/photos/${upload.body.photoId}/seal`,
      { body: {} },
    );
    const unsealed = await call<Problem>(
      demo.advisorA,
      'GET',
      `${stores}/repair-orders/${roId}/photos/${upload.body.photoId}`,
    );
    // Assess
    expect(tooBig.status).toBe(400);
    expect(gif.status).toBe(400);
    expect(longer.status).toBe(403);
    expect(otherType.status).toBe(403);
    expect(notUploaded.status).toBe(409);
    expect(notUploaded.body.code).toBe('PHOTO_NOT_UPLOADED');
    expect(unsealed.status).toBe(404);
    expect(unsealed.body.code).toBe('PHOTO_NOT_FOUND');
  });

  it('finds no repair order of another store', async () => {
    // Prepare
    const { roId } = await prepare();
    const other = `/v1/stores/${demo.storeB}/repair-orders/${roId}`;
    // Act
    const read = await call<Problem>(demo.advisorB, 'GET', `${other}/walk-around`);
    const upload = await call<Problem>(demo.advisorB, 'POST', `${other}/photos`, {
      body: { contentType: 'image/jpeg', bytes: 10 },
    });
    // Assess
    expect([read.status, upload.status]).toEqual([404, 404]);
    expect([read.body.code, upload.body.code]).toEqual(['REPAIR_ORDER_NOT_FOUND', 'REPAIR_ORDER_NOT_FOUND']);
  });

  it('comes filled in on the demo repair orders', async () => {
    // Prepare
    const board = await call<{ items: { id: string }[] }>(
      demo.advisorB,
      'GET',
      `/v1/stores/${demo.storeB}/repair-orders?limit=100`,
    );
    // Act
    const inspections = await Promise.all(
      board.body.items.map((ro) =>
        call<WalkAround>(
          demo.advisorB,
          'GET',
          `/v1/stores/${demo.storeB}/repair-orders/${ro.id}/walk-around`,
        ),
      ),
    );
    // Assess
    const filled = inspections.filter((w) => w.body.template && w.body.answers.length > 0);
    expect(filled.length).toBeGreaterThan(0);
    expect(filled.some((w) => w.body.valuables.length > 0)).toBe(true);
  });
});
