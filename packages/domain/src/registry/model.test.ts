import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { diffRecords } from '../audit.ts';
import { permissionsOf } from '../capabilities.ts';
import { parseImportCsv } from '../imports/csv.ts';
import { issuesToFieldErrors, parseImportRow } from '../imports/model.ts';
import { vinPolicyFor } from '../platform/tenancy.ts';
import {
  CustomerInput,
  CustomerPatch,
  defaultWarrantyStart,
  Phone,
  VehicleInput,
  validateVehicle,
} from './model.ts';

describe('customer and vehicle schemas', () => {
  it('reports every invalid field at once', () => {
    const r = CustomerInput.safeParse({ name: '', phones: [{ number: '12' }], email: 'nope' });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'phones.0.number', 'email']));
  });

  it('normalises phone numbers and plates on the way in', () => {
    const c = CustomerInput.parse({ name: '王伟', phones: [{ number: '+86 139-1234-5678' }] });
    expect(c.phones[0]).toEqual({ number: '13912345678', label: 'mobile' });
    const v = VehicleInput.parse({
      vin: 'lsja24u62jg269225',
      plate: '京a·12345',
      brand: 'Audi',
      model: 'A4L',
    });
    expect(v).toMatchObject({ vin: 'LSJA24U62JG269225', plate: '京A12345' });
  });

  it('refuses a number the customer already has once normalised, at the repeat, in a create and a patch', () => {
    // Prepare
    const phones = [{ number: '13800138000' }, { number: '+86 138 0013 8000' }];
    // Act
    const created = CustomerInput.safeParse({ name: '王伟', phones });
    const patched = CustomerPatch.safeParse({ phones: [{ number: '139 1234 5678' }, ...phones] });
    // Assess
    for (const [r, at] of [
      [created, '1'],
      [patched, '2'],
    ] as const) {
      expect(r.success).toBe(false);
      expect(issuesToFieldErrors(r.error!.issues)).toEqual([
        { path: `phones.${at}.number`, code: 'DUPLICATE_PHONE', message: expect.any(String) },
      ]);
    }
  });

  it('does not call a repeat of an invalid number a duplicate', () => {
    const r = CustomerInput.safeParse({ name: '王伟', phones: [{ number: 'x1' }, { number: 'x1' }] });
    expect(r.error!.issues.map((i) => i.code)).toEqual(['invalid_format', 'invalid_format']);
  });

  it('takes exactly the phone numbers its documented pattern describes', () => {
    // Prepare
    const accepted = [
      '00000',
      '000000',
      '0044 20 7946 0958',
      '(+86) 138-0013.8000',
      '１３８ ００１３ ８０００',
      '＋１ 415 555 0100',
    ];
    const refused = [
      '1234',
      '+1234',
      '0012',
      '138 0013 8000 ext',
      'abc13800138000',
      '1+3800138000',
      '1'.repeat(16),
      '٣٣٣٣٣',
    ];
    // Act
    const parse = (number: string) => Phone.shape.number.safeParse(number);
    // Assess
    expect(accepted.map((n) => parse(n).data)).toEqual([
      '00000',
      '000000',
      '+442079460958',
      '13800138000',
      '13800138000',
      '+14155550100',
    ]);
    for (const n of refused) expect(parse(n).success, n).toBe(false);
    const documented = z.toJSONSchema(Phone, { io: 'input' }).properties!.number as { pattern: string };
    const pattern = new RegExp(documented.pattern);
    for (const n of accepted) expect(pattern.test(n), n).toBe(true);
    for (const n of refused) expect(pattern.test(n), n).toBe(false);
  });

  it('documents the e-mail rule it applies and refuses blank required text', () => {
    // Prepare
    const schema = z.toJSONSchema(CustomerInput, { io: 'input' }).properties!;
    const email = new RegExp((schema.email as { pattern: string }).pattern);
    // Act
    const bang = CustomerInput.safeParse({
      name: '王伟',
      phones: [{ number: '13800138000' }],
      email: 'a!b@example.com',
    });
    const blank = CustomerInput.safeParse({ name: '   ', phones: [{ number: '13800138000' }] });
    // Assess
    expect(bang.success).toBe(false);
    expect(email.test('a!b@example.com')).toBe(false);
    expect(email.test('li.wei+car@example.com.cn')).toBe(true);
    expect(blank.success).toBe(false);
    expect(new RegExp((schema.name as { pattern: string }).pattern).test('   ')).toBe(false);
  });

  it('starts the 三包 period at delivery when it differs from the invoice (CN-2022)', () => {
    expect(defaultWarrantyStart({ invoiceDate: '2024-01-02', deliveryDate: '2024-01-05' })).toBe(
      '2024-01-05',
    );
    expect(defaultWarrantyStart({ invoiceDate: '2024-01-02' })).toBe('2024-01-02');
  });

  it('refuses delivery before invoice and a bad VIN, naming the field', () => {
    const v = VehicleInput.parse({
      vin: 'LSJA24U62JG269225',
      brand: 'VW',
      model: 'Passat',
      invoiceDate: '2024-02-01',
      deliveryDate: '2024-01-01',
    });
    expect(validateVehicle(v, 'strict')).toMatchObject({ ok: false, path: 'deliveryDate' });
    const bad = VehicleInput.parse({ vin: 'LSJA24U63JG269225', brand: 'VW', model: 'Passat' });
    expect(validateVehicle(bad, vinPolicyFor('CN'))).toMatchObject({
      ok: false,
      path: 'vin',
      code: 'VIN_CHECK_DIGIT',
    });
    expect(validateVehicle(bad, vinPolicyFor('EU'))).toEqual({
      ok: true,
      vinWarning: 'CHECK_DIGIT_MISMATCH',
    });
  });
});

