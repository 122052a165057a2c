import {
  type Appointment,
  boardCard,
  boardTechnicians,
  type CheckInFields,
  type ClockOffInput,
  ConflictError,
  DECLINED_LOOKBACK_ORDERS,
  type DeclinedWork,
  type DeliveryInput,
  type DispatchInput,
  decideAddOn,
  decideApproval,
  decideCheckIn,
  decideClockOff,
  decideClockOnAs,
  decideEscalation,
  decideEscalationAnswer,
  decideLineAddition,
  decideLineDispatch,
  decideLineWork,
  decidePartIssue,
  decideQualityCheck,
  decideQuote,
  decideRepairOrderDelivery,
  decideRepairOrderEdit,
  decideRepairOrderSettlement,
  decideRepairOrderTransition,
  declinedWorkOf,
  type EscalationNoteInput,
  type LineCatalogue,
  type LineWork,
  type LineWorkRequest,
  lineWorkFrom,
  newId,
  type PartIssueFields,
  type PartReturnInput,
  type QualityCheckInput,
  type QuoteApprovalInput,
  RepairOrder,
  type RepairOrderDecision,
  type RepairOrderPatch,
  type RepairOrderSettlementFields,
  type RepairOrderStatus,
  type RepairOrderTransitionInput,
  requireChecker,
  type Signature,
  ValidationError,
  VersionConflictError,
  type WorkshopBoard,
} from '@aftersales/domain';
import { Appointments } from '../appointments/appointments.ts';
import { registryParty } from '../appointments/changes.ts';
import type { TenantData } from '../index.ts';
import { Parts } from '../parts/parts.ts';
import { StockLedger } from '../parts/stock.ts';
import { AggregateRepository, defineAggregate, type WriteOptions } from '../platform/aggregate.ts';
import { type IdempotencyRequest, idempotentResult } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import { LabourOps, StoreSetups } from '../setup/index.ts';
import { StaffMembers } from '../staff/staff.ts';

/** Statuses in which the car is still the store's business (on the lot, or waiting to be fetched). */
const CLOSED: ReadonlySet<RepairOrderStatus> = new Set(['delivered', 'cancelled']);

/**
 * 维修工单, one item per order with its concerns, lines, quotes and approvals inline (a few dozen lines
 * at most, so one GetItem reads the whole order). Keys, all from this declaration:
 * - order       pk `<t>#RO#<id>` sk `#RO`
 * - open board  gsi1 `<t>#ROOPEN` / `<status>#<promisedAt>#<id>`, sparse: only orders not delivered or
 *               cancelled. The workshop board is one Query (by status, then promised time); one status
 *               is `begins_with`. A delivered or cancelled order leaves the index on its save.
 * - by vehicle  gsi2 `<t>#ROVEH#<vehicleId>` / `<createdAt>#<id>`: a vehicle's repair history, newest first
 *               (its newest is what a check-in reads to tell a comeback, 返修)
 * - touched     gsi3 `<t>#ROTOUCH` / `<updatedAt>#<id>`: orders by their last change, so the HQ figures'
 *               rebuild reads the orders with anything in its window, never the store's whole history
 * - booking     `<t>#ROAPPT#<appointmentId>`: a unique guard, so a booking is checked in once
 * - clocked on  `<t>#ROTECH#<technicianId>`: a unique guard held while the technician is clocked on a
 *               line of this order, so one technician is on one RO at a time (stores that allow two
 *               lines at once clock `concurrent`, which holds no guard)
 */
