import {
  type AppError,
  Appointment,
  type AppointmentDay,
  type AppointmentStatus,
  AppointmentStatus as AppointmentStatuses,
  type AuditActionName,
  type BayLoad,
  BayType,
  type Decision,
  dayCapacity,
  decideTransition,
  entriesOf,
  holdsCapacity,
  type StoreSetup,
  type TransitionInput,
  type Workforce,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import { registerKeyPrefix } from '../platform/keys.ts';
import type {
  Item,
  Key,
  Page,
  PageRequest,
  TenantContext,
  TenantTable,
  TxOp,
} from '../platform/tenant-table.ts';

/**
 * 预约, one item per booking. Keys, all from this declaration:
 * - booking       pk `<t>#APPT#<id>` sk `#APPT`
 * - calendar      gsi1 `<t>#APPTS` / `<date>T<time>#<id>`: a day's or a week's bookings in one Query,
 *                 whatever the store's total (a day holds what its capacity lets in)
 * - by customer   gsi2 `<t>#APPTCUS#<customerId>` / `<startsAt>#<id>` (a public request has none yet)
 * - day           pk `<t>#APPTDAY#<date>` sk `#APPTDAY`: the day's booked tenths per bay type and its
 *                 bookings per status, the item every booking's transaction adds to under a condition,
 *                 so two advisors booking the last hour at once cannot both get it
 */
export const APPOINTMENT = defineAggregate({
  name: 'appointment',
  label: 'Appointment',
  idParam: 'appointmentId',
  prefix: 'APPT',
  recordSk: '#APPT',
  schema: Appointment,
  indexes: {
    calendar: { index: 'gsi1', prefix: 'APPTS', key: (a) => ({ pk: [], sk: `${a.date}T${a.time}#${a.id}` }) },
    byCustomer: {
      index: 'gsi2',
      prefix: 'APPTCUS',
      key: (a) => (a.customerId ? { pk: [a.customerId], sk: `${a.startsAt}#${a.id}` } : undefined),
    },
  },
});

const DAY_PREFIX = 'APPTDAY';
registerKeyPrefix(DAY_PREFIX, 'appointment.day');

/** Flat attribute names of the day item: `ADD` and conditions need top-level numbers, not map members. */
const bookedAttr = (type: string) => `booked_${type}`;
const countAttr = (status: string) => `count_${status}`;

/** What a write does to its day: tenths taken (+) or given back (−), bookings moved between statuses. */
export interface DayChange {
  date: string;
  load: BayLoad;
  sign: 1 | -1;
  /** Room the load must fit in (its bay types' capacity); absent: no check (giving back, or overbooking). */
  capacity?: BayLoad | undefined;
  counts: Partial<Record<AppointmentStatus, number>>;
  onFull?: () => AppError;
}

export class Appointments extends AggregateRepository<typeof APPOINTMENT> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, APPOINTMENT);
  }

  dayKey(date: string): Key {
    return { pk: this.t.key(DAY_PREFIX, date), sk: `#${DAY_PREFIX}` };
  }

  /**
   * The day item's update: `ADD` the tenths and status counts, on condition that each bay type the load
   * takes stays within `capacity` (booked ≤ capacity − load before the add). One update per change, in
   * the booking's own transaction.
   */
  dayOp(change: DayChange): TxOp {
    const add: Record<string, number> = {};
    for (const [type, tenths] of entriesOf(change.load)) add[bookedAttr(type)] = change.sign * tenths;
    for (const [status, n] of Object.entries(change.counts)) if (n) add[countAttr(status)] = n;
    const op: TxOp = {
      update: this.dayKey(change.date),
      changes: { add, set: { type: 'AppointmentDay', date: change.date } },
    };
    if (!change.capacity || change.sign < 0) return op;
    const values: Item = {};
    const names: Record<string, string> = {};
    // Only what the change takes must fit: a bay type it gives back never refuses it.
    const taken = entriesOf(change.load).filter(([, tenths]) => tenths > 0);
    const conditions = taken.map(([type, tenths], i) => {
      names[`#b${i}`] = bookedAttr(type);
      values[`:m${i}`] = (change.capacity?.[type] ?? 0) - tenths;
      return `(attribute_not_exists(#b${i}) AND :m${i} >= :zero) OR #b${i} <= :m${i}`;
    });
    if (conditions.length === 0) return op;
    values[':zero'] = 0;
    return {
      ...op,
      condition: conditions.map((c) => `(${c})`).join(' AND '),
      names,
      values,
      ...(change.onFull ? { onConditionFailed: change.onFull } : {}),
    };
  }

  /** Days as stored (booked tenths, counts); a day nobody booked has no item and reads empty. */
  async storedDays(
    dates: readonly string[],
  ): Promise<Map<string, Pick<AppointmentDay, 'booked' | 'counts'>>> {
    const items = await this.t.getMany(dates.map((d) => this.dayKey(d)));
    const days = new Map<string, Pick<AppointmentDay, 'booked' | 'counts'>>();
    for (const date of dates) days.set(date, { booked: {}, counts: {} });
    for (const item of items) days.set(String(item.date), dayOf(item));
    return days;
  }

  /** The days with their capacity from the set-up and the workforce on shift: the calendar's bars. */
  async days(
    dates: readonly string[],
    setup: StoreSetup,
    workforce: readonly Workforce[],
  ): Promise<AppointmentDay[]> {
    const stored = await this.storedDays(dates);
    return dates.map((date) => ({ date, ...dayCapacity(setup, workforce, date), ...stored.get(date)! }));
  }

  /** Creates a booking with its day's update (and any further operations), idempotently. */
  async createBooking(
    decision: Decision<Appointment>,
    day: DayChange,
    opts: { idempotency?: IdempotencyRequest | undefined; extra?: TxOp[] } = {},
  ): Promise<{ appointment: Appointment; created: boolean }> {
    const { record, created } = await this.createRecord(decision.next, {
      ...decision,
      idempotency: opts.idempotency,
      extra: [this.dayOp(day), ...(opts.extra ?? [])],
    });
    return { appointment: record, created };
  }

  /** Saves a decided change with the day updates it implies (a move between days is two). */
  async saveWithDays(
    current: Appointment,
    decision: Decision<Appointment> & { action?: AuditActionName },
    days: DayChange[],
    extra: TxOp[] = [],
  ): Promise<Appointment> {
    return this.save(current, decision.next, {
      ...decision,
      extra: [...days.map((d) => this.dayOp(d)), ...extra],
    });
  }

  /** A status move: the day's counts follow, and a booking that stops holding capacity gives it back. */
  async transition(
    id: string,
    input: TransitionInput,
    expectedVersion: number,
    extra: TxOp[] = [],
  ): Promise<Appointment> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideTransition(current, input, this.now());
    if (!decision) return current;
    await this.t.transact(this.statusOps(current, decision, extra));
    return decision.next;
  }

  /**
   * A status move of a booking already read, as operations for another aggregate's transaction (the
   * repair order's check-in moves its booking to `checked_in`); the same status gives none.
   */
  transitionOps(current: Appointment, input: TransitionInput): TxOp[] {
    const decision = decideTransition(current, input, this.now());
    return decision ? this.statusOps(current, decision) : [];
  }

  private statusOps(
    current: Appointment,
    decision: Decision<Appointment> & { action?: AuditActionName },
    extra: TxOp[] = [],
  ): TxOp[] {
    const release = holdsCapacity(current.status) && !holdsCapacity(decision.next.status);
    const day: DayChange = {
      date: current.date,
      load: release ? current.load : {},
      sign: -1,
      counts: { [current.status]: -1, [decision.next.status]: 1 },
    };
    return this.saveOps(current, decision.next, { ...decision, extra: [this.dayOp(day), ...extra] });
  }

  /** Bookings from `from` to `to` (store-local days, inclusive) in slot order: one Query a page. */
  between(from: string, to: string, page: PageRequest): Promise<Page<Appointment>> {
    return this.queryIndex('calendar', [], { sk: { between: [`${from}T`, `${to}T~`] }, ...page });
  }

  /** A customer's bookings, newest slot first. */
  ofCustomer(customerId: string, page: PageRequest): Promise<Page<Appointment>> {
    return this.queryIndex('byCustomer', [customerId], { newestFirst: true, ...page });
  }
}

/** The stored day item as the calendar reads it. */
function dayOf(item: Item): Pick<AppointmentDay, 'booked' | 'counts'> {
  const booked: BayLoad = {};
  for (const type of BayType.options) {
    const n = item[bookedAttr(type)];
    if (typeof n === 'number') booked[type] = n;
  }
  const counts: AppointmentDay['counts'] = {};
  for (const status of AppointmentStatuses.options) {
    const n = item[countAttr(status)];
    if (typeof n === 'number') counts[status] = n;
  }
  return { booked, counts };
}
