import {
  type ClaimAppealInput,
  type ClaimCreateFields,
  type ClaimDecisionResult,
  type ClaimEdit,
  type ClaimSubmitInput,
  type ClaimWithdrawInput,
  ConflictError,
  claimedLinesOf,
  claimRulesOf,
  decideClaimAppeal,
  decideClaimCreation,
  decideClaimEdit,
  decideClaimSubmission,
  decideClaimWithdrawal,
  decideOemAction,
  decidePartShipment,
  franchiseOemFor,
  newId,
  type Oem,
  type OemClaimAction,
  oneSearchAtATime,
  type PartShipmentInput,
  precheckClaim,
  type Signature,
  type Store,
  ValidationError,
  VersionConflictError,
  WarrantyClaim,
  type WarrantyClaimStatus,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { Directory } from '../platform/directory.ts';
import {
  type IdempotencyRequest,
  IdempotentReplay,
  idempotencyOp,
  idempotentResult,
} from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';
import { RepairOrders } from '../repair-orders/repair-orders.ts';
import { WalkArounds } from '../repair-orders/walk-around.ts';

/**
 * 索赔单, one item per claim with its lines and kept parts inline (one GetItem reads it whole). Keys,
 * all from this declaration:
 * - claim        pk `<t>#CLM#<id>` sk `#CLM`
 * - archive      gsi1 `<t>#CLMS` / `<createdAt>#<id>`: every claim, newest first
 * - by status    gsi2 `<t>#CLMST#<status>` / `<createdAt>#<id>`: the specialist's worklists (drafts,
 *                returned for information) and the archive's status search
 * - by vehicle   gsi3 `<t>#CLMVEH#<vehicleId>` / `<createdAt>#<id>`: the pre-check's duplicate search and
 *                the archive's VIN search
 * - RO line      `<t>#CLMROL#<roId>:<lineId>`: a unique guard, so a repair-order line is on one live
 *                claim (a withdrawn claim lets go of its lines)
 * - by OEM       `<t>#CLMOEM#<oemId>` / `CLM#<id>`: the archive's OEM search (ids sort by creation)
 * - parts asked  `<t>#CLMPARTREQ#open` / `CLM#<id>`: claims with a part the OEM asked back and not yet
 *                shipped (the worklist's overdue parts), a few at a time
 */
/** The look-up partition of an OEM's claims (`<t>#CLMOEM#<oemId>`), which the archive's OEM search pages. */
const CLAIMS_BY_OEM = 'CLMOEM';

export const CLAIM = defineAggregate({
  name: 'claim',
  label: 'Claim',
  idParam: 'claimId',
  prefix: 'CLM',
  recordSk: '#CLM',
  schema: WarrantyClaim,
  indexes: {
    recent: { index: 'gsi1', prefix: 'CLMS', key: (c) => ({ pk: [], sk: `${c.createdAt}#${c.id}` }) },
    byStatus: {
      index: 'gsi2',
      prefix: 'CLMST',
      key: (c) => ({ pk: [c.status], sk: `${c.createdAt}#${c.id}` }),
    },
    byVehicle: {
      index: 'gsi3',
      prefix: 'CLMVEH',
      key: (c) => ({ pk: [c.vehicleId], sk: `${c.createdAt}#${c.id}` }),
    },
  },
  lookups: {
    line: {
      prefix: 'CLMROL',
      type: 'ClaimLineGuard',
      values: (c) => claimedLinesOf(c),
      unique: (line, claimId) =>
        new ConflictError(409, 'LINE_ALREADY_CLAIMED', `Repair-order line ${line} is on claim ${claimId}.`, {
          claimId,
        }),
    },
    oem: { prefix: CLAIMS_BY_OEM, type: 'ClaimByOem', values: (c) => [c.oemId] },
    partsAsked: {
      prefix: 'CLMPARTREQ',
      type: 'ClaimPartsAsked',
      values: (c) => (c.parts.some((p) => p.status === 'return_requested') ? ['open'] : []),
    },
  },
});

/** The idempotency records of the OEM's actions applied to claims (one per action id). */
const OEM_ACTION_SCOPE = 'claimOemAction';
/** How many times a change decided on a fresh read is tried again when another writer came first. */
const ATTEMPTS = 4;
/** Claims of one vehicle the duplicate check reads (one Query): years of a car's warranty history. */
const VEHICLE_CLAIMS = 100;

/** The archive's search: by one of claim number, VIN, status or OEM, within creation dates. */
export interface ClaimSearch extends PageRequest {
  status?: WarrantyClaimStatus | undefined;
  oemId?: string | undefined;
  vin?: string | undefined;
  /** Created on or after this day / on or before this day (YYYY-MM-DD). */
  from?: string | undefined;
  to?: string | undefined;
}

export class Claims extends AggregateRepository<typeof CLAIM> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, CLAIM);
  }

  private signature(): Signature {
    return { userId: this.ctx.actor.userId, name: this.ctx.actor.name, at: this.now().toISOString() };
  }

  /**
   * 建索赔单 from a repair order's claimable lines: the order, its vehicle and its sealed photos are read,
   * and the OEM is the store's franchise that builds the car (none: 409 `NO_FRANCHISE_OEM`). The lines'
   * guards make a second claim of the same line a 409; a retried request with the same Idempotency-Key
   * returns the first claim.
   */
  async file(
    tenant: TenantData,
    directory: Directory,
    store: Store,
    input: ClaimCreateFields,
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ claim: WarrantyClaim; created: boolean }> {
    const ro = await tenant.repo(RepairOrders).get(input.repairOrderId);
    if (!ro)
      throw new ValidationError([
        {
          path: 'repairOrderId',
          code: 'REPAIR_ORDER_NOT_FOUND',
          message: `No repair order ${input.repairOrderId} in this store.`,
        },
      ]);
    const [vehicle, walkAround, oems] = await Promise.all([
      tenant.vehicles.require(ro.vehicleId),
      tenant.repo(WalkArounds).get(ro.id),
      franchiseOems(directory, store),
    ]);
    const oem = franchiseOemFor(store, oems, vehicle);
    if (!oem)
      throw new ConflictError(
        409,
        'NO_FRANCHISE_OEM',
        `The store is franchised by no manufacturer of this ${vehicle.brand} (VIN ${vehicle.vin}).`,
      );
    const at = this.now().toISOString();
    const decision = decideClaimCreation(ro, input, {
      vehicle,
      oem,
      photoIds: (walkAround?.photos ?? []).filter((p) => p.purpose !== 'signature').map((p) => p.photoId),
      id: newId('clm'),
      storeId: this.t.tenantId,
      at,
      by: this.signature(),
    });
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { claim: record, created };
  }

  /** A draft's or returned claim's details on the version read; a photo must be sealed on the order. */
  async edit(
    tenant: TenantData,
    id: string,
    edit: ClaimEdit,
    expectedVersion: number,
  ): Promise<WarrantyClaim> {
    const claim = await this.requireVersion(id, expectedVersion);
    const walkAround = edit.photoIds ? await tenant.repo(WalkArounds).get(claim.repairOrderId) : undefined;
    const sealedPhotoIds = (walkAround?.photos ?? [])
      .filter((p) => p.purpose !== 'signature')
      .map((p) => p.photoId);
    const decision = decideClaimEdit(claim, edit, { sealedPhotoIds, at: this.now().toISOString() });
    return decision ? this.save(claim, decision.next, decision) : claim;
  }

  /** The pre-check as of now, without sending (the claim screen shows it as the specialist works). */
  async precheck(directory: Directory, id: string) {
    const claim = await this.require(id);
    const [rules, others] = await Promise.all([this.rulesOf(directory, claim.oemId), this.others(claim)]);
    return { claim, findings: precheckClaim(claim, rules, { others, at: this.now().toISOString() }) };
  }

  /** 提交 (or resubmit a returned claim) on the version read: the pre-check runs first. */
  async submit(
    directory: Directory,
    id: string,
    input: ClaimSubmitInput,
    expectedVersion: number,
  ): Promise<WarrantyClaim> {
    const claim = await this.requireVersion(id, expectedVersion);
    const [rules, others] = await Promise.all([this.rulesOf(directory, claim.oemId), this.others(claim)]);
    const decision = decideClaimSubmission(claim, input, { rules, others, at: this.now().toISOString() });
    return this.save(claim, decision.next, decision);
  }

  withdraw(id: string, input: ClaimWithdrawInput, expectedVersion: number): Promise<WarrantyClaim> {
    return this.change(id, (c) => decideClaimWithdrawal(c, input, this.now().toISOString()), expectedVersion);
  }

  appeal(id: string, input: ClaimAppealInput, expectedVersion: number): Promise<WarrantyClaim> {
    return this.change(id, (c) => decideClaimAppeal(c, input, this.signature()), expectedVersion);
  }

  /** 旧件回运 of one part the OEM asked back, on the latest version (the part's state is the precondition). */
  shipPart(id: string, partId: string, input: PartShipmentInput): Promise<WarrantyClaim> {
    return this.change(id, (c) => decidePartShipment(c, partId, input, this.signature()));
  }

  /**
   * What the OEM did, applied on the latest version (the decisions consumer). `actionId` is the OEM's
   * command id: applying it twice returns the claim as the first application left it.
   */
  async applyOem(
    directory: Directory,
    id: string,
    action: OemClaimAction,
    ctx: { actionId: string; by: string },
  ): Promise<WarrantyClaim> {
    const claim = await this.require(id);
    const rules = await this.rulesOf(directory, claim.oemId);
    const idempotency = { key: ctx.actionId, fingerprint: ctx.actionId };
    return this.change(
      id,
      (c) =>
        decideOemAction(c, action, {
          rules,
          at: this.now().toISOString(),
          by: ctx.by,
          actionId: ctx.actionId,
        }),
      undefined,
      idempotency,
    );
  }

  /** Claims in one status (the worklists: `draft` to file, `returned` to answer), newest first. */
  inStatus(status: WarrantyClaimStatus, page: PageRequest): Promise<Page<WarrantyClaim>> {
    return this.queryIndex('byStatus', [status], { newestFirst: true, ...page });
  }

  /** Claims with a part the OEM asked back and not yet shipped (at most 50: a store has a handful). */
  async partsAsked(): Promise<WarrantyClaim[]> {
    return this.getMany(await this.lookup('partsAsked', 'open'));
  }

  /** A vehicle's claims, newest first (one Query). */
  ofVehicle(vehicleId: string, page: PageRequest): Promise<Page<WarrantyClaim>> {
    return this.queryIndex('byVehicle', [vehicleId], { newestFirst: true, ...page });
  }

  /**
   * 索赔档案: newest first, by one of VIN, status or OEM (each its own index: one Query a page, and a VIN's
   * vehicle look-up first), within creation days. Two of them at once is a 400: no page is filtered
   * after reading, so none comes back short.
   */
  async search(tenant: TenantData, q: ClaimSearch): Promise<Page<WarrantyClaim>> {
    oneSearchAtATime(q, ['vin', 'status', 'oemId']);
    const page = { cursor: q.cursor, limit: q.limit, newestFirst: true };
    const sk = { between: [q.from ?? '0', `${q.to ?? '9999-12-31'}~`] as [string, string] };
    if (q.vin) {
      const vehicles = await tenant.vehicles.findByVin(q.vin, { limit: 1 });
      const vehicle = vehicles.items.find((v) => v.vin === q.vin);
      if (!vehicle) return { items: [] };
      return this.queryIndex('byVehicle', [vehicle.id], { ...page, sk });
    }
    if (q.status) return this.queryIndex('byStatus', [q.status], { ...page, sk });
    if (q.oemId) {
      const out = await this.t.query({
        partition: [CLAIMS_BY_OEM, q.oemId],
        sk: { between: [`${CLAIM.prefix}#${idFloor(q.from)}`, `${CLAIM.prefix}#${idCeiling(q.to)}`] },
        ...page,
      });
      const claims = await this.getMany(out.items.map((i) => String(i.claimId)));
      const byId = new Map(claims.map((c) => [c.id, c]));
      const items = out.items.flatMap((i) => byId.get(String(i.claimId)) ?? []);
      return { items, ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}) };
    }
    return this.queryIndex('recent', [], { ...page, sk });
  }

  private async others(claim: WarrantyClaim): Promise<WarrantyClaim[]> {
    return (await this.ofVehicle(claim.vehicleId, { limit: VEHICLE_CLAIMS })).items;
  }

  private async rulesOf(directory: Directory, oemId: string) {
    const oem = await directory.getOrganisation(oemId);
    return claimRulesOf(oem?.kind === 'oem' ? oem : {});
  }

  private async change(
    id: string,
    decide: (c: WarrantyClaim) => ClaimDecisionResult | undefined,
    expectedVersion?: number,
    idempotency?: IdempotencyRequest,
  ): Promise<WarrantyClaim> {
    if (idempotency && (await idempotentResult(this.t, idempotency, OEM_ACTION_SCOPE, this.now())))
      return this.require(id);
    for (let attempt = 1; ; attempt++) {
      const current =
        expectedVersion === undefined
          ? await this.require(id)
          : await this.requireVersion(id, expectedVersion);
      const decision = decide(current);
      if (!decision) return current;
      try {
        const ops = this.saveOps(current, decision.next, decision);
        if (idempotency) ops.push(idempotencyOp(this.t, idempotency, OEM_ACTION_SCOPE, id, this.now()));
        await this.t.transact(ops);
        return decision.next;
      } catch (err) {
        if (err instanceof IdempotentReplay) return this.require(id);
        if (!(err instanceof VersionConflictError) || expectedVersion !== undefined || attempt >= ATTEMPTS)
          throw err;
      }
    }
  }
}

/** The OEMs the store is franchised by, as the directory holds them (a few GetItems). */
async function franchiseOems(directory: Directory, store: Store): Promise<Oem[]> {
  const orgs = await Promise.all((store.franchises ?? []).map((id) => directory.getOrganisation(id)));
  return orgs.flatMap((o) => (o?.kind === 'oem' ? [o] : []));
}

/** The first claim id of a day (ids are time-ordered ULIDs): `clm_` and the day's first millisecond. */
function idFloor(day: string | undefined): string {
  return day ? newId('clm', Date.parse(`${day}T00:00:00Z`)).slice(0, 14) : 'clm_';
}

function idCeiling(day: string | undefined): string {
  return day ? `${newId('clm', Date.parse(`${day}T23:59:59.999Z`)).slice(0, 14)}~` : 'clm_~';
}