export const REPAIR_ORDER = defineAggregate({
  name: 'repairOrder',
  label: 'RepairOrder',
  idParam: 'repairOrderId',
  prefix: 'RO',
  recordSk: '#RO',
  schema: RepairOrder,
  indexes: {
    open: {
      index: 'gsi1',
      prefix: 'ROOPEN',
      key: (ro) =>
        CLOSED.has(ro.status) ? undefined : { pk: [], sk: `${ro.status}#${ro.promisedAt}#${ro.id}` },
    },
    byVehicle: {
      index: 'gsi2',
      prefix: 'ROVEH',
      key: (ro) => ({ pk: [ro.vehicleId], sk: `${ro.createdAt}#${ro.id}` }),
    },
    touched: {
      index: 'gsi3',
      prefix: 'ROTOUCH',
      key: (ro) => ({ pk: [], sk: `${ro.updatedAt}#${ro.id}` }),
    },
  },
  lookups: {
    booking: {
      prefix: 'ROAPPT',
      type: 'RepairOrderBookingGuard',
      values: (ro) => (ro.source.kind === 'booking' ? [ro.source.appointmentId] : []),
      unique: (appointmentId, repairOrderId) =>
        new ConflictError(
          409,
          'APPOINTMENT_ALREADY_CHECKED_IN',
          `Booking ${appointmentId} was already checked in.`,
          { repairOrderId },
        ),
    },
    clockedOn: {
      prefix: 'ROTECH',
      type: 'TechnicianClockedOnGuard',
      values: (ro) =>
        ro.lines.flatMap((l) =>
          l.clockings.filter((c) => !c.endedAt && !c.concurrent).map((c) => c.technicianId),
        ),
      unique: (technicianId, repairOrderId) =>
        new ConflictError(
          409,
          'TECHNICIAN_ALREADY_CLOCKED_ON',
          `Technician ${technicianId} is clocked on repair order ${repairOrderId}: clock off there first.`,
          { openClockings: [{ repairOrderId }] },
        ),
    },
  },
});

/** A decision to write (with any items written in its transaction), or none when nothing changes. */
type Decided = (RepairOrderDecision & Pick<WriteOptions, 'extra'>) | undefined;

/** How many times a change decided on a fresh read is tried again when another writer came first. */
const ATTEMPTS = 4;

/** Open orders one board shows: a workshop has a few dozen on the lot. */
const BOARD_SIZE = 100;
/** Staff read for the board's technicians (one Query). */
const STAFF_READ = 200;

