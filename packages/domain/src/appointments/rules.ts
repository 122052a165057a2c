import { diffRecords } from '../audit.ts';
import { type Creation, type Decision, editDecision, nextVersion } from '../decision.ts';
import { newEvent } from '../events.ts';
import { ConflictError } from '../platform/errors.ts';
import { addDays, minutesOf, weekdayOf, zonedInstant } from '../platform/local-time.ts';
import { taxOnMinor } from '../platform/money.ts';
import type { BayType, LabourOp, StoreSetup } from '../setup/model.ts';
import { hoursFor } from '../setup/rules.ts';
import type { WeeklyShifts } from '../staff/model.ts';
import type {
  Appointment,
  AppointmentDay,
  AppointmentFields,
  AppointmentLine,
  AppointmentPatch,
  AppointmentStatus,
  BayLoad,
  CostEstimate,
  RescheduleInput,
  StoreRoom,
  TransitionInput,
  Urgency,
} from './model.ts';

// ——— Capacity (产能) ———————————————————————————————————————————————————————————————————

/** Who works in the workshop on a day: a technician's weekly shifts (active technicians only). */
export interface Workforce {
  shifts: WeeklyShifts;
}

/** The day's opening hours, or none when the store is closed (a closed weekday or a holiday). */
export function openingOn(setup: Pick<StoreSetup, 'openingHours' | 'holidays'>, date: string) {
  if (setup.holidays.some((h) => h.date === date)) return undefined;
  const day = weekdayOf(date);
  return setup.openingHours[day];
}

const overlapMinutes = (a: { from: number; to: number }, b: { from: number; to: number }) =>
  Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from));

/**
 * A day's capacity in tenths of a labour hour per bay type: each active bay gives the day's open hours,
 * and when fewer technician hours are on shift than bay hours (the usual case), every bay type's share
 * shrinks in proportion — a bay without a technician does no work. A closed day has none.
 */
export function dayCapacity(
  setup: Pick<StoreSetup, 'openingHours' | 'holidays' | 'bays'>,
  workforce: readonly Workforce[],
  date: string,
): { open: boolean; capacity: BayLoad } {
  const hours = openingOn(setup, date);
  if (!hours) return { open: false, capacity: {} };
  const open = { from: minutesOf(hours.open), to: minutesOf(hours.close) };
  const openTenths = Math.floor((open.to - open.from) / 6);
  const bayTenths: BayLoad = {};
  for (const bay of setup.bays) if (bay.active) bayTenths[bay.type] = (bayTenths[bay.type] ?? 0) + openTenths;
  const totalBays = sumLoad(bayTenths);
  const weekday = weekdayOf(date);
  const staffed = workforce.reduce((sum, person) => {
    const shift = person.shifts[weekday];
    if (!shift) return sum;
    return (
      sum + Math.floor(overlapMinutes(open, { from: minutesOf(shift.start), to: minutesOf(shift.end) }) / 6)
    );
  }, 0);
  if (staffed >= totalBays) return { open: true, capacity: bayTenths };
  const capacity: BayLoad = {};
  for (const [type, tenths] of entriesOf(bayTenths))
    capacity[type] = Math.floor((tenths * staffed) / totalBays);
  return { open: true, capacity };
}

export function entriesOf(load: BayLoad): [BayType, number][] {
  return Object.entries(load).filter((e): e is [BayType, number] => typeof e[1] === 'number');
}

export function sumLoad(load: BayLoad): number {
  return entriesOf(load).reduce((sum, [, tenths]) => sum + tenths, 0);
}

/** Two loads added (a day's booked hours and a booking's), or taken apart (`sign` −1). */
export function addLoad(a: BayLoad, b: BayLoad, sign: 1 | -1 = 1): BayLoad {
  const out: BayLoad = { ...a };
  for (const [type, tenths] of entriesOf(b)) out[type] = (out[type] ?? 0) + sign * tenths;
  return out;
}

