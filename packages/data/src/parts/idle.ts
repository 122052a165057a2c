import { bookOf, type IdleVerdict, idleVerdict, newEvent } from '@aftersales/domain';
import { scheduleDue } from '../platform/due.ts';
import { eventOp } from '../platform/events.ts';
import type { TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import { STOCK_IDLE_DUE } from './idle-due.ts';
import { Parts } from './parts.ts';

/** Another movement changed the book between the check's read and its write: read again. */
class BookChanged extends Error {}

const ATTEMPTS = 4;

/**
 * The idle check of one part (the StockIdle consumer). Obsolete stock (no movement for a year, stock on
 * hand) is marked on the book with its value and announced by `stock.obsoleted` (the HQ figure adds it;
 * the next movement's `stock.moved` takes it off). A book that moved since is checked again a year after
 * that movement. Every write is conditioned on the book's last movement as read, so a movement racing
 * the check wins and the check decides again: re-delivery and races change nothing twice.
 */
export class IdleStock {
  private readonly parts: Parts;

  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {
    this.parts = new Parts(t, ctx);
  }

  async check(partId: string, now: Date): Promise<IdleVerdict['kind']> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(partId, now);
      } catch (e) {
        if (!(e instanceof BookChanged) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  private async attempt(partId: string, now: Date): Promise<IdleVerdict['kind']> {
    const stored = await this.parts.getChild('stock', partId, '');
    if (!stored?.lastMovedAt) return 'none';
    const verdict = idleVerdict(bookOf(stored), now);
    const key = this.parts.childKeyAt('stock', partId, '');
    const unmoved = {
      condition: '#last = :last',
      names: { '#last': 'lastMovedAt' },
      values: { ':last': stored.lastMovedAt },
      onConditionFailed: () => new BookChanged(),
    };
    const at = now.toISOString();
    let ops: TxOp[];
    if (verdict.kind === 'not_yet') {
      ops = [
        { update: key, changes: { set: { idleCheckAt: verdict.checkAt } }, ...unmoved },
        scheduleDue(this.t, this.ctx, {
          type: STOCK_IDLE_DUE,
          id: partId,
          dueAt: new Date(verdict.checkAt),
          payload: { partId },
        }),
      ];
    } else if (verdict.kind === 'obsolete') {
      ops = [
        {
          update: key,
          changes: {
            set: { obsoleteValueMinor: verdict.valueMinor, obsoleteSince: at },
            remove: ['idleCheckAt'],
          },
          ...unmoved,
          // The value found is the book's as read: nothing may have moved it (nor found it first).
          condition: `${unmoved.condition} AND attribute_not_exists(obsoleteValueMinor)`,
        },
        eventOp(
          this.t,
          this.ctx,
          this.parts.partition(partId),
          newEvent('stock.obsoleted', 'part', partId, {
            partId,
            valueMinor: verdict.valueMinor,
            lastMovedAt: stored.lastMovedAt,
            at,
          }),
          at,
        ),
      ];
    } else {
      // Nothing to find: the next movement schedules the next check (it finds none pending).
      if (!stored.idleCheckAt) return 'none';
      ops = [{ update: key, changes: { remove: ['idleCheckAt'] }, ...unmoved }];
    }
    await this.t.transact(ops);
    return verdict.kind;
  }
}
