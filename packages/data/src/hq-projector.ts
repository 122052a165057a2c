import { type DomainEvent, HQ_FIGURE_EVENTS, NotFoundError } from '@aftersales/domain';
import type { Directory } from './directory.ts';
import type { ApplyOutcome, GroupFigures } from './group-figures.ts';

/** Where a store belongs changes rarely (a store joining a group): a few minutes' staleness is fine. */
const GROUP_CACHE_MS = 5 * 60_000;

export type ProjectOutcome = ApplyOutcome | 'independent-store' | 'not-projected';

/**
 * Projects a store's events into its group's HQ figures. It resolves the store's group from the
 * directory (its own credentials: `ORG#` items) and writes through `figuresFor(groupId)`, which in AWS
 * holds a session narrowed to that one group's keys: the projector never holds credentials for the
 * stores it reads events of, nor for any other group. Independent stores (no group) are skipped.
 */
export class HqFiguresProjector {
  private readonly groups = new Map<string, { groupId: string | undefined; until: number }>();

  constructor(
    private readonly directory: Pick<Directory, 'getOrganisation'>,
    private readonly figuresFor: (groupId: string) => GroupFigures,
    private readonly now: () => number = Date.now,
  ) {}

  async groupOf(storeId: string): Promise<string | undefined> {
    const cached = this.groups.get(storeId);
    if (cached && cached.until > this.now()) return cached.groupId;
    const org = await this.directory.getOrganisation(storeId);
    // Events come from stores that exist: a miss is a directory not yet written, so fail and retry.
    if (org?.kind !== 'store') throw new NotFoundError('Store', storeId);
    const groupId = org.groupId;
    this.groups.set(storeId, { groupId, until: this.now() + GROUP_CACHE_MS });
    return groupId;
  }

  async project(event: DomainEvent): Promise<ProjectOutcome> {
    if (!(HQ_FIGURE_EVENTS as readonly string[]).includes(event.type)) return 'not-projected';
    const groupId = await this.groupOf(event.tenantId);
    if (!groupId) return 'independent-store';
    return this.figuresFor(groupId).apply(event);
  }
}