/** What a load lacks on a day, per bay type (empty when it fits). */
export function shortfall(day: Pick<AppointmentDay, 'capacity' | 'booked'>, load: BayLoad): BayLoad {
  const short: BayLoad = {};
  for (const [type, tenths] of entriesOf(load)) {
    const free = (day.capacity[type] ?? 0) - (day.booked[type] ?? 0);
    if (tenths > free) short[type] = tenths - Math.max(0, free);
  }
  return short;
}

/** Room left per bay type (never below 0: an urgent overbooking leaves none, not less than none). */
export function freeRoom(day: Pick<AppointmentDay, 'capacity' | 'booked'>): BayLoad {
  const free: BayLoad = {};
  for (const [type, tenths] of entriesOf(day.capacity))
    free[type] = Math.max(0, tenths - (day.booked[type] ?? 0));
  return free;
}

export const fits = (day: Pick<AppointmentDay, 'capacity' | 'booked'>, load: BayLoad) =>
  entriesOf(shortfall(day, load)).length === 0;

// ——— The booking's work, hours and price ————————————————————————————————————————————————————

/** One general hour: the estimate of work described only in the customer's words. */
const DEFAULT_CONCERN = { hours: 1, bayType: 'general' as const };

/** The lines of the requested operations, each at its hours for the vehicle's model. */
export function linesFor(ops: readonly LabourOp[], model: string | undefined): AppointmentLine[] {
  return ops.map((op) => ({
    labourOpId: op.id,
    code: op.code,
    name: op.name,
    tenths: Math.round(hoursFor(op, model) * 10),
    bayType: op.bayType,
  }));
}

/** Tenths per bay type the booking takes: its lines, plus the concern's estimate when no line covers it. */
export function loadOf(
  lines: readonly AppointmentLine[],
  concern: {
    concern?: string | undefined;
    concernEstimate?: { hours: number; bayType: BayType } | undefined;
  },
): BayLoad {
  let load: BayLoad = {};
  for (const line of lines) load = addLoad(load, { [line.bayType]: line.tenths });
  if (concern.concern && (lines.length === 0 || concern.concernEstimate)) {
    const estimate = concern.concernEstimate ?? DEFAULT_CONCERN;
    load = addLoad(load, { [estimate.bayType]: Math.round(estimate.hours * 10) });
  }
  return load;
}

/** 预估费用: every tenth at the customer labour rate, rounded once, and the labour VAT on it. */
export function estimateOf(
  load: BayLoad,
  setup: Pick<StoreSetup, 'labourRates' | 'taxRateBp'>,
): CostEstimate {
  const rate = setup.labourRates.customer;
  const labour = Math.round((sumLoad(load) * rate.amountMinor) / 10);
  const tax = taxOnMinor(labour, setup.taxRateBp);
  const money = (amountMinor: number) => ({ amountMinor, currency: rate.currency });
  return { labour: money(labour), tax: money(tax), total: money(labour + tax) };
}

// ——— The slot ———————————————————————————————————————————————————————————————————————————————

/** What the capacity check needs to know of the day asked for. */
export interface DayRoom {
  day: AppointmentDay;
  /** Later days with room for the load (the store's own), nearest first. */
  nextDays?: string[];
  /** Sister stores of the group with room that day (from the group's projection). */
  sisterStores?: { storeId: string; name: string }[];
}

/**
 * The slot's instant, refused when the store is closed that day, the time is outside its hours, or it
 * has passed. 409s: the request is well formed, the store's calendar says no.
 */
export function slotInstant(
  setup: Pick<StoreSetup, 'openingHours' | 'holidays' | 'timeZone'>,
  slot: { date: string; time: string },
  now: Date,
): string {
  const hours = openingOn(setup, slot.date);
  if (!hours)
    throw new ConflictError(409, 'STORE_CLOSED', `The store is closed on ${slot.date}.`, { date: slot.date });
  if (slot.time < hours.open || slot.time >= hours.close)
    throw new ConflictError(
      409,
      'OUTSIDE_OPENING_HOURS',
      `The store takes bookings between ${hours.open} and ${hours.close} on ${slot.date}.`,
      { open: hours.open, close: hours.close },
    );
  const at = zonedInstant(slot.date, slot.time, setup.timeZone);
  if (at.getTime() <= now.getTime())
    throw new ConflictError(409, 'SLOT_IN_PAST', `${slot.date} ${slot.time} has already passed.`);
  return at.toISOString();
}

