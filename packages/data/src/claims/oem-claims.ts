import {
  type Actor,
  claimRulesOf,
  type DomainEvent,
  decideOemCopyAction,
  type EventPayload,
  type NewEvent,
  NotFoundError,
  newEvent,
  newId,
  type OemActionRecord,
  type OemClaimAction,
  OemClaimCopy,
  type OemClaimRules,
  oneSearchAtATime,
  projectClaim,
  VersionConflictError,
  type WarrantyClaimStatus,
  withoutPending,
} from '@aftersales/domain';
import type { DataAccess } from '../index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { Directory } from '../platform/directory.ts';
import {
  type IdempotencyRequest,
  IdempotentReplay,
  idempotencyOp,
  idempotentResult,
} from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';
import { WebhookOutbox } from '../webhooks/outbox.ts';

/**
 * 厂家索赔: the OEM's copy of each claim filed with it, in the OEM's own partition. Keys, all from this
 * declaration:
 * - copy        pk `<oem>#OCLM#<claimId>` sk `#OCLM`
 * - changed     gsi1 `<oem>#OCLMUPD` / `<updatedAt>#<id>`: every claim by its last change (the OEM's
 *               "what changed since" pull, and newest first)
 * - by status   gsi2 `<oem>#OCLMST#<status>` / `<receivedAt>#<id>`: the OEM's review queues
 * - by store    gsi3 `<oem>#OCLMSTORE#<storeId>` / `<receivedAt>#<id>`: one dealer's claims
 * Written by the OEM projection (store events in, credentials for `oem_*#*` only) and by the OEM API.
 */
export const OEM_CLAIM = defineAggregate({
  name: 'oemClaim',
  label: 'OemClaim',
  idParam: 'claimId',
  prefix: 'OCLM',
  recordSk: '#OCLM',
  schema: OemClaimCopy,
  indexes: {
    changed: { index: 'gsi1', prefix: 'OCLMUPD', key: (c) => ({ pk: [], sk: `${c.updatedAt}#${c.id}` }) },
    byStatus: {
      index: 'gsi2',
      prefix: 'OCLMST',
      key: (c) => ({ pk: [c.status], sk: `${c.receivedAt}#${c.id}` }),
    },
    byStore: {
      index: 'gsi3',
      prefix: 'OCLMSTORE',
      key: (c) => ({ pk: [c.storeId], sk: `${c.receivedAt}#${c.id}` }),
    },
  },
});

/** How often a write that lost a race is decided again on a fresh read. */
const ATTEMPTS = 4;
/** The idempotency scope of the OEM API's actions (Idempotency-Key). */
const ACTION_SCOPE = 'oemClaimAction';

export interface OemClaimSearch extends PageRequest {
  status?: WarrantyClaimStatus | undefined;
  storeId?: string | undefined;
  /** Changed at or after this instant, oldest change first: an OEM's incremental pull. */
  changedSince?: string | undefined;
}

export type ProjectionOutcome = 'projected' | 'stale' | 'never-sent';

