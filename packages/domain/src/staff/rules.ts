import { diffRecords } from '../audit.ts';
import { type Creation, type Decision, editDecision, nextVersion } from '../decision.ts';
import { newEvent } from '../events.ts';
import { ConflictError } from '../platform/errors.ts';
import type { StoreRole } from '../platform/tenancy.ts';
import { maskPhone } from '../platform/text.ts';
import type { Staff, StaffFields, StaffPatch, StaffStatus, StaffView } from './model.ts';

/** The role without which a store has no one to keep its set-up and staff. */
const MANAGER: StoreRole = 'service_manager';

/** Roles a person counts in (HQ head counts, access): none unless active. */
export function countedRoles(staff: Pick<Staff, 'roles' | 'status'>): StoreRole[] {
  return staff.status === 'active' ? staff.roles : [];
}

/** Who acts, and how many active managers the store has now: what the last-manager rule needs. */
export interface StaffActor {
  userId: string;
  activeManagers: number;
}

/**
 * The last active service manager may not take themselves out of the store (disable, remove, or drop the
 * manager role): no one would be left to undo it. 409 `LAST_MANAGER`.
 */
function guardLastManager(current: Staff, next: Pick<Staff, 'roles' | 'status'>, actor: StaffActor): void {
  const wasManager = countedRoles(current).includes(MANAGER);
  const staysManager = countedRoles(next).includes(MANAGER);
  if (wasManager && !staysManager && current.id === actor.userId && actor.activeManagers <= 1)
    throw new ConflictError(
      409,
      'LAST_MANAGER',
      'You are the store’s last service manager: make someone else manager before you leave the role.',
    );
}

/** A new person (新增人员), active from the start. Uniqueness of the username is the caller's guard. */
export function decideStaffCreation(fields: StaffFields, where: Creation): Decision<Staff> {
  const { id, storeId, at } = where;
  const next: Staff = { ...fields, id, storeId, status: 'active', version: 1, createdAt: at, updatedAt: at };
  return {
    next,
    changes: diffRecords(undefined, fields),
    events: [newEvent('staff.added', 'staff', id, { staffId: id, roles: next.roles })],
  };
}

/** An edit of a person's details, roles, level, skills or shifts. */
export function decideStaffEdit(
  current: Staff,
  patch: StaffPatch,
  actor: StaffActor,
  at: string,
): Decision<Staff> | undefined {
  if (current.status === 'removed') throw removedError(current.id);
  const next = nextVersion(current, patch, at);
  guardLastManager(current, next, actor);
  return editDecision(current, next, (fields) =>
    newEvent('staff.updated', 'staff', current.id, {
      staffId: current.id,
      fields,
      countedBefore: countedRoles(current),
      countedAfter: countedRoles(next),
    }),
  );
}

/** Disable (停用), enable again (启用) or remove from the store (移除): a removed person stays removed. */
export function decideStaffStatus(
  current: Staff,
  status: StaffStatus,
  actor: StaffActor,
  at: string,
): Decision<Staff> | undefined {
  if (current.status === 'removed') throw removedError(current.id);
  if (current.status === status) return undefined;
  const next: Staff = { ...current, status, version: current.version + 1, updatedAt: at };
  guardLastManager(current, next, actor);
  return {
    next,
    changes: diffRecords(current, next),
    events: [
      newEvent('staff.statusChanged', 'staff', current.id, {
        staffId: current.id,
        status,
        countedBefore: countedRoles(current),
        countedAfter: countedRoles(next),
      }),
    ],
  };
}

const removedError = (id: string) =>
  new ConflictError(409, 'STAFF_REMOVED', `${id} was removed from the store; add them again instead.`);

/** The record as a role reads it: only those who manage staff see a whole phone number. */
export function staffView(staff: Staff, canManage: boolean): StaffView {
  if (canManage || !staff.phone) return { ...staff, phoneMasked: false };
  return { ...staff, phone: maskPhone(staff.phone), phoneMasked: true };
}

/** 409 `USERNAME_TAKEN`: usernames are the identity provider's, unique across every store. */
export const usernameTakenError = (username: string) =>
  new ConflictError(409, 'USERNAME_TAKEN', `The username ${username} is taken; choose another.`);
