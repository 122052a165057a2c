import {
  AppError,
  type DomainEvent,
  emptyStoreFigures,
  projectStoreEvent,
  StoreFigures,
} from '@aftersales/domain';
import { registerKeyPrefix } from '../platform/keys.ts';
import { stripKeys, type TenantTable, type TxOp } from '../platform/tenant-table.ts';

/**
 * HQ figures in the group's own partition (a projection of its stores' events):
 * - store figures  pk `<groupId>#HQFIG`            sk `STORE#<storeId>` (one item per store; `rev` for
 *                  optimistic writes)
 * - applied mark   pk `<groupId>#HQFIGEVT#<eventId>` sk `#MARK` (TTL: outlives the event items' replay
 *                  window, so a redelivered or replayed event finds it)
 * Both begin with the group id: a session narrowed to `<groupId>#*` reaches them and nothing else.
 *
 * Beside it: the projector that feeds it events (figures-projector.ts, the domain's `HQ_FIGURES`
 * projection) and the rebuild from the store's records (figures-rebuild.ts).
 */
/** The figures' prefixes in the group's partition, claimed here where they are used. */
export const HQ_FIGURES_KEYS = { figures: 'HQFIG', appliedMark: 'HQFIGEVT' } as const;
registerKeyPrefix(HQ_FIGURES_KEYS.figures, 'hqFigures');
registerKeyPrefix(HQ_FIGURES_KEYS.appliedMark, 'hqFigures.appliedMark');
const { figures: HQ_FIGURES_PREFIX, appliedMark: HQ_FIGURES_MARK_PREFIX } = HQ_FIGURES_KEYS;
const STORE_SK = 'STORE#';
/** Longer than the events' own retention (35 days): a replay of any stored event is still recognised. */
const MARK_RETENTION_DAYS = 40;
const MAX_ATTEMPTS = 8;

export type ApplyOutcome = 'applied' | 'duplicate' | 'ignored';

class AlreadyApplied extends Error {}
class FiguresMoved extends Error {}

export class GroupFigures {
  /** @param t the group's table (its tenant id is the group id) */
  constructor(private readonly t: TenantTable) {
    if (!t.tenantId.startsWith('grp_'))
      throw new Error(`HQ figures live in a group's partition, not ${t.tenantId}`);
  }

  private storeKey(storeId: string) {
    return { pk: this.t.key(HQ_FIGURES_PREFIX), sk: `${STORE_SK}${storeId}` };
  }

  /** Every store's figures in one Query (one page: up to 200 stores per group, paged beyond that). */
  async list(): Promise<StoreFigures[]> {
    const figures: StoreFigures[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.t.query({
        partition: [HQ_FIGURES_PREFIX],
        sk: { beginsWith: STORE_SK },
        limit: 200,
        cursor,
      });
      figures.push(...page.items.map((i) => StoreFigures.parse(stripKeys(i))));
      cursor = page.nextCursor;
    } while (cursor);
    return figures;
  }

  async get(storeId: string): Promise<{ figures: StoreFigures; rev: number }> {
    const item = await this.t.get(this.storeKey(storeId));
    return item
      ? { figures: StoreFigures.parse(stripKeys(item)), rev: Number(item.rev) }
      : { figures: emptyStoreFigures(storeId), rev: 0 };
  }

  /**
   * Applies one of the store's events, at most once: the event's mark is created (`attribute_not_exists`)
   * in the same transaction as the store item's optimistic write, so a redelivered event changes
   * nothing ('duplicate'). A concurrent write to the same store's item is retried with fresh figures.
   * `timeZone` is the store's: a new item counts its days in `servedByDay`.
   */
  async apply(event: DomainEvent, timeZone: string): Promise<ApplyOutcome> {
    try {
      return await this.retryingRaces(async () => {
        const stored = await this.get(event.tenantId);
        // A new item counts the store's days. One written before zones were kept has UTC days and keeps
        // them until it is rebuilt (ensureGroupFigures rebuilds items without a zone).
        const { rev } = stored;
        const figures = rev === 0 ? { ...stored.figures, timeZone } : stored.figures;
        const next = projectStoreEvent(figures, event);
        if (next === figures) return 'ignored';
        await this.t.transact([this.markOp(event), this.writeOp(next, rev)]);
        return 'applied';
      });
    } catch (e) {
      if (e instanceof AlreadyApplied) return 'duplicate';
      throw e;
    }
  }

  /** Replaces a store's figures with ones rebuilt from its records (`rebuildStoreFigures`, figures-rebuild.ts). */
  async replace(figures: StoreFigures): Promise<void> {
    const parsed = StoreFigures.parse(figures);
    await this.retryingRaces(async () => {
      const { rev } = await this.get(parsed.storeId);
      await this.t.transact([this.writeOp(parsed, rev)]);
    });
  }

  /** Runs a read-then-conditional-write again while another writer got to the store's item first. */
  private async retryingRaces<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        const raced = e instanceof FiguresMoved || (e instanceof AppError && e.code === 'CONCURRENT_UPDATE');
        if (!raced || n >= MAX_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 10 * n + Math.random() * 20));
      }
    }
  }

  private markOp(event: DomainEvent): TxOp {
    return {
      put: {
        pk: this.t.key(HQ_FIGURES_MARK_PREFIX, event.id),
        sk: '#MARK',
        type: 'HqFiguresMark',
        storeId: event.tenantId,
        eventType: event.type,
        // From the event's own time, as its item's retention is: the mark outlives every replay of it.
        expiresAt: Math.floor(Date.parse(event.at) / 1000) + MARK_RETENTION_DAYS * 86_400,
      },
      condition: 'attribute_not_exists(pk)',
      onConditionFailed: () => new AlreadyApplied(),
      decisive: true,
    };
  }

  private writeOp(figures: StoreFigures, rev: number): TxOp {
    return {
      put: { ...figures, ...this.storeKey(figures.storeId), type: 'HqStoreFigures', rev: rev + 1 },
      condition: rev === 0 ? 'attribute_not_exists(pk)' : 'rev = :rev',
      ...(rev === 0 ? {} : { values: { ':rev': rev } }),
      onConditionFailed: () => new FiguresMoved(),
    };
  }
}