/**
 * Whether the load may take the day: it fits, or it is urgent (先急后缓) and overbooks with its reason
 * recorded. A full day otherwise answers 409 `CAPACITY_FULL` with what is short, the store's next days
 * with room and, in a group, the sister stores with room that day.
 */
export function admit(room: DayRoom, load: BayLoad, urgent: Urgency | undefined): { overbooked: boolean } {
  const short = shortfall(room.day, load);
  if (entriesOf(short).length === 0) return { overbooked: false };
  if (urgent) return { overbooked: true };
  throw new ConflictError(409, 'CAPACITY_FULL', `${room.day.date} has no room for this booking.`, {
    date: room.day.date,
    shortTenths: short,
    nextDays: room.nextDays ?? [],
    sisterStores: room.sisterStores ?? [],
  });
}

/** The days after `date` to look at for room (two weeks: what an advisor offers on the phone). */
export function followingDays(date: string, count = 14): string[] {
  return Array.from({ length: count }, (_, i) => addDays(date, i + 1));
}

// ——— The state machine (预约状态) ————————————————————————————————————————————————————————

/** Where each status may go. Checked-in, no-show and cancelled are final. */
const MOVES: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  requested: ['confirmed', 'cancelled'],
  confirmed: ['checked_in', 'no_show', 'cancelled'],
  checked_in: [],
  no_show: [],
  cancelled: [],
};

export function canMove(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return MOVES[from].includes(to);
}

/** Statuses that hold capacity: a cancelled or missed booking gives its hours back. */
export function holdsCapacity(status: AppointmentStatus): boolean {
  return status === 'requested' || status === 'confirmed' || status === 'checked_in';
}

/** Bookings whose slot and work may still change. */
const OPEN: readonly AppointmentStatus[] = ['requested', 'confirmed'];

function notOpenError(current: Appointment, what: string) {
  return new ConflictError(
    409,
    'APPOINTMENT_CLOSED',
    `Appointment ${current.id} is ${current.status}: it can no longer be ${what}.`,
    { status: current.status },
  );
}

const AUDIT_ACTION = {
  confirmed: 'confirm',
  checked_in: 'check_in',
  no_show: 'no_show',
  cancelled: 'cancel',
} as const;

/** The booking a create decides (its slot and room already checked by `slotInstant` and `admit`). */
export function decideAppointmentCreation(
  fields: Omit<Appointment, 'id' | 'storeId' | 'version' | 'createdAt' | 'updatedAt'>,
  where: Creation,
): Decision<Appointment> {
  const { id, storeId, at } = where;
  const next: Appointment = { ...fields, id, storeId, version: 1, createdAt: at, updatedAt: at };
  return {
    next,
    changes: diffRecords(undefined, fields),
    events: [
      newEvent('appointment.booked', 'appointment', id, {
        appointmentId: id,
        date: next.date,
        status: next.status,
        channel: next.channel,
        load: next.load,
      }),
    ],
  };
}

/**
 * A move of status. No-show only once the slot has passed; a reason is owed for a cancellation. An
 * illegal move is 409 `APPOINTMENT_TRANSITION_NOT_ALLOWED`; the same status again is no decision.
 */
