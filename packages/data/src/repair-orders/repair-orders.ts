import {
  type CheckInFields,
  ConflictError,
  decideCheckIn,
  decideRepairOrderEdit,
  decideRepairOrderTransition,
  newId,
  RepairOrder,
  type RepairOrderPatch,
  type RepairOrderStatus,
  type RepairOrderTransitionInput,
  ValidationError,
} from '@aftersales/domain';
import { Appointments } from '../appointments/appointments.ts';
import { registryParty } from '../appointments/changes.ts';
import type { TenantData } from '../index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { type IdempotencyRequest, idempotentResult } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

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
 * - booking     `<t>#ROAPPT#<appointmentId>`: a unique guard, so a booking is checked in once
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
  },
});

export class RepairOrders extends AggregateRepository<typeof REPAIR_ORDER> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, REPAIR_ORDER);
  }

  /** The open orders (the workshop board): by status, then earliest promised first; one Query a page. */
  open(page: PageRequest & { status?: RepairOrderStatus | undefined }): Promise<Page<RepairOrder>> {
    const { status, ...range } = page;
    return this.queryIndex('open', [], { ...(status ? { sk: { beginsWith: `${status}#` } } : {}), ...range });
  }

  /** A vehicle's repair orders, newest first: one Query a page. */
  ofVehicle(vehicleId: string, page: PageRequest): Promise<Page<RepairOrder>> {
    return this.queryIndex('byVehicle', [vehicleId], { newestFirst: true, ...page });
  }

  /**
   * 接车: opens an order from a booking or for a walk-in. Reads the customer and vehicle (a missing one
   * is a field error), the booking (its vehicle must be the one checked in) and the vehicle's readings
   * around now (the odometer only goes up). The booking's own move to `checked_in` is the appointments'
   * (not written here); the order's guard item makes a second check-in of one booking a 409.
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
    const [{ customer, vehicle }, around] = await Promise.all([
      registryParty(tenant, input.customerId, input.vehicleId),
      tenant.vehicles.readingsAround(input.vehicleId, at.toISOString()),
      input.source.kind === 'booking' ? this.requireBooking(tenant, input) : Promise.resolve(),
    ]);
    const decision = decideCheckIn(
      input,
      {
        odometer: { now: at, modelYear: vehicle.modelYear, ...around },
        advisorId: this.ctx.actor.userId,
        plate: vehicle.plate,
        customerName: customer.name,
      },
      { id: newId('ro'), storeId: this.t.tenantId, at: at.toISOString() },
    );
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
    });
    return { repairOrder: record, created };
  }

  /** The booking checked in: in this store, and booked for this vehicle when it names one. */
  private async requireBooking(tenant: TenantData, input: CheckInFields): Promise<void> {
    if (input.source.kind !== 'booking') return;
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
  }

  /** The header edited (promised time, concerns' words) on the version read; no change writes nothing. */
  async edit(id: string, patch: RepairOrderPatch, expectedVersion: number): Promise<RepairOrder> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideRepairOrderEdit(current, patch, this.now().toISOString());
    if (!decision) return current;
    return this.save(current, decision.next, decision);
  }

  /** A move staff make by hand (diagnosis, cancellation) on the version read; the same status changes nothing. */
  async transition(
    id: string,
    input: RepairOrderTransitionInput,
    expectedVersion: number,
  ): Promise<RepairOrder> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideRepairOrderTransition(current, input, this.now().toISOString());
    if (!decision) return current;
    return this.save(current, decision.next, decision);
  }
}
