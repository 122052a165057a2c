import type { DataAccess } from '@aftersales/data';
import {
  Appointments,
  type BookingFields,
  book,
  bookingContext,
  resolveLines,
} from '@aftersales/data/appointments';
import { LabourOps } from '@aftersales/data/setup';
import {
  type Actor,
  AppError,
  type AppointmentStatus,
  addDays,
  minutesOf,
  openingOn,
  zonedInstant,
} from '@aftersales/domain';
import { bookingParts, type CatalogueSize } from '../parts/catalogue.ts';
import { Rng } from '../platform/random.ts';
import type { StorePlan } from '../registry/generate.ts';

/**
 * Each demo store's two weeks of bookings (预约) around today, so the calendar and the day-before list
 * open on a working day: the past week's checked in, missed or cancelled, the coming week's requested
 * or confirmed, a couple of public requests, and one urgent safety fault. Written through the one
 * booking path (`book`) with the clock at booking time, then moved through the state machine.
 */

const DAY_MS = 86_400_000;
const PER_DAY = { min: 2, max: 5 };

interface Planned {
  date: string;
  time: string;
  party: number;
  ops: number[];
  channel: 'desk' | 'phone' | 'online';
  final?: AppointmentStatus;
  urgent?: boolean;
}

/** What to book, decided up front from the store's own random stream (the writes may run in any order). */
function planBookings(storeId: string, today: string, parties: number, ops: number): Planned[] {
  const rng = new Rng(`appointments:${storeId}`);
  // Two public requests for the coming days, and one urgent brake fault (written last): first in the
  // plan, so they take no random draws from the others.
  const planned: Planned[] = [
    { date: addDays(today, 1), time: '10:00', party: -1, ops: [], channel: 'online' },
    { date: addDays(today, 2), time: '14:30', party: -2, ops: [], channel: 'online' },
    { date: addDays(today, 1), time: '09:00', party: 0, ops: [0], channel: 'phone', urgent: true },
  ];
  for (let offset = -7; offset <= 7; offset++) {
    if (offset === 0) continue;
    const date = addDays(today, offset);
    for (let n = rng.int(PER_DAY.min, PER_DAY.max); n > 0; n--) {
      const hour = rng.int(9, 15);
      const final: AppointmentStatus =
        offset < 0
          ? rng.weighted([
              ['checked_in', 8],
              ['no_show', 1],
              ['cancelled', 1],
            ] as const)
          : rng.weighted([
              ['confirmed', 3],
              ['requested', 1],
            ] as const);
      planned.push({
        date,
        time: `${String(hour).padStart(2, '0')}:${rng.pick(['00', '30'])}`,
        party: rng.int(0, parties - 1),
        ops: Array.from({ length: rng.int(1, 2) }, () => rng.int(0, ops - 1)),
        channel: rng.pick(['desk', 'phone'] as const),
        final,
      });
    }
  }
  return planned;
}

export async function writeDemoAppointments(
  data: DataAccess,
  plan: StorePlan,
  actor: Actor,
  today: string,
  partsCatalogue: CatalogueSize,
  pool: <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) => Promise<void>,
): Promise<void> {
  const { store } = plan;
  const base = data.forTenant({ tenantId: store.id, actor });
  const [context, catalogue] = await Promise.all([
    bookingContext(base, store.timeZone),
    base.repo(LabourOps).list('', { limit: 40 }),
  ]);
  const ops = catalogue.items.filter((op) => op.active);
  const parties = (
    await Promise.all(
      plan.customers.map(async (c) => {
        const v = (await base.vehicles.ofCustomer(c.id, { limit: 1 })).items[0]?.vehicle;
        return v ? { customerId: c.id, customerName: c.fields.name, vehicle: v } : undefined;
      }),
    )
  ).filter((p) => p !== undefined);
  if (ops.length === 0 || parties.length === 0) return;
  const bookings = planBookings(store.id, today, parties.length, ops.length);
  const write = async (b: Planned) => {
    const hours = openingOn(context.setup, b.date);
    if (!hours || b.time < hours.open || minutesOf(b.time) + 60 > minutesOf(hours.close)) return;
    const startsAt = zonedInstant(b.date, b.time, store.timeZone).getTime();
    // Booked two days before the slot (or now, for the coming days): `book` refuses a slot in the past.
    const bookedAt = new Date(Math.min(startsAt - 2 * DAY_MS, Date.parse(`${today}T00:00:00Z`)));
    const tenant = data.forTenant({ tenantId: store.id, actor, now: () => bookedAt });
    const party = b.party >= 0 ? parties[b.party]! : undefined;
    const lines = party
      ? await resolveLines(
          tenant,
          [...new Set(b.ops)].map((i) => ops[i]!.id),
          party.vehicle.model,
        )
      : [];
    const fields: BookingFields = {
      status: b.final === 'requested' || !party ? 'requested' : 'confirmed',
      channel: b.channel,
      date: b.date,
      time: b.time,
      lines,
      // 备件: what the operations take, numbered as the store's catalogue numbers them.
      parts: party
        ? bookingParts(
            store,
            party.vehicle.model,
            lines.map((l) => l.code),
            partsCatalogue,
          )
        : [],
      ...(party
        ? {
            customerId: party.customerId,
            vehicleId: party.vehicle.id,
            customerName: party.customerName,
            plate: party.vehicle.plate,
          }
        : {
            concern: b.party === -1 ? '保养到期，顺便检查空调' : 'Brake noise when stopping',
            contact: {
              name: b.party === -1 ? '周先生' : 'Anna Müller',
              phone: b.party === -1 ? '13911112222' : '13933334444',
              plate: b.party === -1 ? '京N8K2P1' : '京Q6T7Y3',
              messagesConsent: true,
              locale: b.party === -1 ? 'zh-CN' : 'en',
            },
          }),
      ...(b.urgent ? { urgent: { fault: 'brakes' as const, reason: '刹车异响，客户担心安全' } } : {}),
    };
    try {
      const { appointment } = await book(tenant, context, fields);
      if (!b.final || b.final === 'requested' || b.final === 'confirmed') return;
      const after = data.forTenant({
        tenantId: store.id,
        actor,
        now: () => new Date(startsAt + 60 * 60_000),
      });
      const input =
        b.final === 'cancelled'
          ? { to: 'cancelled' as const, reason: '客户临时有事' }
          : b.final === 'no_show'
            ? { to: 'no_show' as const, reason: '电话未接通' }
            : { to: 'checked_in' as const };
      await after.repo(Appointments).transition(appointment.id, input, appointment.version);
    } catch (e) {
      // A day the seeded staff leaves without room (or a closed day): the demo simply has no booking there.
      if (!(e instanceof AppError && e.status === 409)) throw e;
    }
  };
  await pool(
    bookings.filter((b) => !b.urgent),
    4,
    write,
  );
  // The urgent fault last, into a day the others filled: the demo's one overbooking.
  for (const b of bookings.filter((b) => b.urgent)) await write(b);
}
