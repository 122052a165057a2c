import { AppError, partsToHold, type StockDocument } from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { Parts } from '../parts/parts.ts';
import { StockLedger } from '../parts/stock.ts';
import type { TxOp } from '../platform/tenant-table.ts';
import { RepairOrders } from './repair-orders.ts';

/** The repair order as the parts ledger's document: its reservations and issues are found by it. */
export const repairOrderDocument = (repairOrderId: string): StockDocument => ({
  type: 'repair_order',
  id: repairOrderId,
});

const isShortage = (e: unknown) => e instanceof AppError && e.code === 'INSUFFICIENT_STOCK';

/**
 * 预留 on the customer's word: on `repairOrder.approvalRecorded`, the order's approved work has its parts
 * held for it through the ledger, each part up to what the work still needs (`partsToHold`, less what
 * the order holds already), so a re-delivered event or a second approval holds nothing twice. Where the
 * shelf has less, what there is is held and the need is marked short for the purchase plan; a declined
 * line holds nothing. When the order is delivered or cancelled (`repairOrder.statusChanged`), what it
 * still holds goes back to the shelf. Returns the movements made.
 */
export async function holdRepairOrderParts(
  tenant: TenantData,
  event: { type: string; data: unknown },
): Promise<number> {
  const data = event.data as { repairOrderId?: unknown; to?: unknown };
  if (typeof data.repairOrderId !== 'string') return 0;
  const document = repairOrderDocument(data.repairOrderId);
  const ledger = tenant.repo(StockLedger);
  if (event.type === 'repairOrder.statusChanged') {
    if (data.to !== 'delivered' && data.to !== 'cancelled') return 0;
    let released = 0;
    try {
      released = (await ledger.releaseAll(document, `Repair order ${data.to}`)).length;
    } catch (e) {
      // Released meanwhile by a re-delivery of this event: nothing is left to give back.
      if (!isShortage(e)) throw e;
    }
    await ledger.clearShortMarks(document);
    return released;
  }
  if (event.type !== 'repairOrder.approvalRecorded') return 0;
  const ro = await tenant.repo(RepairOrders).get(data.repairOrderId);
  if (!ro || ['settled', 'delivered', 'cancelled'].includes(ro.status)) return 0;
  const needs = partsToHold(ro);
  const ids = [...needs.keys()];
  if (ids.length === 0) return 0;
  const [held, parts, books] = await Promise.all([
    ledger.reservationsOf(document),
    tenant.repo(Parts).getMany(ids),
    ledger.books(ids),
  ]);
  let moved = 0;
  const shortOps: TxOp[] = [];
  for (const part of parts) {
    const need = needs.get(part.id) ?? 0;
    const lacking = need - (held.find((r) => r.partId === part.id)?.quantity ?? 0);
    if (lacking <= 0 || !part.active) continue;
    const take = Math.min(lacking, books.get(part.id)?.available ?? 0);
    let got = 0;
    if (take > 0)
      try {
        await ledger.move(part, { kind: 'reserve', quantity: take, document, reason: ro.id });
        got = take;
        moved++;
      } catch (e) {
        // Taken by another since it was read: the need is short, as if the shelf had not had it.
        if (!isShortage(e)) throw e;
      }
    if (got < lacking) shortOps.push(ledger.markShort(part, document, need));
  }
  if (shortOps.length) await tenant.table.transact(shortOps);
  return moved;
}
