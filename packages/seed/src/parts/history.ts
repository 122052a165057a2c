import { addDays, type MovementRequest, type StockDocument } from '@aftersales/domain';
import { Rng } from '../platform/random.ts';
import type { DemoPart } from './catalogue.ts';

/**
 * A month of one store's warehouse (出入库流水), planned up front part by part: the opening receipt into
 * the part's default bin, the month's issues against repair orders and requisitions (领料), deliveries
 * when the shelf runs low, a few returns (退料), bin transfers (移库), two stocktake adjustments (盘点调整),
 * a write-off (报损) and a few parts that were short when asked (they lower the fill rate, 一次满足率).
 * Each part's steps are in time order; different parts are independent, so the writer runs them side by side.
 */

export const HISTORY_DAYS = 30;
/**
 * The seed writes every movement as one transaction (DynamoDB Local takes several milliseconds each),
 * so the month is thinned: a part's issue lines are a fifth of its real rate, at most four.
 */
const ISSUE_SHARE = 0.2;
const MAX_ISSUES = 4;
/** Slow movers (body parts, the rare models' chassis parts) are ordered per job, not stocked (不备库). */
const STOCKED_FROM = 0.2;

export type Step =
  | { at: { day: string; time: string }; move: MovementRequest }
  /** Asked for when the shelf could not fill it (the reservation marked short). */
  | { at: { day: string; time: string }; short: StockDocument };

export interface PartHistory {
  part: DemoPart;
  steps: Step[];
}

const compact = (day: string) => day.replaceAll('-', '');
const clock = (rng: Rng, from: number, to: number) =>
  `${String(rng.int(from, to)).padStart(2, '0')}:${String(rng.int(0, 11) * 5).padStart(2, '0')}`;

/** Plans every part's month; `today` is the first day not in the history. */
export function planHistory(storeId: string, parts: readonly DemoPart[], today: string): PartHistory[] {
  const rng = new Rng(`parts:${storeId}`);
  const first = addDays(today, -HISTORY_DAYS);
  const histories = parts.map((part, index) => planPart(rng, part, index, today, first));
  addOneOffs(rng, histories, today);
  return histories;
}

/**
 * The day a dormant part's last units came in: 12 to 23 months before `today`. Its own random
 * sequence, so the rest of the month plans as it did without dormant parts.
 */
export function dormantSince(part: DemoPart, today: string): string {
  return addDays(today, -new Rng(`dormant:${part.fields.partNumber}`).int(370, 700));
}

function planPart(rng: Rng, part: DemoPart, index: number, today: string, first: string): PartHistory {
  const { fields } = part;
  const bin = fields.defaultBin!;
  const steps: Step[] = [];
  if (part.dormant) {
    // 呆滞: one receipt over a year ago, nothing since; the ledger's clock is set to that day.
    const day = dormantSince(part, today);
    const quantity = new Rng(`dormant-qty:${fields.partNumber}`).int(1, 4) * part.per;
    const document = { type: 'receipt' as const, id: `RK${compact(day)}-09` };
    return {
      part,
      steps: [{ at: { day, time: '10:00' }, move: { kind: 'receive', bin, quantity, document } }],
    };
  }
  const receive = (day: string, time: string, quantity: number) =>
    steps.push({
      at: { day, time },
      move: {
        kind: 'receive',
        bin,
        quantity,
        // Deliveries cost within 3 % of the list's cost: the moving average moves.
        unitCost: {
          amountMinor: Math.round(fields.cost.amountMinor * (0.97 + rng.int(0, 6) / 100)),
          currency: 'CNY',
        },
        document: { type: 'receipt', id: `RK${compact(day)}-${String((index % 3) + 1).padStart(2, '0')}` },
      },
    });
  // Superseded numbers: a few left to sell down. One part in twenty-four came in only when first asked for.
  if (part.monthly > 0 && part.monthly < STOCKED_FROM) return { part, steps };
  const late = part.monthly > 0 && index % 24 === 3;
  let onHand = part.monthly === 0 ? rng.int(1, 3) : late ? 0 : fields.maxStock;
  if (onHand > 0) receive(first, '08:30', onHand);
  const rate = Math.round(part.monthly * ISSUE_SHARE * (0.6 + rng.float() * 0.8));
  const lines = Math.min(MAX_ISSUES, late ? Math.max(1, rate) : rate);
  const days = Array.from({ length: lines }, () => addDays(today, -rng.int(1, HISTORY_DAYS - 1))).sort();
  let number = 0;
  for (const day of days) {
    const quantity = part.per;
    const repairOrder = rng.chance(0.75);
    const document: StockDocument = repairOrder
      ? {
          type: 'repair_order',
          id: `RO${compact(day)}${String(100 + (index % 50) + number++).padStart(3, '0')}`,
        }
      : { type: 'requisition', id: `LL${compact(day)}-${String(rng.int(1, 9)).padStart(2, '0')}` };
    const time = clock(rng, 9, 15);
    if (onHand < quantity) {
      if (late && number <= 1) {
        // Not on the shelf when the repair order asked: marked short, in two days later, then issued.
        steps.push({ at: { day, time }, short: document });
        const sameDay = addDays(day, 2) >= today;
        const arrives = sameDay ? day : addDays(day, 2);
        receive(arrives, sameDay ? '16:45' : '08:30', Math.max(quantity, fields.maxStock));
        onHand += Math.max(quantity, fields.maxStock);
        // Held for the repair order on arrival and issued from the hold: not filled on first request.
        const issuedAt = sameDay ? '17:05' : clock(rng, 9, 11);
        steps.push({ at: { day: arrives, time: issuedAt }, move: { kind: 'reserve', quantity, document } });
        steps.push(issue(arrives, issuedAt, bin, quantity, document, true));
        onHand -= quantity;
        continue;
      }
      if (part.monthly === 0) break;
      // The morning's delivery refills the shelf to its maximum.
      const refill = Math.max(quantity, fields.maxStock - onHand);
      receive(day, '08:30', refill);
      onHand += refill;
    }
    steps.push(issue(day, time, bin, quantity, document));
    onHand -= quantity;
    // 退料: one line in twenty-five comes back unused the next day.
    if (rng.chance(0.04) && addDays(day, 1) < today) {
      steps.push({
        at: { day: addDays(day, 1), time: '10:15' },
        move: {
          kind: 'return',
          bin,
          quantity: 1,
          document,
          reason: '未使用，退回仓库 Not fitted: returned unused',
        },
      });
      onHand += 1;
    }
  }
  return { part, steps };
}