describe('roles', () => {
  it('lets HQ read but never write or see phone numbers', () => {
    const hq = permissionsOf(['hq_executive']);
    expect(hq.has('registry:read')).toBe(true);
    expect(hq.has('registry:write')).toBe(false);
    expect(hq.has('customer:contact')).toBe(false);
  });

  it('does not let a technician edit customers', () => {
    expect(permissionsOf(['technician']).has('registry:write')).toBe(false);
  });

  it('unions the permissions of several roles', () => {
    const p = permissionsOf(['technician', 'service_advisor']);
    expect(p.has('registry:write')).toBe(true);
  });
});

describe('audit diff', () => {
  it('lists changed fields only, ignoring bookkeeping', () => {
    const changes = diffRecords(
      { name: 'A', email: 'a@x.cn', version: 1 },
      { name: 'B', email: 'a@x.cn', version: 2 },
    );
    expect(changes).toEqual([{ field: 'name', from: 'A', to: 'B' }]);
  });
});

describe('CSV import parsing', () => {
  it('accepts Chinese headers, quoted fields and a BOM', () => {
    const csv =
      '\uFEFF姓名,手机号,车架号,车牌号,品牌,车型\n"王, 伟",13800138000,LSJA24U62JG269225,京A12345,Audi,A4L\n';
    const parsed = parseImportCsv(csv);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows).toEqual([
      {
        name: '王, 伟',
        phone: '13800138000',
        vin: 'LSJA24U62JG269225',
        plate: '京A12345',
        brand: 'Audi',
        model: 'A4L',
      },
    ]);
    expect(parseImportRow(parsed.rows[0]!)).toMatchObject({
      ok: true,
      vehicle: { vin: 'LSJA24U62JG269225' },
    });
  });

  it('refuses a file without name and phone columns', () => {
    expect(parseImportCsv('vin,plate\nX,Y')).toMatchObject({
      ok: false,
      fieldErrors: [{ code: 'CSV_COLUMNS' }],
    });
  });

  it('reports a bad row with prefixed paths', () => {
    const r = parseImportRow({ name: 'Li Lei', phone: '12', vin: 'SHORT', brand: 'VW', model: 'Golf' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['customer.phones.0.number']));
  });

  it('merges a second phone that is the first once normalised instead of refusing the row', () => {
    // Act
    const r = parseImportRow({ name: 'Li Lei', phone: '13800138000', phone2: '+86 138 0013 8000' });
    // Assess
    expect(r).toMatchObject({ ok: true, customer: { phones: [{ number: '13800138000' }] } });
    if (r.ok) expect(r.customer.phones).toHaveLength(1);
  });
});
