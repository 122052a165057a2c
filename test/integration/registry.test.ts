import { SECURITY_HEADERS } from '@aftersales/api/security-headers';
import { checkVin, vinCheckDigit } from '@aftersales/domain';
import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo, uniqueSuffix, validVin } from '../support/demo.ts';

type Json = Record<string, unknown>;
const base = () => `/v1/stores/${demo.storeA}`;

async function newCustomer(user = demo.advisorA, overrides: Json = {}) {
  const s = uniqueSuffix();
  const res = await call<Json>(user, 'POST', `${base()}/customers`, {
    body: { name: `测试客户${s}`, phones: [{ number: `139${s.slice(-8).padStart(8, '0')}` }], ...overrides },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function newVehicle(ownerCustomerId: string, extra: Json = {}) {
  const vin = validVin();
  const plate = `京N${uniqueSuffix().slice(-5)}`;
  const res = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles`, {
    body: {
      vin,
      plate,
      brand: 'Audi',
      model: 'A4L',
      modelYear: 2022,
      ownerCustomerId,
      odometerKm: 12000,
      invoiceDate: '2022-03-01',
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('customers', () => {
  it('creates, reads with ETag, and edits with If-Match', async () => {
    // Prepare
    const created = await newCustomer();
    // Act
    const read = await call<Json>(demo.advisorA, 'GET', `${base()}/customers/${created.id}`);
    const edited = await call<Json>(demo.advisorA, 'PATCH', `${base()}/customers/${created.id}`, {
      body: { notes: '喜欢上午来店', preferredContactWindows: ['morning'] },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    // Assess
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      version: 2,
      notes: '喜欢上午来店',
      preferredContactWindows: ['morning'],
    });
  });

  it('clears an optional field sent as null, and refuses to clear a required one', async () => {
    // Prepare
    const c = await newCustomer(demo.advisorA, { email: 'clear.me@example.cn', notes: 'temporary' });
    const url = `${base()}/customers/${c.id}`;
    // Act
    const cleared = await call<Json>(demo.advisorA, 'PATCH', url, {
      body: { email: null, notes: null },
      headers: { 'if-match': '"1"' },
    });
    const required = await call<Json>(demo.advisorA, 'PATCH', url, {
      body: { name: null },
      headers: { 'if-match': '"2"' },
    });
    const after = await call<Json>(demo.advisorA, 'GET', url);
    // Assess
    expect(cleared.status).toBe(200);
    expect(after.body.email).toBeUndefined();
    expect(after.body.notes).toBeUndefined();
    expect(required.status).toBe(400);
    expect(after.body.version).toBe(2);
  });

  it('refuses a stale update with 409 and keeps the newer write', async () => {
    // Prepare
    const c = await newCustomer();
    const url = `${base()}/customers/${c.id}`;
    await call(demo.advisorA, 'PATCH', url, { body: { notes: 'first' }, headers: { 'if-match': '"1"' } });
    // Act
    const stale = await call<Json>(demo.advisorA, 'PATCH', url, {
      body: { notes: 'second' },
      headers: { 'if-match': '"1"' },
    });
    const missing = await call<Json>(demo.advisorA, 'PATCH', url, { body: { notes: 'third' } });
    const after = await call<Json>(demo.advisorA, 'GET', url);
    // Assess
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect(missing.status).toBe(428);
    expect(after.body).toMatchObject({ notes: 'first', version: 2 });
  });

  it('answers bad input with 400 and every field error, never 500', async () => {
    // Act
    const invalid = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: { name: '', phones: [{ number: 'x' }], email: 'no' },
    });
    const malformed = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    const noBody = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      headers: { 'content-type': 'application/json' },
    });
    const badCursor = await call<Json>(demo.advisorA, 'GET', `${base()}/customers?cursor=garbage`);
    // Assess
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    const paths = (invalid.body.fieldErrors as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'phones.0.number', 'email']));
    expect(malformed.status).toBe(400);
    expect(noBody.status).toBe(400);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('INVALID_CURSOR');
  });

  it('replays a retried create with the same Idempotency-Key instead of duplicating', async () => {
    // Prepare
    const key = `test-${uniqueSuffix()}`;
    const body = { name: `重试客户${key}`, phones: [{ number: '13700001111' }] };
    // Act
    const [a, b] = await Promise.all([
      call<Json>(demo.advisorA, 'POST', `${base()}/customers`, { body, headers: { 'idempotency-key': key } }),
      call<Json>(demo.advisorA, 'POST', `${base()}/customers`, { body, headers: { 'idempotency-key': key } }),
    ]);
    const reused = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: { ...body, name: 'Someone else' },
      headers: { 'idempotency-key': key },
    });
    const found = await call<{ items: Json[] }>(demo.advisorA, 'POST', `${base()}/customers/search`, {
      body: { name: body.name },
    });
    // Assess
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(found.body.items).toHaveLength(1);
  });

  it('finds customers by phone and by name prefix', async () => {
    // Prepare
    const s = uniqueSuffix();
    const c = await newCustomer(demo.advisorA, {
      name: `Zed${s} Carter`,
      phones: [{ number: `+86 136 ${s.slice(-8).padStart(8, '0')}` }],
    });
    // Act
    const byPhone = await call<{ items: Json[] }>(demo.advisorA, 'POST', `${base()}/customers/phone-search`, {
      body: { phone: `136${s.slice(-8).padStart(8, '0')}` },
    });
    const byName = await call<{ items: Json[] }>(demo.advisorA, 'POST', `${base()}/customers/search`, {
      body: { name: `zed${s}` },
    });
    // …and the old query parameters, which would put both in URLs (access logs)
    const inUrl = await call<Json>(demo.advisorA, 'GET', `${base()}/customers?name=zed${s}`);
    // Assess
    expect([byPhone.status, byName.status]).toEqual([200, 200]);
    expect(byPhone.body.items.map((x) => x.id)).toContain(c.id);
    expect(byName.body.items.map((x) => x.id)).toEqual([c.id]);
    expect(inUrl.status).toBe(400);
    expect(inUrl.body.code).toBe('VALIDATION_FAILED');
  });

  it('masks phone numbers for roles that do not contact customers, also in history', async () => {
    // Prepare
    const c = await newCustomer(demo.advisorA, {
      phones: [{ number: '13812345678' }, { number: '6552123', label: 'home' }],
      email: 'wang.fang@example.com',
      contactPerson: '王经理',
      notes: 'Prefers calls after 18:00 on 13900001111',
    });
    // Act
    const asTech = await call<Json>(demo.technicianA, 'GET', `${base()}/customers/${c.id}`);
    const asHq = await call<{ items: { changes: { field: string; to: unknown }[] }[] }>(
      demo.hqExecutive,
      'GET',
      `${base()}/customers/${c.id}/history`,
    );
    // Assess
    // At least half of every number hidden, whatever its length; no other contact detail at all.
    expect(asTech.body).toMatchObject({
      phonesMasked: true,
      phones: [{ number: '1******5678' }, { number: '****123' }],
    });
    for (const key of ['email', 'contactPerson', 'notes']) expect(asTech.body).not.toHaveProperty(key);
    for (const secret of ['13812345678', '655', 'wang.fang', '王经理', '13900001111'])
      expect(JSON.stringify(asHq.body)).not.toContain(secret);
    expect(asHq.body.items[0]!.changes.some((ch) => ch.field === 'phones')).toBe(true);
  });

  it('keeps technicians and HQ from editing store records', async () => {
    // Prepare
    const c = await newCustomer();
    // Act
    const techCreate = await call<Json>(demo.technicianA, 'POST', `${base()}/customers`, {
      body: { name: 'X', phones: [{ number: '13900001111' }] },
    });
    const hqEdit = await call<Json>(demo.hqExecutive, 'PATCH', `${base()}/customers/${c.id}`, {
      body: { notes: 'hq' },
      headers: { 'if-match': '"1"' },
    });
    const hqRead = await call<Json>(demo.hqExecutive, 'GET', `${base()}/customers/${c.id}`);
    // Assess
    expect(techCreate.status).toBe(403);
    expect(hqEdit.status).toBe(403);
    expect(hqRead.status).toBe(200);
  });

  it('records who changed what in the history', async () => {
    // Prepare
    const c = await newCustomer();
    await call(demo.advisorA, 'PATCH', `${base()}/customers/${c.id}`, {
      body: { email: 'li@example.cn' },
      headers: { 'if-match': '"1"' },
    });
    // Act
    const history = await call<{
      items: { action: string; actor: { userId: string }; changes: { field: string; to: unknown }[] }[];
    }>(demo.advisorA, 'GET', `${base()}/customers/${c.id}/history`);
    // Assess
    expect(history.body.items.map((e) => e.action)).toEqual(['update', 'create']);
    expect(history.body.items[0]!.changes).toEqual([{ field: 'email', to: 'li@example.cn' }]);
    expect(history.body.items[0]!.actor.userId).toBe(demo.advisorAId);
  });
});

describe('vehicles', () => {
  it('registers a vehicle with its owner and finds it by plate, full VIN, last 6 and from the owner', async () => {
    // Prepare
    const owner = await newCustomer();
    const v = await newVehicle(owner.id as string);
    // Act
    const byPlate = await call<{ items: Json[] }>(
      demo.advisorA,
      'GET',
      `${base()}/vehicles?plate=${encodeURIComponent(String(v.plate))}`,
    );
    const byVin = await call<{ items: Json[] }>(demo.advisorA, 'GET', `${base()}/vehicles?vin=${v.vin}`);
    const byVin6 = await call<{ items: Json[] }>(
      demo.advisorA,
      'GET',
      `${base()}/vehicles?vin=${String(v.vin).slice(-6).toLowerCase()}`,
    );
    const ownerDetail = await call<{ vehicles: { role: string; vehicle: Json }[] }>(
      demo.advisorA,
      'GET',
      `${base()}/customers/${owner.id}`,
    );
    const detail = await call<Json>(demo.advisorA, 'GET', `${base()}/vehicles/${v.id}`);
    // Assess
    expect(byPlate.body.items.map((x) => x.id)).toEqual([v.id]);
    expect(byPlate.body.items[0]).toMatchObject({ ownerName: owner.name });
    expect(byVin.body.items.map((x) => x.id)).toEqual([v.id]);
    expect(byVin6.body.items.map((x) => x.id)).toContain(v.id);
    expect(ownerDetail.body.vehicles).toEqual([
      expect.objectContaining({ role: 'owner', vehicle: expect.objectContaining({ id: v.id }) }),
    ]);
    expect(detail.body).toMatchObject({
      warrantyStart: '2022-03-01',
      lastOdometerKm: 12000,
      owner: { customerId: owner.id },
    });
    expect(detail.body.links).toEqual([expect.objectContaining({ role: 'owner', customerName: owner.name })]);
  });

  it('answers a duplicate VIN with 409 naming the existing vehicle', async () => {
    // Prepare
    const owner = await newCustomer();
    const v = await newVehicle(owner.id as string);
    // Act
    const dup = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles`, {
      body: { vin: v.vin, brand: 'Audi', model: 'Q5L' },
    });
    // Assess
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'VEHICLE_VIN_EXISTS', existingVehicleId: v.id });
  });

  it('replays a retried registration (same Idempotency-Key) instead of answering VIN exists', async () => {
    // Prepare
    const owner = await newCustomer();
    const body = { vin: validVin(), brand: 'Audi', model: 'Q3', ownerCustomerId: owner.id };
    const headers = { 'idempotency-key': `veh-${uniqueSuffix()}` };
    // Act
    const first = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles`, { body, headers });
    const retry = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles`, { body, headers });
    const plain = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles`, { body });
    // Assess
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(plain.status).toBe(409);
  });

  it('refuses a VIN with a wrong check digit in China, naming the field', async () => {
    // Prepare
    const vin = validVin();
    const wrong = `${vin.slice(0, 8)}${vinCheckDigit(vin) === '1' ? '2' : '1'}${vin.slice(9)}`;
    expect(checkVin(wrong).ok).toBe(false);
    // Act
    const res = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles`, {
      body: { vin: wrong, brand: 'Audi', model: 'A6L' },
    });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors).toEqual([expect.objectContaining({ path: 'vin', code: 'VIN_CHECK_DIGIT' })]);
  });

  it('transfers ownership and keeps the previous owner in the history', async () => {
    // Prepare
    const first = await newCustomer();
    const second = await newCustomer();
    const v = await newVehicle(first.id as string);
    // Act
    const moved = await call<Json>(demo.advisorA, 'POST', `${base()}/vehicles/${v.id}/transfer`, {
      body: { newOwnerCustomerId: second.id },
      headers: { 'if-match': '"1"' },
    });
    const detail = await call<{ links: { role: string; customerId: string; until?: string }[] }>(
      demo.advisorA,
      'GET',
      `${base()}/vehicles/${v.id}`,
    );
    const firstOwnerView = await call<{ vehicles: { role: string; until?: string }[] }>(
      demo.advisorA,
      'GET',
      `${base()}/customers/${first.id}`,
    );
    // Assess
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ owner: { customerId: second.id }, version: 2 });
    const owners = detail.body.links.filter((l) => l.role === 'owner');
    expect(owners.find((l) => l.customerId === first.id)?.until).toBeDefined();
    expect(owners.find((l) => l.customerId === second.id)?.until).toBeUndefined();
    expect(firstOwnerView.body.vehicles[0]?.until).toBeDefined();
  });

  it('adds and ends a driver link, and refuses a lower odometer reading', async () => {
    // Prepare
    const owner = await newCustomer();
    const driver = await newCustomer();
    const v = await newVehicle(owner.id as string);
    const url = `${base()}/vehicles/${v.id}`;
    // Act
    const linked = await call<Json>(demo.advisorA, 'POST', `${url}/links`, {
      body: { customerId: driver.id, role: 'driver' },
      headers: { 'if-match': '"1"' },
    });
    const ended = await call<Json>(demo.advisorA, 'DELETE', `${url}/links/${driver.id}/driver`, {
      headers: { 'if-match': '"2"' },
    });
    const up = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 15000 },
      headers: { 'if-match': '"3"' },
    });
    const down = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 9000 },
      headers: { 'if-match': '"4"' },
    });
    const detail = await call<{ odometer: { km: number }[] }>(demo.advisorA, 'GET', url);
    // Assess
    expect([linked.status, ended.status, up.status]).toEqual([200, 200, 200]);
    expect(down.status).toBe(409);
    expect(down.body.code).toBe('ODOMETER_DECREASED');
    expect(detail.body.odometer.map((o) => o.km)).toEqual([15000, 12000]);
  });

  it('judges a late-typed reading against the readings around it in time, with any offset', async () => {
    // Prepare: registered at 12,000 km today; a reading of 30,000 km recorded first
    const owner = await newCustomer();
    const v = await newVehicle(owner.id as string);
    const url = `${base()}/vehicles/${v.id}`;
    const newest = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 30000 },
      headers: { 'if-match': '"1"' },
    });
    // Act: an older reading typed afterwards, in Beijing time; then ones that do not fit in time
    const older = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 8000, readAt: '2024-05-01T10:00:00+08:00' },
      headers: { 'if-match': '"2"' },
    });
    const aboveLater = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 13000, readAt: '2024-06-01T10:00:00+08:00' },
      headers: { 'if-match': '"3"' },
    });
    const future = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 40000, readAt: new Date(Date.now() + 3_600_000).toISOString() },
      headers: { 'if-match': '"3"' },
    });
    const beforeModelYear = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 10, readAt: '2019-01-01T00:00:00Z' },
      headers: { 'if-match': '"3"' },
    });
    const noOffset = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
      body: { km: 8500, readAt: '2024-05-02 10:00' },
      headers: { 'if-match': '"3"' },
    });
    const detail = await call<{ lastOdometerKm: number; odometer: { km: number; readAt: string }[] }>(
      demo.advisorA,
      'GET',
      url,
    );
    // Assess
    expect([newest.status, older.status]).toEqual([200, 200]);
    expect(aboveLater.status).toBe(409);
    expect(aboveLater.body.code).toBe('ODOMETER_ABOVE_LATER_READING');
    const fieldCode = (r: { body: Json }) => (r.body.fieldErrors as { path: string; code: string }[])[0];
    expect(future.status).toBe(400);
    expect(fieldCode(future)).toMatchObject({ path: 'readAt', code: 'ODOMETER_READ_IN_FUTURE' });
    expect(beforeModelYear.status).toBe(400);
    expect(fieldCode(beforeModelYear)).toMatchObject({ path: 'readAt', code: 'ODOMETER_BEFORE_MODEL_YEAR' });
    expect(noOffset.status).toBe(400);
    expect(fieldCode(noOffset)?.path).toBe('readAt');
    expect(detail.body.lastOdometerKm).toBe(30000);
    expect(detail.body.odometer.map((o) => o.km)).toEqual([30000, 12000, 8000]);
    expect(detail.body.odometer[2]?.readAt).toBe('2024-05-01T02:00:00.000Z');
  });

  it('shows a vehicle’s newest readings, whatever their number, and says when there are older ones', async () => {
    // Prepare: 24 readings after registration (25 in all)
    const owner = await newCustomer();
    const v = await newVehicle(owner.id as string);
    const url = `${base()}/vehicles/${v.id}`;
    for (let i = 1; i <= 24; i++) {
      const res = await call<Json>(demo.advisorA, 'POST', `${url}/odometer`, {
        body: { km: 12_000 + i * 100 },
        headers: { 'if-match': `"${i}"` },
      });
      expect(res.status, res.text).toBe(200);
    }
    // Act
    const detail = await call<{ odometer: { km: number }[]; moreOdometerReadings: boolean }>(
      demo.advisorA,
      'GET',
      url,
    );
    // Assess: 14,400 km down to 12,500 km; 12,400 and older are behind the flag
    expect(detail.body.odometer).toHaveLength(20);
    expect(detail.body.odometer.map((o) => o.km)).toEqual(
      Array.from({ length: 20 }, (_, i) => 14_400 - i * 100),
    );
    expect(detail.body.moreOdometerReadings).toBe(true);
  });

  it('refuses a phone number the customer already has once normalised, on create and edit, never a 500', async () => {
    // Prepare
    const s = uniqueSuffix().slice(-8).padStart(8, '0');
    const same = [{ number: `138${s}` }, { number: `+86 138 ${s.slice(0, 4)} ${s.slice(4)}` }];
    const existing = await newCustomer();
    // Act
    const created = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: { name: `重复电话${s}`, phones: same },
    });
    const edited = await call<Json>(demo.advisorA, 'PATCH', `${base()}/customers/${existing.id}`, {
      body: { phones: [{ number: `137${s}` }, ...same] },
      headers: { 'if-match': '"1"' },
    });
    const after = await call<Json>(demo.advisorA, 'GET', `${base()}/customers/${existing.id}`);
    // Assess
    for (const [res, at] of [
      [created, 'phones.1.number'],
      [edited, 'phones.2.number'],
    ] as const) {
      expect(res.status, res.text).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        fieldErrors: [{ path: at, code: 'DUPLICATE_PHONE', message: expect.any(String) }],
      });
    }
    expect(after.body.version).toBe(1);
  });

  it('takes what the document says a phone number, e-mail and name are, and refuses the rest with 400', async () => {
    // Prepare
    const s = uniqueSuffix();
    const body = (extra: Json) => ({ name: `规则${s}`, phones: [{ number: '13800138000' }], ...extra });
    // Act
    const shortNumber = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: body({ phones: [{ number: '00000' }] }),
    });
    const fullWidth = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: body({ phones: [{ number: '１３８ ００１３ ８０００' }] }),
    });
    const letters = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: body({ phones: [{ number: 'abc 13800138000' }] }),
    });
    const bang = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: body({ email: 'a!b@example.com' }),
    });
    const blank = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      body: body({ name: ' \u3000 ' }),
    });
    // Assess
    expect(shortNumber.status, shortNumber.text).toBe(201);
    expect(shortNumber.body.phones).toEqual([{ number: '00000', label: 'mobile' }]);
    expect(fullWidth.status, fullWidth.text).toBe(201);
    expect(fullWidth.body.phones).toEqual([{ number: '13800138000', label: 'mobile' }]);
    expect(
      [letters, bang, blank].map((r) => [r.status, (r.body.fieldErrors as { path: string }[])[0]?.path]),
    ).toEqual([
      [400, 'phones.0.number'],
      [400, 'email'],
      [400, 'name'],
    ]);
  });

  it('answers every page cursor it did not issue with 400 INVALID_CURSOR, never a database error', async () => {
    // Prepare: real cursors of the customer list (an index query), of a name search, of another store's
    // list (HQ reads both stores), and forgeries of them
    const s = uniqueSuffix();
    for (const name of [`Pager${s} A`, `Pager${s} B`]) await newCustomer(demo.advisorA, { name });
    const url = `${base()}/customers?limit=1`;
    const first = await call<{ nextCursor?: string }>(demo.advisorA, 'GET', url);
    expect(first.body.nextCursor).toBeDefined();
    const search = (cursor?: string) =>
      call<{ items: Json[]; nextCursor?: string; code?: string }>(
        demo.advisorA,
        'POST',
        `${base()}/customers/search`,
        {
          body: { name: `pager${s}`, limit: 1, ...(cursor ? { cursor } : {}) },
        },
      );
    const byName = await search();
    const otherStore = await call<{ nextCursor?: string }>(
      demo.hqExecutive,
      'GET',
      `/v1/stores/${demo.storeB}/customers?limit=1`,
    );
    const issued = first.body.nextCursor!;
    // The old cursors: the key in the clear
    const plain = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
    const flipped = Buffer.from(issued, 'base64url');
    flipped[20]! ^= 1;
    const forged: Record<string, string> = {
      'a key in the clear': plain({
        pk: `${demo.storeA}#CUS#x`,
        sk: '#CUS',
        gsi1pk: `${demo.storeA}#CUSNAME`,
        gsi1sk: 'a#x',
      }),
      'one bit changed': flipped.toString('base64url'),
      truncated: issued.slice(0, -4),
      'another list (a name search)': byName.body.nextCursor!,
      'another store': otherStore.body.nextCursor!,
      'not base64url': '***',
    };
    for (const [kind, cursor] of Object.entries(forged)) {
      // Act
      const res = await call<Json>(demo.advisorA, 'GET', `${url}&cursor=${encodeURIComponent(cursor)}`);
      // Assess
      expect([res.status, res.body.code], kind).toEqual([400, 'INVALID_CURSOR']);
      expect(res.headers.get('content-type'), kind).toContain('application/problem+json');
    }
    const honest = await call<Json>(demo.advisorA, 'GET', `${url}&cursor=${issued}`);
    expect(honest.status).toBe(200);
    // A name search's cursor continues that search only, and holds no trace of the name
    const next = await search(byName.body.nextCursor);
    expect([next.status, next.body.items.length]).toEqual([200, 1]);
    expect(Buffer.from(byName.body.nextCursor!, 'base64url').toString('latin1')).not.toMatch(/pager/i);
    const listCursorInSearch = await search(issued);
    expect([listCursorInSearch.status, listCursorInSearch.body.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('answers a cursor of one record’s history on another’s with 400 INVALID_CURSOR', async () => {
    // Prepare: two customers with two history entries each, and a real cursor after the first
    const history = async () => {
      const customer = await newCustomer();
      const url = `${base()}/customers/${customer.id}`;
      const edit = await call<Json>(demo.advisorA, 'PATCH', url, {
        body: { notes: 'page' },
        headers: { 'if-match': '"1"' },
      });
      expect(edit.status, edit.text).toBe(200);
      const first = await call<{ nextCursor?: string }>(demo.advisorA, 'GET', `${url}/history?limit=1`);
      expect(first.body.nextCursor).toBeDefined();
      return { url: `${url}/history`, cursor: first.body.nextCursor! };
    };
    const [one, other] = [await history(), await history()];
    // Act
    const own = await call<Json>(demo.advisorA, 'GET', `${one.url}?cursor=${one.cursor}`);
    const foreign = await call<Json>(demo.advisorA, 'GET', `${other.url}?cursor=${one.cursor}`);
    // Assess
    expect(own.status).toBe(200);
    expect([foreign.status, foreign.body.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('pages through a fleet customer’s vehicles with a cursor, none left out', async () => {
    // Prepare: a fleet with three vehicles
    const fleet = await newCustomer(demo.advisorA, { kind: 'company' });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newVehicle(fleet.id as string)).id);
    const url = `${base()}/customers/${fleet.id}/vehicles`;
    // Act
    const first = await call<{ items: { vehicle: { id: string } }[]; nextCursor?: string }>(
      demo.advisorA,
      'GET',
      `${url}?limit=2`,
    );
    const second = await call<{ items: { vehicle: { id: string } }[]; nextCursor?: string }>(
      demo.advisorA,
      'GET',
      `${url}?limit=2&cursor=${first.body.nextCursor}`,
    );
    const detail = await call<Json>(demo.advisorA, 'GET', `${base()}/customers/${fleet.id}`);
    // Assess
    expect(first.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeUndefined();
    expect([...first.body.items, ...second.body.items].map((v) => v.vehicle.id).sort()).toEqual(ids.sort());
    expect(detail.body.vehicles).toHaveLength(3);
    expect(detail.body.vehiclesNextCursor).toBeUndefined();
  });

  it('answers an oversized or too short search term or cursor with 400, never a 500 from the database', async () => {
    // Prepare
    const long = 'A'.repeat(5000);
    const searches: [string, Json][] = [
      ['search', { name: long }],
      ['search', { name: 'a', cursor: long }],
      ['search', { name: 'a', cursor: 'garbage' }],
      ['phone-search', { phone: '1'.repeat(5000) }],
      ['phone-search', { phone: '+1234' }], // a + and 4 digits: not a phone number
    ];
    for (const [path, body] of searches) {
      const res = await call<Json>(demo.advisorA, 'POST', `${base()}/customers/${path}`, { body });
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
    }
    const urls = [
      `${base()}/customers?cursor=${long}`,
      `${base()}/vehicles?plate=${long}`,
      `${base()}/vehicles?vin=${long}`,
      `${base()}/vehicles?recent=true&cursor=${long}`,
    ];
    for (const url of urls) {
      // Act
      const res = await call<Json>(demo.advisorA, 'GET', url);
      // Assess
      expect(res.status, url.slice(0, 80)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses unknown keys and empty patches on every edit, naming the unknown fields', async () => {
    // Prepare
    const owner = await newCustomer();
    const v = await newVehicle(owner.id as string);
    const urls = [`${base()}/customers/${owner.id}`, `${base()}/vehicles/${v.id}`];
    for (const url of urls) {
      // Act
      const unknownOnly = await call<Json>(demo.advisorA, 'PATCH', url, {
        body: { nickname: 'x' },
        headers: { 'if-match': '"1"' },
      });
      const empty = await call<Json>(demo.advisorA, 'PATCH', url, {
        body: {},
        headers: { 'if-match': '"1"' },
      });
      const after = await call<Json>(demo.advisorA, 'GET', url);
      // Assess
      expect(unknownOnly.status, url).toBe(400);
      expect(unknownOnly.body.fieldErrors).toEqual([
        expect.objectContaining({ path: 'nickname', code: 'unrecognized_keys' }),
      ]);
      expect(empty.status, url).toBe(400);
      expect(empty.body.fieldErrors).toEqual([expect.objectContaining({ code: 'EMPTY_PATCH' })]);
      expect(after.body.version, url).toBe(1);
    }
  });

  it('pages through a long list with cursors and lists recently served vehicles', async () => {
    // Act
    const first = await call<{ items: Json[]; nextCursor?: string }>(
      demo.advisorA,
      'GET',
      `${base()}/customers?limit=2`,
    );
    const second = await call<{ items: Json[] }>(
      demo.advisorA,
      'GET',
      `${base()}/customers?limit=2&cursor=${first.body.nextCursor}`,
    );
    const recent = await call<{ items: { lastServedAt?: string }[] }>(
      demo.advisorA,
      'GET',
      `${base()}/vehicles?recent=true`,
    );
    const ambiguous = await call<Json>(demo.advisorA, 'GET', `${base()}/vehicles?plate=京A1&vin=123456`);
    // Assess
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBeDefined();
    expect(second.body.items[0]!.id).not.toBe(first.body.items[0]!.id);
    const served = recent.body.items.map((v) => v.lastServedAt!);
    expect(served.length).toBeGreaterThan(0);
    expect([...served].sort().reverse()).toEqual(served);
    expect(ambiguous.status).toBe(400);
  });
});

describe('API surface', () => {
  it('requires a valid token', async () => {
    const none = await call<Json>(null, 'GET', `${base()}/customers`);
    const forged = await call<Json>(null, 'GET', `${base()}/customers`, {
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    });
    expect(none.status).toBe(401);
    expect(forged.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a body over 1 MiB with 413 and one that is not JSON with 415, creates and edits alike', async () => {
    // Prepare
    const customer = await newCustomer();
    const path = `${base()}/customers/${String(customer.id)}`;
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
    const json = { 'content-type': 'application/json' };
    // Act
    const bigCreate = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      rawBody: huge,
      headers: json,
    });
    const bigEdit = await call<Json>(demo.advisorA, 'PATCH', path, {
      rawBody: huge,
      headers: { ...json, 'if-match': '"1"' },
    });
    const notJson = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      rawBody: 'name=Li',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const plainText = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      rawBody: '{"name":"Li"}',
    });
    const withCharset = await call<Json>(demo.advisorA, 'POST', `${base()}/customers`, {
      rawBody: JSON.stringify({ name: 'Li', phones: [{ number: '13900000001' }] }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    const read = await call<Json>(demo.advisorA, 'GET', path);
    // Assess
    expect(plainText.status).toBe(415);
    expect(withCharset.status, withCharset.text).toBe(201);
    expect(bigCreate.status).toBe(413);
    expect(bigCreate.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(bigEdit.status).toBe(413);
    expect(notJson.status).toBe(415);
    expect(notJson.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(read.body).toMatchObject({ name: customer.name, version: 1 });
  });

  it('answers a large body after a refused one on the same kept-alive connection (local server)', async () => {
    // The local server must read bodies the API leaves unread, or the next request's socket is closed.
    for (let i = 0; i < 3; i++) {
      const refused = await call<Json>(null, 'POST', `${base()}/customers`, { body: { name: 'Li' } });
      const big = await call<Json>(null, 'POST', `${base()}/customers`, {
        rawBody: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }),
        headers: { 'content-type': 'application/json' },
      });
      expect([refused.status, big.status]).toEqual([401, 413]);
    }
  });

  it('sends the security headers on answers and errors alike, and no cache may keep them', async () => {
    const answers = [
      await call<Json>(demo.advisorA, 'GET', `${base()}/customers`),
      await call<Json>(demo.advisorA, 'GET', `${base()}/customers/cus_missing`),
      await call<Json>(null, 'GET', `${base()}/customers`),
      await call<Json>(null, 'GET', '/v1/nowhere'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401, 401]);
    for (const a of answers) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(a.headers.get(name)).toBe(value);
    }
    expect(SECURITY_HEADERS).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  it('answers a documented path with a trailing slash 404 ROUTE_NOT_FOUND, signed in or not', async () => {
    const answers = [
      await call<Json>(demo.advisorA, 'GET', '/v1/me/'),
      await call<Json>(demo.advisorA, 'GET', `${base()}/customers/`),
      await call<Json>(demo.advisorA, 'POST', `${base()}/customers/`, { body: { name: 'Li' } }),
      await call<Json>(null, 'GET', '/v1/me/'),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(4).fill([404, 'ROUTE_NOT_FOUND']));
  });

  it('answers a method a path does not have with 405, an Allow header and METHOD_NOT_ALLOWED', async () => {
    // Prepare
    const customer = await newCustomer();
    const cases: [method: string, path: string, allow: string[]][] = [
      ['PUT', '/v1/me', ['GET', 'HEAD']],
      ['DELETE', `${base()}/customers`, ['GET', 'HEAD', 'POST']],
      ['PUT', `${base()}/customers/${customer.id}`, ['GET', 'HEAD', 'PATCH']],
      // `…/imports/uploads` is also an import id to `GET …/imports/{importId}`.
      ['PATCH', `${base()}/imports/uploads`, ['GET', 'HEAD', 'POST']],
    ];
    for (const [method, path, allow] of cases) {
      // Act
      const res = await call<Json>(demo.advisorA, method, path, method === 'DELETE' ? {} : { body: {} });
      // Assess
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
      expect(res.headers.get('allow')?.split(', ').sort(), `${method} ${path}`).toEqual(allow);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    }
  });

  it('keeps an unknown path 404 ROUTE_NOT_FOUND, and HEAD on a GET path answering as GET without a body', async () => {
    // Act
    const unknown = await call<Json>(demo.advisorA, 'PUT', `${base()}/nowhere`, { body: {} });
    const head = await call<Json>(demo.advisorA, 'HEAD', '/v1/me');
    const get = await call<Json>(demo.advisorA, 'GET', '/v1/me');
    const headOfPost = await call<Json>(demo.advisorA, 'HEAD', `${base()}/vehicles/veh_any/transfer`);
    // Assess
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(headOfPost.status).toBe(405);
    expect(headOfPost.headers.get('allow')).toBe('POST');
  });

  it('serves an OpenAPI 3.1 document that names every route', async () => {
    const doc = await call<{ openapi: string; paths: Record<string, unknown> }>(null, 'GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    // Public, so it may be cached for a while; the other security headers are still there.
    expect(doc.headers.get('cache-control')).toBe('public, max-age=300');
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/stores/{storeId}/customers',
        '/v1/stores/{storeId}/vehicles/{vehicleId}',
        '/v1/stores/{storeId}/imports/{importId}/errors',
      ]),
    );
  });
});