function issue(
  day: string,
  time: string,
  bin: string,
  quantity: number,
  document: StockDocument,
  fromReservation = false,
): Step {
  return {
    at: { day, time },
    move: {
      kind: 'issue',
      bin,
      quantity,
      document,
      fromReservation,
      ...(document.type === 'repair_order' ? { oldPartReturned: true } : {}),
    },
  };
}

/**
 * The month's handful of other movements, on parts that hold stock on that day: transfers to the
 * overflow rack, two stocktake adjustments with their reasons, and one write-off kept in custody.
 */
function addOneOffs(rng: Rng, histories: PartHistory[], today: string): void {
  const opening = (h: PartHistory) => {
    const step = h.steps[0];
    return step && 'move' in step && step.move.kind === 'receive' ? step.move : undefined;
  };
  const stocked = histories.filter((h) => h.part.fields.maxStock >= 4 && opening(h));
  // A one-off's part received one more at the opening, so its month of issues still finds its shelf.
  const pick = () => {
    const h = stocked.splice(rng.int(0, stocked.length - 1), 1)[0];
    const receipt = h && opening(h);
    if (receipt?.kind === 'receive') receipt.quantity += 1;
    return h;
  };
  const at = (offset: number, time: string) => ({ day: addDays(today, offset), time });
  const insert = (h: PartHistory, step: Step) => {
    const later = h.steps.findIndex((s) => s.at.day > step.at.day);
    h.steps.splice(later < 0 ? h.steps.length : later, 0, step);
  };
  for (let n = 1; n <= 3; n++) {
    const h = pick();
    if (!h) return;
    const bin = h.part.fields.defaultBin!;
    insert(h, {
      at: at(-28, '16:30'),
      move: {
        kind: 'transfer',
        bin,
        toBin: `${bin.slice(0, 1)}-09-1-${String(n).padStart(2, '0')}`,
        quantity: 1,
        reason: '货位调整：溢出货架 Overflow rack',
      },
    });
  }
  const adjustments: [number, string][] = [
    [-1, '月度盘点盘亏：经核查为发料未登记 Count short: an issue was not booked'],
    [1, '月度盘点盘盈：退料未上架 Count over: a return was not put away'],
  ];
  for (const [delta, reason] of adjustments) {
    const h = pick();
    if (!h) return;
    insert(h, {
      at: at(-27, '17:30'),
      move: {
        kind: 'adjust',
        bin: h.part.fields.defaultBin!,
        delta,
        document: { type: 'stocktake', id: `PD${compact(addDays(today, -27))}` },
        reason,
      },
    });
  }
  const h = pick();
  if (!h) return;
  insert(h, {
    at: at(-26, '15:00'),
    move: {
      kind: 'write_off',
      bin: h.part.fields.defaultBin!,
      quantity: 1,
      document: { type: 'write_off', id: `BS${compact(addDays(today, -26))}-01` },
      reason: '运输破损，承运商拒赔 Damaged in transit; the carrier refused the claim',
    },
  });
}