export class RepairOrders extends AggregateRepository<typeof REPAIR_ORDER> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, REPAIR_ORDER);
  }

  /** The open orders (the workshop board): by status, then earliest promised first; one Query a page. */
  open(page: PageRequest & { status?: RepairOrderStatus | undefined }): Promise<Page<RepairOrder>> {
    const { status, ...range } = page;
    return this.queryIndex('open', [], { ...(status ? { sk: { beginsWith: `${status}#` } } : {}), ...range });
  }

  /** Orders changed since `since` (an instant), oldest change first: one Query a page. */
  touchedSince(since: string, page: PageRequest): Promise<Page<RepairOrder>> {
    return this.queryIndex('touched', [], { sk: { between: [since, '~'] }, ...page });
  }

  /** A vehicle's repair orders, newest first: one Query a page. */
  ofVehicle(vehicleId: string, page: PageRequest): Promise<Page<RepairOrder>> {
    return this.queryIndex('byVehicle', [vehicleId], { newestFirst: true, ...page });
  }

  /** 未修项目: the vehicle's declined work still on offer, from its latest orders (one Query). */
  async declinedWork(vehicleId: string): Promise<DeclinedWork[]> {
    return declinedWorkOf((await this.ofVehicle(vehicleId, { limit: DECLINED_LOOKBACK_ORDERS })).items);
  }

  /**
   * 接车: opens an order from a booking or for a walk-in. Reads the customer and vehicle (a missing one
   * is a field error), the booking (its vehicle must be the one checked in) and the vehicle's readings
   * around now (the odometer only goes up). In the order's transaction, the odometer becomes a reading
   * of the vehicle and a confirmed booking moves to `checked_in` (a booking still `requested` stays as it
   * is: the store confirms it first or not at all); the order's guard item makes a second check-in of one
   * booking a 409. The vehicle's latest orders are read too (one Query): a car back within 30 days of
   * the last one's delivery is a comeback, and a concern may take up their declined work (未修项目).
   */
  async checkIn(
    tenant: TenantData,
    input: CheckInFields,
    opts: { idempotency?: IdempotencyRequest | undefined } = {},
  ): Promise<{ repairOrder: RepairOrder; created: boolean }> {
    const at = this.now();
    if (opts.idempotency) {
      const done = await idempotentResult(this.t, opts.idempotency, this.declaration.name, at);
      if (done) return { repairOrder: await this.require(done), created: false };
    }
    const [{ customer, vehicle }, around, booking, latest] = await Promise.all([
      registryParty(tenant, input.customerId, input.vehicleId),
      tenant.vehicles.readingsAround(input.vehicleId, at.toISOString()),
      this.requireBooking(tenant, input),
      this.ofVehicle(input.vehicleId, { limit: DECLINED_LOOKBACK_ORDERS }),
    ]);
    const decision = decideCheckIn(
      input,
      {
        odometer: { now: at, modelYear: vehicle.modelYear, ...around },
        advisorId: this.ctx.actor.userId,
        plate: vehicle.plate,
        customerName: customer.name,
        previous: latest.items[0],
        declined: declinedWorkOf(latest.items),
      },
      { id: newId('ro'), storeId: this.t.tenantId, at: at.toISOString() },
    );
    const reading = { km: input.odometerKm, readAt: at.toISOString(), source: 'reception' as const };
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
      extra: [
        ...tenant.vehicles.odometerChange(vehicle, reading, around).ops,
        ...(booking?.status === 'confirmed'
          ? tenant.repo(Appointments).transitionOps(booking, { to: 'checked_in' })
          : []),
      ],
    });
    return { repairOrder: record, created };
  }

  /** The booking checked in: in this store, and booked for this vehicle when it names one. */
  private async requireBooking(tenant: TenantData, input: CheckInFields): Promise<Appointment | undefined> {
    if (input.source.kind !== 'booking') return undefined;
    const booking = await tenant.repo(Appointments).get(input.source.appointmentId);
    const path = 'source.appointmentId';
    if (!booking)
      throw new ValidationError([
        {
          path,
          code: 'APPOINTMENT_NOT_FOUND',
          message: `No booking ${input.source.appointmentId} in this store.`,
        },
      ]);
    if (booking.vehicleId && booking.vehicleId !== input.vehicleId)
      throw new ValidationError([
        {
          path: 'vehicleId',
          code: 'BOOKED_FOR_ANOTHER_VEHICLE',
          message: 'The booking is for another vehicle.',
        },
      ]);
    return booking;
  }

  /** The header edited (promised time, concerns' words) on the version read; no change writes nothing. */
  edit(id: string, patch: RepairOrderPatch, expectedVersion: number): Promise<RepairOrder> {
    const at = this.now().toISOString();
    return this.change(id, (ro) => decideRepairOrderEdit(ro, patch, at), expectedVersion);
  }

  /** A move staff make by hand (diagnosis, cancellation) on the version read; the same status changes nothing. */
  transition(id: string, input: RepairOrderTransitionInput, expectedVersion: number): Promise<RepairOrder> {
    const at = this.now().toISOString();
    return this.change(id, (ro) => decideRepairOrderTransition(ro, input, at), expectedVersion);
  }

  // ——— Lines, quotes and approval (报价 · 确认) ——————————————————————————————————————————————————

  /**
   * A line of work: by the advisor (on the version read), or 增修 reported by a technician while the
   * workshop has the car (`addOn`: on the latest version; outside the workshop a 409).
   */
  async addLine(
    tenant: TenantData,
    id: string,
    request: LineWorkRequest,
    opts: { addOn: boolean; expectedVersion?: number | undefined },
  ): Promise<RepairOrder> {
    const [{ labourRates }, catalogue] = await Promise.all([
      tenant.repo(StoreSetups).current(),
      this.catalogue(tenant, request),
    ]);
    const decide = opts.addOn ? decideAddOn : decideLineAddition;
    return this.change(
      id,
      async (ro) =>
        decide(ro, await this.priced(tenant, ro, request, catalogue), labourRates, this.signature()),
      opts.expectedVersion,
    );
  }

  /** A line's diagnosis and price (3C, labour, parts, consumables, payer, discount) on the version read. */
  async editLine(
    tenant: TenantData,
    id: string,
    lineId: string,
    request: LineWorkRequest,
    expectedVersion: number,
  ): Promise<RepairOrder> {
    const [{ labourRates }, catalogue] = await Promise.all([
      tenant.repo(StoreSetups).current(),
      this.catalogue(tenant, request),
    ]);
    const at = this.now().toISOString();
    return this.change(
      id,
      async (ro) =>
        decideLineWork(ro, lineId, await this.priced(tenant, ro, request, catalogue), labourRates, at),
      expectedVersion,
    );
  }

  /** 报价: the next quote version, at the store's tax rate, of the version read. */
  async quote(tenant: TenantData, id: string, expectedVersion: number): Promise<RepairOrder> {
    const { taxRateBp } = await tenant.repo(StoreSetups).current();
    return this.change(id, (ro) => decideQuote(ro, taxRateBp, this.signature()), expectedVersion);
  }

  /**
   * 客户确认 of a quote version. The version named in the input is the precondition (no If-Match): two
   * advisors recording the same approval at once give one, the other's lines are already decided (409).
   */
  approve(
    id: string,
    input: QuoteApprovalInput,
    recordedBy?: Signature,
    extra: TxOp[] = [],
  ): Promise<RepairOrder> {
    return this.change(id, (ro) => ({ ...decideApproval(ro, input, recordedBy ?? this.signature()), extra }));
  }

  // ——— The workshop floor (派工 · 开工 · 三检) ——————————————————————————————————————————————————

  /**
   * 派工: an approved line to a technician with the skill and level its operations need, in a bay in use.
   * The technician and the bays do not depend on the order (read once); the line's operations are read
   * from the order each attempt reads.
   */
  async dispatch(tenant: TenantData, id: string, lineId: string, input: DispatchInput): Promise<RepairOrder> {
    const [technician, { bays }] = await Promise.all([
      tenant.repo(StaffMembers).get(input.technicianId),
      tenant.repo(StoreSetups).current(),
    ]);
    const at = this.now().toISOString();
    return this.change(id, async (ro) => {
      const line = ro.lines.find((l) => l.id === lineId);
      const ops = await tenant
        .repo(LabourOps)
        .getMany([...new Set(line?.labour.map((l) => l.labourOpId) ?? [])]);
      return decideLineDispatch(ro, lineId, input, { technician, ops, bays }, at);
    });
  }

  /**
   * 开工: the caller clocks on a line given to them (a workshop manager on any). One RO's guard item
   * makes a technician clocked on another RO a 409 naming it, even when both clock on at once.
   */
  async clockOn(tenant: TenantData, id: string, lineId: string): Promise<RepairOrder> {
    const { concurrentClocking } = await tenant.repo(StoreSetups).current();
    const store = { concurrentClockingAllowed: concurrentClocking, openElsewhere: [] };
    const at = this.now().toISOString();
    return this.change(id, (ro) => decideClockOnAs(ro, lineId, this.ctx.actor, store, at));
  }

  /** 收工 / 暂停: the caller's open stretch on the line ends, done or paused with its reason. */
  clockOff(id: string, lineId: string, input: ClockOffInput): Promise<RepairOrder> {
    const at = this.now().toISOString();
    return this.change(id, (ro) => decideClockOff(ro, lineId, this.ctx.actor.userId, input, at));
  }

  /** 三检: a check by the hands its stage needs (self, team, final). */
  check(id: string, lineId: string, input: QualityCheckInput): Promise<RepairOrder> {
    return this.change(id, (ro) => {
      const line = ro.lines.find((l) => l.id === lineId);
      if (line) requireChecker(line, input.stage, this.ctx.actor);
      return decideQualityCheck(ro, lineId, input, this.signature());
    });
  }

  /** 会诊: the line put to the technical director with the caller's note (paused if being worked). */
  escalate(id: string, lineId: string, input: EscalationNoteInput): Promise<RepairOrder> {
    return this.change(id, (ro) => decideEscalation(ro, lineId, input, this.signature()));
  }

  /** 会诊: the technical director's answer, which returns the line to work. */
  answerEscalation(id: string, lineId: string, input: EscalationNoteInput): Promise<RepairOrder> {
    return this.change(id, (ro) => decideEscalationAnswer(ro, lineId, input, this.signature()));
  }

  /**
   * The workshop board (控工看板): every open RO as a card and every technician with what they are on,
   * at most one Query of orders and one of staff, whatever the store's history.
   */
  async board(tenant: TenantData): Promise<WorkshopBoard> {
    const [orders, staff] = await Promise.all([
      this.open({ limit: BOARD_SIZE }),
      tenant.repo(StaffMembers).list({ limit: STAFF_READ }),
    ]);
    const now = this.now().toISOString();
    const technicians = staff.items.filter((s) => s.status === 'active' && s.roles.includes('technician'));
    // The advisors' names come from the same staff read: no request more.
    const names = new Map(staff.items.map((s) => [s.id, s.displayName]));
    return {
      at: now,
      cards: orders.items.map((ro) => boardCard(ro, now, names)),
      technicians: boardTechnicians(technicians, orders.items),
      truncated: orders.nextCursor !== undefined,
    };
  }

  /**
   * 领料 (以旧换新): the line's part issued from a bin with the old part's fate, or 退料: returned to a
   * bin. The ledger's movement (against the RO as its document) and the line's record are one
   * transaction, so stock and order never disagree; an order changed meanwhile is read again.
   */
  async movePart(
    tenant: TenantData,
    id: string,
    lineId: string,
    input: { kind: 'issue'; fields: PartIssueFields } | { kind: 'return'; fields: PartReturnInput },
  ): Promise<RepairOrder> {
    const { fields } = input;
    const part = await tenant.repo(Parts).require(fields.partId);
    const document = { type: 'repair_order' as const, id };
    // What the order holds of the part (预留 on approval) is what its issue consumes first.
    const held =
      input.kind === 'issue'
        ? ((await tenant.repo(StockLedger).reservation(part.id, document))?.quantity ?? 0)
        : 0;
    const movement =
      input.kind === 'issue'
        ? {
            kind: 'issue' as const,
            bin: fields.bin,
            quantity: fields.quantity,
            document,
            fromReservation: input.fields.fromReservation || held >= fields.quantity,
            oldPartReturned: true,
            reason: `${lineId}: ${input.fields.oldPart}`,
          }
        : { kind: 'return' as const, bin: fields.bin, quantity: fields.quantity, document, reason: lineId };
    for (let attempt = 1; ; attempt++) {
      const ro = await this.require(id);
      const decision = decidePartIssue(
        ro,
        lineId,
        {
          partId: part.id,
          partNumber: part.partNumber,
          quantity: input.kind === 'issue' ? fields.quantity : -fields.quantity,
          ...(input.kind === 'issue'
            ? { oldPart: input.fields.oldPart, ...(input.fields.note ? { note: input.fields.note } : {}) }
            : {}),
        },
        this.signature(),
      );
      try {
        await tenant
          .repo(StockLedger)
          .move(part, movement, { extra: this.saveOps(ro, decision.next, decision) });
        return decision.next;
      } catch (err) {
        if (!(err instanceof VersionConflictError) || attempt >= ATTEMPTS) throw err;
      }
    }
  }

  // ——— Settlement and delivery (结算 · 交车) ————————————————————————————————————————————————

  /** 结算 of a ready order, the customer's share paid exactly. */
  settle(id: string, input: RepairOrderSettlementFields, expectedVersion: number): Promise<RepairOrder> {
    return this.change(id, (ro) => decideRepairOrderSettlement(ro, input, this.signature()), expectedVersion);
  }

  /** 交车 with its checklist; the event feeds follow-up calls, the 三包 counters and the figures. */
  deliver(id: string, input: DeliveryInput, expectedVersion: number): Promise<RepairOrder> {
    return this.change(id, (ro) => decideRepairOrderDelivery(ro, input, this.signature()), expectedVersion);
  }

  /** The catalogue entries a line names (two reads, in parallel): they do not depend on the order. */
  private async catalogue(tenant: TenantData, request: LineWorkRequest): Promise<LineCatalogue> {
    const [ops, parts] = await Promise.all([
      tenant.repo(LabourOps).getMany([...new Set(request.labour.map((l) => l.labourOpId))]),
      tenant.repo(Parts).getMany([...new Set(request.parts.map((p) => p.partId))]),
    ]);
    return { ops, parts };
  }

  /** A line's work priced for the order as read (its vehicle's model sets the hours: one read). */
  private async priced(
    tenant: TenantData,
    ro: RepairOrder,
    request: LineWorkRequest,
    catalogue: LineCatalogue,
  ): Promise<LineWork> {
    const vehicle = await tenant.vehicles.get(ro.vehicleId);
    return lineWorkFrom(request, catalogue, vehicle?.model);
  }

  // ——— How every change is written ——————————————————————————————————————————————————————————

  private signature(): Signature {
    return { userId: this.ctx.actor.userId, name: this.ctx.actor.name, at: this.now().toISOString() };
  }

  /**
   * One decided change. With `expectedVersion` (an edit the user made on what they saw) a stale version
   * is the caller's 409; without it the decision is taken again on a fresh read when another writer came
   * first, since it depends only on the order's state (a clocking, a check, an approval of a named quote).
   * No decision (nothing changes) writes nothing. The decision gets the order this attempt read, and
   * reads what else it needs from it (the line's operations, the vehicle): the order is read once an attempt.
   */
  private async change(
    id: string,
    decide: (ro: RepairOrder) => Decided | Promise<Decided>,
    expectedVersion?: number,
  ): Promise<RepairOrder> {
    for (let attempt = 1; ; attempt++) {
      const current =
        expectedVersion === undefined
          ? await this.require(id)
          : await this.requireVersion(id, expectedVersion);
      const decision = await decide(current);
      if (!decision) return current;
      try {
        return await this.save(current, decision.next, decision);
      } catch (err) {
        if (!(err instanceof VersionConflictError) || expectedVersion !== undefined || attempt >= ATTEMPTS)
          throw err;
      }
    }
  }
}
