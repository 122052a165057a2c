import {
  type Appointment,
  type AppointmentDay,
  admit,
  type BayLoad,
  ConflictError,
  decideAppointmentCreation,
  estimateOf,
  fits,
  followingDays,
  loadOf,
  newId,
  type StoreSetup,
  slotInstant,
  type Workforce,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { TxOp } from '../platform/tenant-table.ts';
import { StoreSetups } from '../setup/store-setup.ts';
import { StaffMembers } from '../staff/staff.ts';
import { Appointments } from './appointments.ts';

/** What a booking is checked against: the store's set-up and who is on shift (two reads). */
export interface BookingContext {
  setup: StoreSetup;
  workforce: Workforce[];
}

/** A store has a few dozen people: one page holds them all. */
const STAFF_READ = 200;

/** The set-up (one GetItem) and the active technicians' shifts (one Query of the staff list). */
export async function bookingContext(tenant: TenantData, timeZone: string): Promise<BookingContext> {
  const [setup, staff] = await Promise.all([
    tenant.repo(StoreSetups).current(timeZone),
    tenant.repo(StaffMembers).list({ limit: STAFF_READ }),
  ]);
  const workforce = staff.items.filter((s) => s.status === 'active' && s.roles.includes('technician'));
  return { setup, workforce };
}

/** Sister stores of the store's group with room for `load` on `date` (the group's projection). */
export type SisterStoreFinder = (date: string, load: BayLoad) => Promise<{ storeId: string; name: string }[]>;

/** A booking as decided by the desk, the phone or the public page, before its slot and room are checked. */
export type BookingFields = Omit<
  Appointment,
  | 'id'
  | 'storeId'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
  | 'startsAt'
  | 'load'
  | 'estimate'
  | 'overbooked'
  | 'papers'
> & { papers?: string[] | undefined };

/**
 * Books a slot: the store open then, the slot ahead, and room for the booking's load on its day — or an
 * urgent fault overbooking it. The day item's conditional update makes the check exact under races; a
 * booking that loses a race is checked again, so its refusal names the next days and sister stores too.
 */
export async function book(
  tenant: TenantData,
  context: BookingContext,
  fields: BookingFields,
  opts: {
    idempotency?: IdempotencyRequest | undefined;
    sisterStores?: SisterStoreFinder | undefined;
    /** Further writes of the same transaction (the public page's single-use proof). */
    extra?: TxOp[];
  } = {},
): Promise<{ appointment: Appointment; created: boolean }> {
  const repo = tenant.repo(Appointments);
  const { setup, workforce } = context;
  const startsAt = slotInstant(setup, fields, tenant.now());
  const load = loadOf(fields.lines, fields);
  const attempt = async () => {
    const [day] = await repo.days([fields.date], setup, workforce);
    const { overbooked } = admit(
      {
        day: day!,
        ...(fits(day!, load) ? {} : await alternatives(repo, context, day!, load, opts.sisterStores)),
      },
      load,
      fields.urgent,
    );
    const decision = decideAppointmentCreation(
      {
        ...fields,
        papers: fields.papers ?? setup.papers.map((p) => p.code),
        startsAt,
        load,
        estimate: estimateOf(load, setup),
        overbooked,
      },
      { id: newId('apt'), storeId: tenant.table.tenantId, at: tenant.now().toISOString() },
    );
    return repo.createBooking(
      decision,
      {
        date: fields.date,
        load,
        sign: 1,
        capacity: overbooked ? undefined : day!.capacity,
        counts: { [fields.status]: 1 },
        onFull: () => new LostRace(),
      },
      { idempotency: opts.idempotency, ...(opts.extra ? { extra: opts.extra } : {}) },
    );
  };
  try {
    return await attempt();
  } catch (e) {
    if (e instanceof LostRace) return attempt();
    throw e;
  }
}

/** Someone else took the room between the read and the write: check again (their booking now counts). */
class LostRace extends ConflictError {
  constructor() {
    super(409, 'CAPACITY_FULL', 'The day filled up while you were booking.');
  }
}

/** The store's next days with room and the group's stores with room on the day asked for. */
async function alternatives(
  repo: Appointments,
  { setup, workforce }: BookingContext,
  day: AppointmentDay,
  load: BayLoad,
  sisterStores: SisterStoreFinder | undefined,
) {
  const [later, sisters] = await Promise.all([
    repo.days(followingDays(day.date), setup, workforce),
    sisterStores ? sisterStores(day.date, load) : Promise.resolve([]),
  ]);
  return {
    nextDays: later.filter((d) => d.open && fits(d, load)).map((d) => d.date),
    sisterStores: sisters,
  };
}
