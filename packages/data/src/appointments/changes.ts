import {
  type Appointment,
  type AppointmentLine,
  type AppointmentPatch,
  addLoad,
  ConflictError,
  decideAppointmentEdit,
  decideLink,
  decideReschedule,
  entriesOf,
  estimateOf,
  linesFor,
  loadOf,
  NO_WORK,
  nextVersion,
  type RescheduleInput,
  slotInstant,
  ValidationError,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { LabourOps } from '../setup/labour-ops.ts';
import { Appointments } from './appointments.ts';
import { type BookingContext, checkRoom, type SisterStoreFinder } from './booking.ts';

/**
 * The requested operations from the catalogue, at their hours for the vehicle's model, in the order
 * asked. An unknown id is a 400 on its field (`LABOUR_OP_NOT_FOUND`); an inactive operation a 409
 * `LABOUR_OP_UNAVAILABLE` naming them.
 */
export async function resolveLines(
  tenant: TenantData,
  labourOpIds: readonly string[],
  model: string | undefined,
): Promise<AppointmentLine[]> {
  if (labourOpIds.length === 0) return [];
  const unique = [...new Set(labourOpIds)];
  const found = new Map((await tenant.repo(LabourOps).getMany(unique)).map((op) => [op.id, op]));
  // An id the catalogue never had is a mistake in the request (a field error, as a missing customer
  // is); an operation no longer offered is the catalogue saying no (409).
  const unknown = labourOpIds.flatMap((id, i) => (found.has(id) ? [] : [i]));
  if (unknown.length > 0)
    throw new ValidationError(
      unknown.map((i) => ({
        path: `labourOpIds.${i}`,
        code: 'LABOUR_OP_NOT_FOUND',
        message: `No labour operation ${labourOpIds[i]} in the catalogue.`,
      })),
    );
  const unavailable = unique.filter((id) => !found.get(id)?.active);
  if (unavailable.length > 0)
    throw new ConflictError(409, 'LABOUR_OP_UNAVAILABLE', `No longer offered: ${unavailable.join(', ')}.`, {
      labourOpIds: unavailable,
    });
  return linesFor(
    labourOpIds.map((id) => found.get(id)!),
    model,
  );
}

/** A customer and vehicle of the registry, for a booking: a missing one is a field error of the request. */
export async function registryParty(tenant: TenantData, customerId: string, vehicleId: string) {
  const [customer, vehicle] = await Promise.all([
    tenant.customers.get(customerId),
    tenant.vehicles.get(vehicleId),
  ]);
  const missing = [
    ...(customer
      ? []
      : [
          {
            path: 'customerId',
            code: 'CUSTOMER_NOT_FOUND',
            message: `No customer ${customerId} in this store.`,
          },
        ]),
    ...(vehicle
      ? []
      : [
          { path: 'vehicleId', code: 'VEHICLE_NOT_FOUND', message: `No vehicle ${vehicleId} in this store.` },
        ]),
  ];
  if (missing.length > 0 || !customer || !vehicle) throw new ValidationError(missing);
  return { customer, vehicle };
}

const fullError = (date: string) =>
  new ConflictError(409, 'CAPACITY_FULL', `${date} filled up while you were changing this booking.`, {
    date,
    nextDays: [],
    sisterStores: [],
  });

/**
 * An edit of the work booked: lines, load and estimate follow. More hours must fit the day (unless the
 * booking is urgent: it may overbook), fewer give hours back — one conditional update of the day item
 * in the booking's transaction.
 */
export async function editBooking(
  tenant: TenantData,
  context: BookingContext,
  id: string,
  patch: AppointmentPatch,
  expectedVersion: number,
  sisterStores?: SisterStoreFinder,
): Promise<Appointment> {
  const repo = tenant.repo(Appointments);
  const current = await repo.requireVersion(id, expectedVersion);
  const { labourOpIds, ...rest } = patch;
  let lines = current.lines;
  if (labourOpIds) {
    const vehicle = current.vehicleId ? await tenant.vehicles.get(current.vehicleId) : undefined;
    lines = await resolveLines(tenant, labourOpIds, vehicle?.model);
  }
  const at = tenant.now().toISOString();
  const merged = nextVersion(current, rest, at);
  if (lines.length === 0 && !merged.concern)
    throw new ValidationError([
      {
        path: 'concern',
        code: NO_WORK,
        message: 'Name a labour operation or write what the customer asks for.',
      },
    ]);
  const load = loadOf(lines, merged);
  const decision = decideAppointmentEdit(
    current,
    rest,
    { lines, load, estimate: estimateOf(load, context.setup) },
    at,
  );
  if (!decision) return current;
  const delta = addLoad(load, current.load, -1);
  const more = Object.fromEntries(entriesOf(delta).filter(([, t]) => t > 0));
  let capacity: typeof load | undefined;
  if (Object.keys(more).length > 0 && !current.urgent) {
    const { day } = await checkRoom(repo, context, current.date, more, undefined, sisterStores);
    capacity = day.capacity;
  }
  const changed = entriesOf(delta).some(([, t]) => t !== 0);
  return repo.saveWithDays(
    current,
    decision,
    changed
      ? [
          {
            date: current.date,
            load: delta,
            sign: 1,
            capacity,
            counts: {},
            onFull: () => fullError(current.date),
          },
        ]
      : [],
  );
}

/**
 * 改约: the booking's load leaves its old day and takes the new one in one transaction; a full new day
 * is a 409 `CAPACITY_FULL` with its alternatives, unless the booking is urgent (it overbooks).
 */
export async function rescheduleBooking(
  tenant: TenantData,
  context: BookingContext,
  id: string,
  input: RescheduleInput,
  expectedVersion: number,
  sisterStores?: SisterStoreFinder,
): Promise<Appointment> {
  const repo = tenant.repo(Appointments);
  const current = await repo.requireVersion(id, expectedVersion);
  const startsAt = slotInstant(context.setup, input, tenant.now());
  const urgent = input.urgent ?? current.urgent;
  const sameDay = input.date === current.date;
  const room = sameDay
    ? { day: undefined, overbooked: current.overbooked }
    : await checkRoom(repo, context, input.date, current.load, urgent, sisterStores);
  const decision = decideReschedule(current, input, startsAt, room.overbooked, tenant.now().toISOString());
  if (!decision) return current;
  const counts = (n: 1 | -1) => ({ [current.status]: n });
  return repo.saveWithDays(
    current,
    { ...decision, action: 'reschedule' },
    sameDay
      ? []
      : [
          { date: current.date, load: current.load, sign: -1, counts: counts(-1) },
          {
            date: input.date,
            load: current.load,
            sign: 1,
            capacity: room.overbooked ? undefined : room.day?.capacity,
            counts: counts(1),
            onFull: () => fullError(input.date),
          },
        ],
  );
}

/** Links a public request to the registry's customer and vehicle, with their name and plate as a snapshot. */
export async function linkRequest(
  tenant: TenantData,
  id: string,
  link: { customerId: string; vehicleId: string },
  expectedVersion: number,
): Promise<Appointment> {
  const repo = tenant.repo(Appointments);
  const [current, party] = await Promise.all([
    repo.requireVersion(id, expectedVersion),
    registryParty(tenant, link.customerId, link.vehicleId),
  ]);
  const decision = decideLink(
    current,
    { ...link, customerName: party.customer.name, plate: party.vehicle.plate },
    tenant.now().toISOString(),
  );
  return repo.saveWithDays(current, { ...decision, action: 'link' }, []);
}
