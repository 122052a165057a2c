import type { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import { PurchaseOrders, PurchasePlans, Receipts, Shortages } from '@aftersales/data/purchasing';
import { type Actor, AppError, addDays, type Part, type PartFields, type Store } from '@aftersales/domain';

/**
 * Each demo store's purchasing (采购): a plan collected from shortages and approved by both managers,
 * two orders from it — one still on its way, one partly received (its first delivery put away, a
 * damaged line on a discrepancy report with an open claim) — and a new draft plan.
 *
 * Written over a handful of parts this seed creates when the catalogue has none of their numbers (the
 * parts catalogue seed, when it lands, takes their place: the numbers are looked up first).
 */

const cny = (yuan: number) => ({ amountMinor: yuan * 100, currency: 'CNY' as const });

/** A few fast movers every brand's workshop buys: oil filter, brake pads, wiper blades, spark plugs. */
function demoParts(brand: string): PartFields[] {
  const code = brand.slice(0, 2).toUpperCase();
  const part = (n: string, zh: string, en: string, cost: number, min: number, max: number, bin: string) => ({
    partNumber: `${code}-${n}`,
    name: { zh, en },
    brand,
    models: [],
    unit: 'piece' as const,
    listPrice: cny(Math.round(cost * 1.6)),
    cost: cny(cost),
    minStock: min,
    maxStock: max,
    defaultBin: bin,
    active: true,
  });
  return [
    part('115562B', '机油滤清器', 'Oil filter', 45, 10, 40, 'A-01-1-01'),
    part('698151', '前刹车片', 'Front brake pads', 380, 4, 12, 'A-02-1-03'),
    part('955425', '雨刮片', 'Wiper blades', 120, 6, 20, 'A-03-2-01'),
    part('905611', '火花塞', 'Spark plug', 60, 8, 32, 'B-01-1-02'),
  ];
}

async function ensurePart(parts: Parts, fields: PartFields, id: string): Promise<Part> {
  try {
    return (await parts.create(fields, { id })).part;
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'PART_NUMBER_EXISTS')) throw e;
    return (await parts.byNumber(fields.partNumber))!;
  }
}

/** Acts as `role` in `store` (the seed's writes are audited as the demo seed in that role). */
function as(data: DataAccess, store: Store, role: Actor['roles'][number]) {
  return data.forTenant({
    tenantId: store.id,
    actor: { userId: 'system', name: 'Demo seed', roles: [role] },
  });
}

export async function writeDemoPurchasing(data: DataAccess, store: Store): Promise<void> {
  const clerk = as(data, store, 'parts_clerk');
  const parts = await Promise.all(
    demoParts(store.brands[0] ?? 'Audi').map((f, i) =>
      ensurePart(clerk.repo(Parts), f, `prt_demo_${store.id}_${i}`),
    ),
  );
  // Some stock of the first part (above its minimum, so the shortages are the other three).
  const [filter] = parts;
  if (filter && (await clerk.repo(StockLedger).book(filter.id)).onHand === 0)
    await clerk.repo(StockLedger).move(filter, {
      kind: 'receive',
      bin: filter.defaultBin ?? 'A-01-1-01',
      quantity: 20,
      document: { type: 'opening', id: 'opening' },
      reason: 'Opening stock (期初)',
    });

  const plans = clerk.repo(PurchasePlans);
  const { plan } = await plans.create({ note: '本周缺件补货', lines: [] });
  const collected = await clerk.repo(Shortages).collectInto(plan.id, plan.version);
  const partsOk = await as(data, store, 'parts_manager')
    .repo(PurchasePlans)
    .approve(plan.id, 'parts', { verdict: 'approve' }, collected.version);
  const approved = await as(data, store, 'service_manager')
    .repo(PurchasePlans)
    .approve(plan.id, 'final', { verdict: 'approve' }, partsOk.version);
  const today = clerk.now().toISOString().slice(0, 10);
  const [first, ...rest] = approved.lines.filter((l) => parts.some((p) => p.id === l.partId));
  if (!first) return;

  // One order still on its way (外埠, credit), one from a local supplier partly received.
  const orders = clerk.repo(PurchaseOrders);
  if (rest.length)
    await orders.place({
      planId: plan.id,
      supplier: { name: `${store.brands[0] ?? ''}原厂配件中心`, contact: '400-800-1234' },
      payment: 'credit',
      origin: 'out_of_town',
      expectedOn: addDays(today, 6),
      lines: rest.map((l) => ({ planLineId: l.id })),
    });
  const { order } = await orders.place({
    planId: plan.id,
    supplier: { name: '本地汽配商行' },
    payment: 'cash',
    origin: 'local',
    expectedOn: addDays(today, 2),
    lines: [{ planLineId: first.id }],
  });
  const [line] = order.lines;
  if (line && line.quantity >= 3) {
    const delivered = line.quantity - 1;
    const { receipt } = await clerk.repo(Receipts).record({
      orderId: order.id,
      deliveryNote: 'DN-0001',
      lines: [{ orderLineId: line.id, noted: delivered, delivered }],
    });
    const keeper = as(data, store, 'warehouse_keeper').repo(Receipts);
    const inspected = await keeper.inspect(
      receipt.id,
      {
        lines: [
          { orderLineId: line.id, accepted: delivered - 1, refused: [{ quantity: 1, reason: 'damaged' }] },
        ],
        carrier: '德邦物流',
      },
      receipt.version,
    );
    await keeper.putAway(receipt.id, { lines: [] }, inspected.version);
  }

  await plans.create({
    note: '下周计划（草稿）',
    lines: parts[3] ? [{ partId: parts[3].id, quantity: 4 }] : [],
  });
}
