import { describe, expect, it } from 'vitest';
import { diffRecords } from '../audit.ts';
import { permissionsOf } from '../capabilities.ts';
import { parseImportCsv } from '../imports/csv.ts';
import { parseImportRow } from '../imports/model.ts';
import { vinPolicyFor } from '../platform/tenancy.ts';
import { CustomerInput, defaultWarrantyStart, VehicleInput, validateVehicle } from './model.ts';

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
});