export class OemClaims extends AggregateRepository<typeof OEM_CLAIM> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, OEM_CLAIM);
  }

  /** The copy after the store's claim changed (`claim.changed`): newer snapshots only, retried on a race. */
  async project(
    event: EventPayload<'claim.changed'>,
    ctx: { storeName: string; rules: OemClaimRules },
  ): Promise<ProjectionOutcome> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(event.claimId);
      const next = projectClaim(current, event.claim, { ...ctx, at: this.now().toISOString() });
      if (!next) return event.claim.submissions === 0 ? 'never-sent' : 'stale';
      try {
        if (current) await this.save(current, next, { action: 'project', changes: [] });
        else await this.createRecord(next, { action: 'project', changes: [] });
        return 'projected';
      } catch (e) {
        const lost = e instanceof VersionConflictError || e instanceof IdempotentReplay;
        if (!lost || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /**
   * What the OEM did, on the claim as it sees it now: checked by the claim's rules (a 409 or 400 as the
   * store's claim would answer), shown at once, and sent to the store's claim as `oemClaim.acted`. The
   * same Idempotency-Key returns the first result; two different requests racing decide once (the
   * loser re-reads and meets the new state).
   */
  async act(
    claimId: string,
    action: OemClaimAction,
    ctx: { rules: OemClaimRules; idempotency?: IdempotencyRequest | undefined },
  ): Promise<{ copy: OemClaimCopy; actionId: string; replayed: boolean }> {
    const { idempotency } = ctx;
    if (idempotency) {
      const done = await idempotentResult(this.t, idempotency, ACTION_SCOPE, this.now());
      if (done) return { copy: await this.require(claimId), actionId: done, replayed: true };
    }
    const actor = this.ctx.actor;
    const record: OemActionRecord = {
      id: newId('oact'),
      action,
      at: this.now().toISOString(),
      by: actor.name,
    };
    for (let attempt = 1; ; attempt++) {
      const current = await this.require(claimId);
      const next = decideOemCopyAction(current, record, ctx.rules);
      const acted: NewEvent<'oemClaim.acted'> = newEvent('oemClaim.acted', 'oemClaim', claimId, {
        actionId: record.id,
        claimId,
        storeId: current.storeId,
        oemId: this.t.tenantId,
        action,
        by: record.by,
        at: record.at,
      });
      const ops = this.saveOps(current, next, { action: 'oem_act', changes: [], events: [acted] });
      if (idempotency) ops.push(idempotencyOp(this.t, idempotency, ACTION_SCOPE, record.id, this.now()));
      try {
        await this.t.transact(ops);
        return { copy: next, actionId: record.id, replayed: false };
      } catch (e) {
        if (e instanceof IdempotentReplay)
          return { copy: await this.require(claimId), actionId: e.resultId, replayed: true };
        if (!(e instanceof VersionConflictError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /**
   * 推送: the change announced to the OEM's webhook endpoints as `claim.<action>` (a thin body: the OEM reads
   * the claim itself with `GET`). Keyed by the event's id, so a projection retried after a crash announces
   * once; every change is announced, also one that arrives after a newer one (receivers order by time).
   */
  async announce(eventId: string, change: EventPayload<'claim.changed'>, storeName: string): Promise<number> {
    const { deliveryIds } = await WebhookOutbox.publish(
      { table: this.t, now: this.ctx.now },
      {
        eventId,
        type: `claim.${change.action}`,
        occurredAt: change.at,
        data: {
          claimId: change.claimId,
          storeId: change.claim.storeId,
          storeName,
          status: change.to,
          previousStatus: change.from,
          vin: change.claim.vin,
          claimedMinor: change.claim.claimedMinor,
        },
        subject: { storeId: change.claim.storeId, id: change.claimId },
      },
    );
    return deliveryIds.length;
  }

  /** The store's claim refused a pending action: the copy shows the store's state again. */
  async dropPending(claimId: string, actionId: string, rules: OemClaimRules): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(claimId);
      if (!current?.pendingActions.some((a) => a.id === actionId)) return;
      try {
        await this.save(current, withoutPending(current, actionId, rules, this.now().toISOString()), {
          action: 'project',
          changes: [],
        });
        return;
      } catch (e) {
        if (!(e instanceof VersionConflictError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /** The OEM's claims: in one status, of one dealer, or changed since an instant; else latest change first. */
  search(q: OemClaimSearch): Promise<Page<OemClaimCopy>> {
    oneSearchAtATime(q, ['status', 'storeId', 'changedSince']);
    const page = { cursor: q.cursor, limit: q.limit };
    if (q.status) return this.queryIndex('byStatus', [q.status], { ...page, newestFirst: true });
    if (q.storeId) return this.queryIndex('byStore', [q.storeId], { ...page, newestFirst: true });
    if (q.changedSince)
      return this.queryIndex('changed', [], { ...page, sk: { between: [q.changedSince, '~'] } });
    return this.queryIndex('changed', [], { ...page, newestFirst: true });
  }
}

/** Who a projection writes as: the platform, not a person (its audit entries say so). */
export const OEM_PROJECTION_ACTOR: Actor = { userId: 'oem-projection', name: 'OEM projection', roles: [] };

/** Where a store's name and an OEM's rules come from: the directory, cached for minutes. */
const DIRECTORY_CACHE_MS = 5 * 60_000;

/**
 * Projects a store's `claim.changed` events into the OEM's partition. It resolves the store's name and the
 * OEM's rules from the directory (its own credentials: `ORG#` items) and writes through `claimsOf(oemId)`,
 * which in AWS holds a session narrowed to that one OEM's keys: the projector never holds credentials for
 * the store it reads events of, nor for any other OEM. `afterProject` is told of each projected change
 * (the webhooks' fan-out).
 */
export class OemClaimsProjector {
  private readonly orgs = new Map<string, { name: string; rules?: OemClaimRules; until: number }>();

  constructor(
    private readonly directory: Pick<Directory, 'getOrganisation'>,
    private readonly claimsOf: (oemId: string) => OemClaims,
    private readonly now: () => number = Date.now,
  ) {}

  private async org(id: string): Promise<{ name: string; rules?: OemClaimRules }> {
    const cached = this.orgs.get(id);
    if (cached && cached.until > this.now()) return cached;
    const org = await this.directory.getOrganisation(id);
    // Events come from tenants that exist: a miss is a directory not yet written, so fail and retry.
    if (!org) throw new NotFoundError('Organisation', id);
    const entry = {
      name: org.name,
      ...(org.kind === 'oem' ? { rules: claimRulesOf(org) } : {}),
      until: this.now() + DIRECTORY_CACHE_MS,
    };
    this.orgs.set(id, entry);
    return entry;
  }

  async project(event: DomainEvent): Promise<ProjectionOutcome | 'not-projected'> {
    if (event.type !== 'claim.changed') return 'not-projected';
    const data = event.data as EventPayload<'claim.changed'>;
    // The claim is the store's own: an event of one store never projects another store's claim.
    if (data.claim.storeId !== event.tenantId || data.claim.oemId !== data.oemId) return 'not-projected';
    const [store, oem] = await Promise.all([this.org(event.tenantId), this.org(data.oemId)]);
    const claims = this.claimsOf(data.oemId);
    const outcome = await claims.project(data, {
      storeName: store.name,
      rules: oem.rules ?? claimRulesOf({}),
    });
    if (outcome !== 'never-sent') await claims.announce(event.id, data, store.name);
    return outcome;
  }
}

/** How long an OEM's photo link works (a reviewer opens them while reading the claim). */
const PHOTO_LINK_TTL_SECONDS = 15 * 60;

/**
 * The claim's sealed photos as short-lived GET links for the OEM: signed with a session narrowed to the
 * dealer's own objects (`photos/<storeId>/…`), for the store and order the OEM's copy names (never a
 * store or id the request names), so a link reaches exactly the photos of a claim filed with this OEM.
 */
export async function photoLinksOf(
  data: DataAccess,
  copy: OemClaimCopy,
  actor: Actor,
  now: Date,
): Promise<{ photoId: string; url: string; expiresAt: string }[]> {
  const { bucket } = data.forTenant({ tenantId: copy.storeId, actor, readOnly: true });
  return Promise.all(
    copy.claim.photoIds.map(async (photoId) => {
      const target = bucket.key('photos', copy.claim.repairOrderId, photoId);
      const { url, expiresAt } = await bucket.presignGet(target, { now, ttlSeconds: PHOTO_LINK_TTL_SECONDS });
      return { photoId, url, expiresAt };
    }),
  );
}
