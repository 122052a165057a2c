import { type DomainEvent, HQ_FIGURES, NotFoundError } from '@aftersales/domain';
import type { Directory } from '../platform/directory.ts';
import type { ApplyOutcome, GroupFigures } from './figures.ts';

/** Where a store belongs and its time zone change rarely: a few minutes' staleness is fine. */
const GROUP_CACHE_MS = 5 * 60_000;

export type ProjectOutcome = ApplyOutcome | 'independent-store' | 'not-projected';

interface StorePlace {
  groupId: string | undefined;
  timeZone: string;
}

/**
 * Projects a store's events into its group's HQ figures (the domain's `HQ_FIGURES` projection; the
 * rebuild from records for data older than the projector is figures-rebuild.ts). It resolves the store's group from the
 * directory (its own credentials: `ORG#` items) and writes through `figuresFor(groupId)`, which in AWS
 * holds a session narrowed to that one group's keys: the projector never holds credentials for the
 * stores it reads events of, nor for any other group. Independent stores (no group) are skipped.
 */
export class HqFiguresProjector {
  private readonly stores = new Map<string, StorePlace & { until: number }>();

  constructor(
    private readonly directory: Pick<Directory, 'getOrganisation'>,
    private readonly figuresFor: (groupId: string) => GroupFigures,
    private readonly now: () => number = Date.now,
  ) {}

  /** The store's group (absent for an independent store) and its time zone. */
  async placeOf(storeId: string): Promise<StorePlace> {
    const cached = this.stores.get(storeId);
    if (cached && cached.until > this.now()) return cached;
    const org = await this.directory.getOrganisation(storeId);
    // Events come from stores that exist: a miss is a directory not yet written, so fail and retry.
    if (org?.kind !== 'store') throw new NotFoundError('Store', storeId);
    const place = { groupId: org.groupId, timeZone: org.timeZone };
    this.stores.set(storeId, { ...place, until: this.now() + GROUP_CACHE_MS });
    return place;
  }

  async project(event: DomainEvent): Promise<ProjectOutcome> {
    if (!HQ_FIGURES.handles(event.type)) return 'not-projected';
    const { groupId, timeZone } = await this.placeOf(event.tenantId);
    if (!groupId) return 'independent-store';
    return this.figuresFor(groupId).apply(event, timeZone);
  }
}
