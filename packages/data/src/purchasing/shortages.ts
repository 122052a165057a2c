import type { PartStock, PurchasePlan, ShortageCandidate, StockDocument } from '@aftersales/domain';
import { Parts, SHORT_NEEDS_PREFIX, StoredReservation } from '../parts/parts.ts';
import { StockLedger } from '../parts/stock.ts';
import { stripKeys, type TenantContext, type TenantTable } from '../platform/tenant-table.ts';
import { PurchaseOrders } from './orders.ts';
import { PurchasePlans } from './plans.ts';

/** A booking's or repair order's need the shelf could not fill, and how many it still lacks. */
export interface ShortNeed {
  partId: string;
  document: StockDocument;
  quantity: number;
}

/**
 * 缺件: what the store is short of — parts below their minimum and documents' short needs — with what
 * is already on order, for the purchase plan to collect.
 */
export class Shortages {
  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {}

  /** Collects the shortages into a draft plan. */
  collectInto(planId: string, expectedVersion: number): Promise<PurchasePlan> {
    return new PurchasePlans(this.t, this.ctx).collect(planId, expectedVersion, () => this.candidates());
  }

  /**
   * Short needs still lacking (one Query of `SHORT_NEEDS_PREFIX`): a need is met once its reservation
   * and issues reach what the document needed.
   */
  async shortNeeds(): Promise<ShortNeed[]> {
    const items = await this.t.queryAll({ index: 'gsi3', partition: [SHORT_NEEDS_PREFIX] }, 2000);
    return items.flatMap((item) => {
      const r = StoredReservation.parse(stripKeys(item));
      const lacking = (r.shortQuantity ?? 1) - r.quantity - r.issued;
      return lacking > 0 ? [{ partId: r.partId, document: r.document, quantity: lacking }] : [];
    });
  }

  /**
   * Every part that may be short: those with a minimum (the catalogue, a Query a page, books in a
   * BatchGet a page) whose available stock is below it, and those a document is short of; each with
   * what its open orders bring (one Query of its open lines).
   */
  async candidates(): Promise<ShortageCandidate[]> {
    const parts = new Parts(this.t, this.ctx);
    const ledger = new StockLedger(this.t, this.ctx);
    const orders = new PurchaseOrders(this.t, this.ctx);
    const needs = await this.shortNeeds();
    const byPart = new Map((await this.withMinimum(parts)).map((p) => [p.id, p]));
    const missing = [...new Set(needs.map((n) => n.partId))].filter((id) => !byPart.has(id));
    for (let i = 0; i < missing.length; i += 100)
      for (const p of await parts.getMany(missing.slice(i, i + 100))) byPart.set(p.id, p);
    const ids = [...byPart.keys()];
    const books = new Map<string, PartStock>();
    for (let i = 0; i < ids.length; i += 100)
      for (const [id, book] of await ledger.books(ids.slice(i, i + 100))) books.set(id, book);
    const short = ids.filter((id) => {
      const book = books.get(id);
      const part = byPart.get(id);
      return book && part && (book.available < part.minStock || needs.some((n) => n.partId === id));
    });
    return Promise.all(
      short.map(async (id) => ({
        part: byPart.get(id)!,
        book: books.get(id)!,
        onOrder: (await orders.openLinesOf(id)).reduce((n, l) => n + l.outstanding, 0),
        needs: needs.filter((n) => n.partId === id),
      })),
    );
  }

  private async withMinimum(parts: Parts) {
    const out = [];
    let cursor: string | undefined;
    // A store's catalogue is hundreds of parts: a few pages of one Query.
    for (let page = 0; page < 50; page++) {
      const got = await parts.list('', { limit: 100, cursor });
      out.push(...got.items.filter((p) => p.active && p.minStock > 0));
      cursor = got.nextCursor;
      if (!cursor) break;
    }
    return out;
  }
}
