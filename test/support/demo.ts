import { DataAccess } from '@aftersales/data';
import {
  addDays,
  GroupRole,
  OemRole,
  permissionsOf,
  type Role,
  requiresMfa,
  vinCheckDigit,
  weekdayOf,
} from '@aftersales/domain';
import { DevIdpStore } from '@aftersales/local';
import { DEMO_GROUP, DEMO_INDEPENDENT_STORE, DEMO_OEMS, DEMO_USERS, demoUserFor } from '@aftersales/seed';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { call, stack, useStackEnv } from './api.ts';
import type { ListReader } from './path-values.ts';

/** The demo tenants and users the tests act as (seeded by the global setup). */
export const demo = {
  storeA: 'st_HCAUDIBJ',
  storeB: 'st_HCVWBJ',
  storeIndependent: DEMO_INDEPENDENT_STORE.id,
  group: DEMO_GROUP.id,
  advisorA: demoUserFor('service_advisor', 'st_HCAUDIBJ').username,
  advisorAId: demoUserFor('service_advisor', 'st_HCAUDIBJ').id,
  managerA: demoUserFor('service_manager', 'st_HCAUDIBJ').username,
  managerAId: demoUserFor('service_manager', 'st_HCAUDIBJ').id,
  technicianA: demoUserFor('technician', 'st_HCAUDIBJ').username,
  technicianAId: demoUserFor('technician', 'st_HCAUDIBJ').id,
  /** Store A's other technicians: each suite that clocks on has its own (one line at a time each). */
  technicians: {
    workshopScreens: DEMO_USERS.find((u) => u.username === 'tech2.bj')!,
    figures: DEMO_USERS.find((u) => u.username === 'tech3.bj')!,
    repairOrderJourney: DEMO_USERS.find((u) => u.username === 'tech4.bj')!,
    claims: DEMO_USERS.find((u) => u.username === 'tech6.bj')!,
  },
  claimsSpecialistA: demoUserFor('claims_specialist', 'st_HCAUDIBJ').username,
  warehouseKeeperA: demoUserFor('warehouse_keeper', 'st_HCAUDIBJ').username,
  workshopManagerA: demoUserFor('workshop_manager', 'st_HCAUDIBJ').username,
  technicalDirectorA: demoUserFor('technical_director', 'st_HCAUDIBJ').username,
  advisorB: demoUserFor('service_advisor', 'st_HCVWBJ').username,
  independentAdvisor: demoUserFor('service_advisor', DEMO_INDEPENDENT_STORE.id).username,
  hqExecutive: demoUserFor('hq_executive', DEMO_GROUP.id).username,
  oem: DEMO_OEMS[0]!.id,
  oemUser: demoUserFor('oem_claims', DEMO_OEMS[0]!.id).username,
};

/**
 * A demo user who holds every one of `permissions` in demo store A (or, for an HQ permission, in its
 * group), chosen from the seed's users, so that a suite reaching a new operation needs no new user.
 */
export function demoUserWith(...permissions: (string | undefined)[]): string {
  const needed = permissions.filter(
    (p): p is string => p !== undefined && p !== 'signed-in' && p !== 'public',
  );
  const user = DEMO_USERS.find((u) =>
    u.memberships.some((m) => {
      if (m.tenantId !== demo.storeA && m.tenantId !== demo.group && m.tenantId !== demo.oem) return false;
      const held: ReadonlySet<string> = permissionsOf(m.roles);
      return needed.every((p) => held.has(p));
    }),
  );
  if (!user)
    throw new Error(
      `no demo user of ${demo.storeA}, ${demo.group} or ${demo.oem} holds ${needed.join(' and ')}: add one to DEMO_USERS (packages/seed/src/platform/users.ts)`,
    );
  return user.username;
}

/** Reads a list of demo store A as a demo user allowed to (for `pathValues`). */
export const readAsDemoUser: ListReader = (path, permission) => call(demoUserWith(permission), 'GET', path);

/** A Tuesday to Thursday `daysOn` days or more from today: open in every demo store, clear of seeded bookings. */
export function midweek(daysOn: number): string {
  let d = addDays(new Date().toISOString().slice(0, 10), daysOn);
  while (!['tue', 'wed', 'thu'].includes(weekdayOf(d))) d = addDays(d, 1);
  return d;
}

