import type { DataAccess } from '@aftersales/data';
import { StaffMembers } from '@aftersales/data/staff';
import {
  type Role,
  StaffInput,
  type Store,
  StoreRole,
  type TechnicianLevel,
  type WeeklyShifts,
} from '@aftersales/domain';
import { demoUsersOf } from '../platform/users.ts';

/**
 * Each demo store's people as staff records (人员): its demo users, with the store's own hours as their
 * shifts (a day off in turn), and technicians with a level and skills, so the staff screens and HQ's
 * head counts start from something real.
 */

const WEEKDAY = { start: '08:30', end: '18:00' };
const WEEKEND = { start: '09:00', end: '16:00' };
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Six days a week, the n-th person's day off moving through the week. */
function shiftsFor(n: number): WeeklyShifts {
  const off = DAYS[n % DAYS.length];
  return Object.fromEntries(
    DAYS.filter((d) => d !== off).map((d) => [d, d === 'sat' || d === 'sun' ? WEEKEND : WEEKDAY]),
  );
}

const LEVELS: readonly TechnicianLevel[] = ['senior', 'mid', 'junior', 'body_paint'];

export async function writeDemoStaff(
  data: DataAccess,
  store: Store,
  actor: Parameters<DataAccess['forTenant']>[0]['actor'],
): Promise<void> {
  const repo = data.forTenant({ tenantId: store.id, actor }).repo(StaffMembers);
  const people = demoUsersOf(store);
  for (const [n, user] of people.entries()) {
    if (await repo.get(user.id)) continue;
    const roles = (user.memberships.find((m) => m.tenantId === store.id)?.roles ?? []).filter(
      (r: Role): r is StoreRole => StoreRole.safeParse(r).success,
    );
    const technician = roles.includes('technician');
    await repo.create(
      user.id,
      StaffInput.parse({
        username: user.username,
        displayName: user.displayName,
        email: `${user.username}@demo.aftersales.example`,
        phone: `1390000${String(1000 + n).slice(-4)}`,
        roles,
        ...(technician ? { level: LEVELS[n % LEVELS.length], skills: ['engine', 'chassis', 'general'] } : {}),
        shifts: shiftsFor(n),
        locale: user.locale,
      }),
    );
  }
}
