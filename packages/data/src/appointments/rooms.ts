import {
  type AppointmentDay,
  addDays,
  type DomainEvent,
  freeRoom,
  StoreRoom,
  wallClock,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import type { Directory } from '../platform/directory.ts';
import { registerKeyPrefix } from '../platform/keys.ts';
import type { Item, TenantTable } from '../platform/tenant-table.ts';
import { Appointments } from './appointments.ts';
import { bookingContext } from './booking.ts';

/**
 * 集团内调剂: each member store's free room per store-local day, in the group's own partition, so a full
 * day at one store can name its sister stores with room without reading their tables.
 * - day   pk `<groupId>#APPTROOM#<date>` sk `#APPTROOM`, one attribute `store_<storeId>` per member
 *         store (its `StoreRoom`), each store's consumer setting only its own; TTL a week after the day.
 * The item begins with the group id: a session narrowed to `<groupId>#*` reaches it and nothing else.
 */
const ROOM_PREFIX = 'APPTROOM';
registerKeyPrefix(ROOM_PREFIX, 'appointment.groupRoom');
const storeAttr = (storeId: string) => `store_${storeId}`;
/** Past days are of no use to a booking: kept a week for looking into, then DynamoDB's TTL drops them. */
const KEEP_DAYS = 7;
/** A set-up or staff change moves capacity on every coming day: the days a booking is offered for. */
export const ROOM_HORIZON_DAYS = 30;

export class GroupRooms {
  /** @param t the group's table (its tenant id is the group id) */
  constructor(private readonly t: TenantTable) {
    if (!t.tenantId.startsWith('grp_'))
      throw new Error(`Group rooms live in a group's partition, not ${t.tenantId}`);
  }

  private key(date: string) {
    return { pk: this.t.key(ROOM_PREFIX, date), sk: `#${ROOM_PREFIX}` };
  }

  /** Every member store's room on `date`: one GetItem. */
  async on(date: string): Promise<StoreRoom[]> {
    const item = await this.t.get(this.key(date));
    if (!item) return [];
    return Object.entries(item)
      .filter(([name]) => name.startsWith('store_'))
      .flatMap(([, value]) => {
        const parsed = StoreRoom.safeParse(value);
        return parsed.success ? [parsed.data] : [];
      });
  }

  /** Sets one store's room on its days (one update per day: each store writes only its own attribute). */
  async put(rooms: readonly (StoreRoom & { date: string })[]): Promise<void> {
    await Promise.all(
      rooms.map(({ date, ...room }) => {
        const set: Item = {
          type: 'AppointmentGroupRoom',
          date,
          expiresAt: Math.floor(Date.parse(`${addDays(date, KEEP_DAYS)}T00:00:00Z`) / 1000),
          [storeAttr(room.storeId)]: room,
        };
        return this.t.transact([{ update: this.key(date), changes: { set } }]);
      }),
    );
  }
}

/** The days an event changes a store's room on: the booking's day(s), or every coming day for capacity. */
export function roomDaysOf(event: DomainEvent, timeZone: string, now: Date): string[] {
  const data = event.data as { date?: unknown; fromDate?: unknown };
  if (event.type.startsWith('appointment.'))
    return [data.date, data.fromDate].filter((d): d is string => typeof d === 'string');
  const today = wallClock(now, timeZone).date;
  return Array.from({ length: ROOM_HORIZON_DAYS }, (_, i) => addDays(today, i));
}

/**
 * Projects one store event into its group's rooms: the store's days recomputed from its own records
 * (its set-up, its staff, its day items — read with the store's read-only session), written with a
 * session narrowed to the group. Independent stores have no group and nothing to write.
 */
export async function projectStoreRoom(
  deps: {
    directory: Pick<Directory, 'getOrganisation'>;
    storeData: (storeId: string) => TenantData;
    rooms: (groupId: string) => GroupRooms;
    now: () => Date;
  },
  event: DomainEvent,
): Promise<'projected' | 'independent-store'> {
  const org = await deps.directory.getOrganisation(event.tenantId);
  if (org?.kind !== 'store') throw new Error(`Room of unknown store ${event.tenantId}`);
  if (!org.groupId) return 'independent-store';
  const dates = roomDaysOf(event, org.timeZone, deps.now());
  const store = deps.storeData(org.id);
  const context = await bookingContext(store, org.timeZone);
  const days = await store.repo(Appointments).days(dates, context.setup, context.workforce);
  const at = deps.now().toISOString();
  await deps.rooms(org.groupId).put(
    days.map((day: AppointmentDay) => ({
      date: day.date,
      storeId: org.id,
      name: org.name,
      open: day.open,
      free: freeRoom(day),
      updatedAt: at,
    })),
  );
  return 'projected';
}
