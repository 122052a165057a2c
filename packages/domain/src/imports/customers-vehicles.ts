import * as z from 'zod';
import type { CustomerFields, VehicleFields } from '../registry/model.ts';
import { defineImportKind, defineImportKindHeader } from './kinds.ts';
import { HEADER_ALIASES, parseImportRow } from './model.ts';

/** A registry row decoded: the customer and, when the row has a VIN, their vehicle. */
export interface CustomerVehicleRow {
  customer: CustomerFields;
  vehicle?: VehicleFields;
}

/**
 * 客户/车辆导入: the first import kind, one customer (and optionally their vehicle) a row, kept by the
 * registry's own row rules (`parseImportRow`) so an imported record is as clean as a typed one.
 */
export const CUSTOMERS_VEHICLES_HEADER = defineImportKindHeader({
  kind: 'customers-vehicles',
  permission: 'registry:import',
  columns: {
    required: ['name', 'phone'],
    optional: [
      'kind',
      'phone2',
      'email',
      'vin',
      'plate',
      'brand',
      'model',
      'modelYear',
      'colour',
      'invoiceDate',
      'deliveryDate',
      'odometerKm',
      'notes',
    ],
    headerAliases: HEADER_ALIASES,
  },
});

function customerVehicleRow() {
  return z.record(z.string(), z.string()).transform((row, ctx): CustomerVehicleRow => {
    const parsed = parseImportRow(row);
    if (parsed.ok)
      return parsed.vehicle
        ? { customer: parsed.customer, vehicle: parsed.vehicle }
        : { customer: parsed.customer };
    for (const e of parsed.errors)
      ctx.issues.push({
        code: 'custom',
        path: e.path.split('.'),
        message: e.message,
        input: row,
        ...(e.code ? { params: { code: e.code } } : {}),
      });
    return z.NEVER;
  });
}

export const CUSTOMERS_VEHICLES_IMPORT = /* @__PURE__ */ defineImportKind(
  CUSTOMERS_VEHICLES_HEADER,
  /* @__PURE__ */ customerVehicleRow(),
);
