import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import type { Part } from '@aftersales/domain';
import { expect } from 'vitest';
import { stack } from './api.ts';
import { demo, uniqueSuffix } from './demo.ts';

/**
 * Stock for the suites of documents that move it (stocktakes, write-offs): a part of demo store A and
 * its receipts, made below the API (the catalogue and receiving have their own suites), and the check
 * that book, card and shelf agree (帐卡物相符).
 */
const keeper = { userId: 'keeper', name: 'Keeper', roles: ['warehouse_keeper' as const] };

export function stockOf(storeId = demo.storeA) {
  const t = new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: storeId, actor: keeper });
  return { parts: t.repo(Parts), ledger: t.repo(StockLedger) };
}

/** A warehouse code no other test uses: its bins are this test's alone. */
export function freshWarehouse(): string {
  return `W${uniqueSuffix().slice(-3)}`;
}

/** A new part with `quantity` received into `bin` at `costMinor` fen a unit. */
export async function partInBin(bin: string, quantity: number, costMinor = 1000): Promise<Part> {
  const { parts, ledger } = stockOf();
  const { part } = await parts.create({
    partNumber: `T-${uniqueSuffix()}`,
    name: { zh: '刹车片', en: 'Brake pads' },
    brand: 'Audi',
    models: [],
    unit: 'piece',
    listPrice: { amountMinor: 2 * costMinor, currency: 'CNY' },
    cost: { amountMinor: costMinor, currency: 'CNY' },
    minStock: 0,
    maxStock: 0,
    active: true,
  });
  await ledger.move(part, {
    kind: 'receive',
    bin,
    quantity,
    document: { type: 'receipt', id: `r${uniqueSuffix()}` },
  });
  return part;
}

/** Book = sum of the card's on-hand changes = sum of the shelves; returns the book. */
export async function expectAgreement(part: Part) {
  const { ledger } = stockOf();
  const [book, card, shelves] = await Promise.all([
    ledger.book(part.id),
    ledger.ledger(part.id, { limit: 100 }),
    ledger.binsOf(part.id),
  ]);
  expect(card.items.reduce((n, m) => n + m.onHandDelta, 0)).toBe(book.onHand);
  expect(shelves.filter((b) => !b.custody).reduce((n, b) => n + b.onHand, 0)).toBe(book.onHand);
  expect(shelves.filter((b) => b.custody).reduce((n, b) => n + b.onHand, 0)).toBe(book.custody);
  return { book, card: card.items, shelves };
}