export function decideTransition(
  current: Appointment,
  input: TransitionInput,
  at: Date,
): (Decision<Appointment> & { action: (typeof AUDIT_ACTION)[keyof typeof AUDIT_ACTION] }) | undefined {
  if (current.status === input.to) return undefined;
  if (!canMove(current.status, input.to))
    throw new ConflictError(
      409,
      'APPOINTMENT_TRANSITION_NOT_ALLOWED',
      `A ${current.status} appointment cannot become ${input.to}.`,
      { from: current.status, to: input.to, allowed: MOVES[current.status] },
    );
  if (input.to === 'no_show' && at.getTime() < Date.parse(current.startsAt))
    throw new ConflictError(
      409,
      'NO_SHOW_BEFORE_START',
      `The customer is due at ${current.startsAt}: a no-show can be marked only after that.`,
    );
  if (current.status === 'requested' && input.to === 'confirmed' && !current.customerId)
    throw new ConflictError(
      409,
      'REQUEST_NOT_LINKED',
      'Link the request to a customer and vehicle before confirming it.',
    );
  const reason = 'reason' in input ? input.reason : undefined;
  const next: Appointment = {
    ...current,
    status: input.to,
    ...(reason ? { reason } : {}),
    version: current.version + 1,
    updatedAt: at.toISOString(),
  };
  return {
    next,
    action: AUDIT_ACTION[input.to],
    changes: diffRecords(current, next),
    events: [
      newEvent('appointment.statusChanged', 'appointment', current.id, {
        appointmentId: current.id,
        date: current.date,
        from: current.status,
        to: input.to,
        at: at.toISOString(),
      }),
    ],
  };
}

/** 改约: a new slot (its room checked by the caller) for an open booking. */
export function decideReschedule(
  current: Appointment,
  input: RescheduleInput,
  startsAt: string,
  overbooked: boolean,
  at: string,
): Decision<Appointment> | undefined {
  if (!OPEN.includes(current.status)) throw notOpenError(current, 'rescheduled');
  if (current.date === input.date && current.time === input.time) return undefined;
  const next: Appointment = {
    ...current,
    date: input.date,
    time: input.time,
    startsAt,
    overbooked,
    ...(input.urgent ? { urgent: input.urgent } : {}),
    version: current.version + 1,
    updatedAt: at,
  };
  return {
    next,
    changes: diffRecords(current, next),
    events: [
      newEvent('appointment.rescheduled', 'appointment', current.id, {
        appointmentId: current.id,
        date: next.date,
        fromDate: current.date,
        fromStartsAt: current.startsAt,
        startsAt,
      }),
    ],
  };
}

/** An edit of the work booked: new lines, load and estimate come from the caller (the catalogue). */
export function decideAppointmentEdit(
  current: Appointment,
  patch: Omit<AppointmentPatch, 'labourOpIds'>,
  derived: Pick<Appointment, 'lines' | 'load' | 'estimate'>,
  at: string,
): Decision<Appointment> | undefined {
  if (!OPEN.includes(current.status)) throw notOpenError(current, 'changed');
  const next = { ...nextVersion(current, patch, at), ...derived };
  return editDecision(current, next, (fields) =>
    newEvent('appointment.updated', 'appointment', current.id, {
      appointmentId: current.id,
      date: current.date,
      fields,
    }),
  );
}

/** Linking a public request to the registry's customer and vehicle (the advisor found or created them). */
export function decideLink(
  current: Appointment,
  link: {
    customerId: string;
    vehicleId: string;
    customerName?: string | undefined;
    plate?: string | undefined;
  },
  at: string,
): Decision<Appointment> {
  if (!OPEN.includes(current.status)) throw notOpenError(current, 'linked');
  const next: Appointment = { ...current, ...link, version: current.version + 1, updatedAt: at };
  return {
    next,
    changes: diffRecords(current, next),
    events: [
      newEvent('appointment.linked', 'appointment', current.id, {
        appointmentId: current.id,
        date: current.date,
      }),
    ],
  };
}

export type { AppointmentFields };

// ——— Sister stores (集团内调剂) ——————————————————————————————————————————————————————————

/** The group's other stores, open that day, with room for the whole load: what a full day offers instead. */
export function sistersWithRoom(
  rooms: readonly StoreRoom[],
  storeId: string,
  load: BayLoad,
): { storeId: string; name: string }[] {
  return rooms
    .filter((r) => r.storeId !== storeId && r.open && fits({ capacity: r.free, booked: {} }, load))
    .map(({ storeId: id, name }) => ({ storeId: id, name }));
}