let counter = 0;
/** Unique per call across parallel test files: time, process and a counter. */
export function uniqueSuffix(): string {
  counter += 1;
  return `${Date.now().toString().slice(-7)}${process.pid % 100}${counter}`.replace(/\D/g, '').slice(-11);
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
/** A fresh VIN with a correct check digit (position 9). */
export function validVin(): string {
  const rand = (n: number) =>
    Array.from({ length: n }, () => VIN_CHARS[Math.floor(Math.random() * VIN_CHARS.length)]).join('');
  const draft = `LFV${rand(5)}0${rand(2)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

/** A second dealer group with its own store and HQ user, for "another group" isolation checks. */
export async function provisionOtherGroup(): Promise<string> {
  useStackEnv();
  const data = new DataAccess({ tableName: stack.tableName });
  await data.directory.putOrganisation({
    id: 'grp_OTHERGROUP',
    kind: 'group',
    name: 'Other Group',
    jurisdiction: 'CN',
  });
  await data.directory.putOrganisation({
    id: 'st_OTHERSTORE',
    kind: 'store',
    name: 'Other Store',
    groupId: 'grp_OTHERGROUP',
    brands: ['Audi'],
    jurisdiction: 'CN',
    timeZone: 'Asia/Shanghai',
  });
  await data.directory.putUser({
    id: 'usr_otherhq',
    username: 'other.hq',
    displayName: 'Other HQ',
    locale: 'en',
    // HQ must use TOTP: enrolled, with the demo secret (the dev identity provider's default).
    mfaEnrolled: true,
  });
  await data.directory.putMembership('usr_otherhq', {
    tenantId: 'grp_OTHERGROUP',
    tenantKind: 'group',
    tenantName: 'Other Group',
    roles: ['hq_executive'],
  });
  return 'other.hq';
}

/**
 * A user holding exactly `role` in demo store A (an HQ role: in the group that owns it; an OEM role: in
 * the first demo OEM), so that what the user may do there is that role's permissions and nothing else.
 */
export async function provisionRoleUser(role: Role): Promise<string> {
  useStackEnv();
  const data = new DataAccess({ tableName: stack.tableName });
  const hq = GroupRole.safeParse(role).success;
  const id = `usr_only_${role}`;
  const username = `only.${role}`;
  // A role that requires TOTP is enrolled, with the demo secret (the dev identity provider's default).
  const mfaEnrolled = requiresMfa([role]);
  await data.directory.putUser({ id, username, displayName: `Only ${role}`, locale: 'en', mfaEnrolled });
  const oem = OemRole.safeParse(role).success;
  await data.directory.putMembership(id, {
    tenantId: hq ? demo.group : oem ? demo.oem : demo.storeA,
    tenantKind: hq ? 'group' : oem ? 'oem' : 'store',
    tenantName: hq ? 'HQ' : oem ? 'OEM' : 'Store A',
    roles: [role],
  });
  return username;
}

/**
 * A user of demo store A holding `role`, as staff administration will create one: in the directory
 * (not MFA-enrolled) and, when `temporaryPassword` is given, invited at the dev identity provider (the
 * first sign-in answers NEW_PASSWORD_REQUIRED). Without it, the user signs in with the demo password.
 */
export async function newStoreUser(
  role: Role,
  temporaryPassword?: string,
): Promise<{ userId: string; username: string }> {
  useStackEnv();
  const data = new DataAccess({ tableName: stack.tableName });
  const suffix = uniqueSuffix();
  const userId = `usr_new_${role}_${suffix}`;
  const username = `new.${role}.${suffix}`;
  await data.directory.putUser({ id: userId, username, displayName: `New ${role}`, locale: 'zh-CN' });
  await data.directory.putMembership(userId, {
    tenantId: demo.storeA,
    tenantKind: 'store',
    tenantName: 'Store A',
    roles: [role],
  });
  if (temporaryPassword !== undefined) {
    const dynamo = new DynamoDBClient({});
    await new DevIdpStore(dynamo, stack.tableName).invite({ userId, username, temporaryPassword });
    dynamo.destroy();
  }
  return { userId, username };
}
