import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import type { Part } from '@aftersales/domain';
import { stack, useStackEnv } from './api.ts';
import { demo, uniqueSuffix } from './demo.ts';

/** A store's data below the API, as a parts manager: for reads the routes do not answer directly. */
export function tenantOf(storeId: string = demo.storeA) {
  useStackEnv();
  const data = new DataAccess({ tableName: stack.tableName });
  const actor = { userId: 'parts-test', name: 'Parts test', roles: ['parts_manager' as const] };
  return data.forTenant({ tenantId: storeId, actor });
}

/**
 * A part in demo store A's catalogue, made below the API (the catalogue's routes are their own
 * capability's): for the stock suites, and a `partId` the suites that call every route can name.
 */
export async function newPart(costMinor = 1000, storeId = demo.storeA): Promise<Part> {
  useStackEnv();
  const data = new DataAccess({ tableName: stack.tableName });
  const actor = { userId: 'parts-test', name: 'Parts test', roles: ['parts_manager' as const] };
  const { part } = await data
    .forTenant({ tenantId: storeId, actor })
    .repo(Parts)
    .create({
      partNumber: `T-${uniqueSuffix()}`,
      name: { zh: '机油滤清器', en: 'Oil filter' },
      brand: 'Audi',
      models: [],
      unit: 'piece',
      listPrice: { amountMinor: 2 * costMinor, currency: 'CNY' },
      cost: { amountMinor: costMinor, currency: 'CNY' },
      minStock: 0,
      maxStock: 0,
      active: true,
    });
  return part;
}

/**
 * Path values of the stock routes for the suites that call every route: a part of store A with a
 * receipt on its card and a reservation for a document, whose id names the pick list.
 */
export async function stockPathValues(): Promise<{ partId: string; documentId: string }> {
  const part = await newPart();
  const ledger = tenantOf(demo.storeA).repo(StockLedger);
  const document = { type: 'purchase_order' as const, id: `po-${uniqueSuffix()}` };
  await ledger.move(part, { kind: 'receive', bin: 'T-01-1-01', quantity: 2, document });
  await ledger.move(part, { kind: 'reserve', quantity: 1, document });
  return { partId: part.id, documentId: document.id };
}
