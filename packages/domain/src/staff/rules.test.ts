import { describe, expect, it } from 'vitest';
import { type DomainEvent, EVENT_SCHEMA_VERSION, type NewEvent } from '../events.ts';
import { emptyStoreFigures, projectStoreEvent } from '../hq/figures.ts';
import { StaffInput, StaffPatch } from './model.ts';
import { decideStaffCreation, decideStaffEdit, decideStaffStatus, staffView } from './rules.ts';

const at = '2026-12-06T08:00:00.000Z';
const manager = (id: string) =>
  decideStaffCreation(
    StaffInput.parse({
      username: `mgr.${id.toLowerCase()}`,
      displayName: 'Manager',
      email: 'm@example.com',
      roles: ['service_manager'],
    }),
    { id, storeId: 'st_TEST01', at },
  ).next;

describe('the last service manager', () => {
  it('cannot disable, remove or demote themselves (409 LAST_MANAGER)', () => {
    // Prepare
    const me = manager('usr_ME');
    const actor = { userId: 'usr_ME', activeManagers: 1 };
    // Act / Assess
    for (const status of ['disabled', 'removed'] as const)
      expect(() => decideStaffStatus(me, status, actor, at)).toThrow(
        expect.objectContaining({ code: 'LAST_MANAGER', status: 409 }),
      );
    expect(() => decideStaffEdit(me, StaffPatch.parse({ roles: ['service_advisor'] }), actor, at)).toThrow(
      expect.objectContaining({ code: 'LAST_MANAGER' }),
    );
  });

  it('may leave the role when another manager remains, and may edit anything else', () => {
    const me = manager('usr_ME');
    expect(decideStaffStatus(me, 'disabled', { userId: 'usr_ME', activeManagers: 2 }, at)?.next.status).toBe(
      'disabled',
    );
    const edited = decideStaffEdit(
      me,
      StaffPatch.parse({ displayName: '王经理' }),
      { userId: 'usr_ME', activeManagers: 1 },
      at,
    );
    expect(edited?.next).toMatchObject({ displayName: '王经理', version: 2 });
  });

  it('is not protected against another manager of the store', () => {
    const other = manager('usr_OTHER');
    expect(
      decideStaffStatus(other, 'disabled', { userId: 'usr_ME', activeManagers: 1 }, at)?.next.status,
    ).toBe('disabled');
  });
});

describe('staff input', () => {
  it('grants store roles only, and keeps them in the catalogue’s order without repeats', () => {
    const base = { username: 'tech.wang', displayName: '王师傅', email: 'w@example.com' };
    expect(StaffInput.safeParse({ ...base, roles: ['hq_executive'] }).success).toBe(false);
    expect(StaffInput.safeParse({ ...base, roles: [] }).success).toBe(false);
    expect(
      StaffInput.parse({ ...base, roles: ['technician', 'service_manager', 'technician'] }).roles,
    ).toEqual(['service_manager', 'technician']);
  });

  it('refuses a shift that ends before it starts, and a username with capitals or spaces', () => {
    const base = { displayName: 'x', email: 'x@example.com', roles: ['technician'] };
    expect(StaffInput.safeParse({ ...base, username: 'Tech Wang' }).success).toBe(false);
    const bad = StaffInput.safeParse({
      ...base,
      username: 'tech.w',
      shifts: { mon: { start: '17:00', end: '08:00' } },
    });
    expect(bad.error?.issues[0]?.path).toEqual(['shifts', 'mon', 'end']);
  });
});

describe('a removed person', () => {
  it('can be neither edited nor enabled again (409 STAFF_REMOVED)', () => {
    const removed = decideStaffStatus(
      manager('usr_X'),
      'removed',
      { userId: 'usr_ME', activeManagers: 2 },
      at,
    )!.next;
    expect(() => decideStaffStatus(removed, 'active', { userId: 'usr_ME', activeManagers: 2 }, at)).toThrow(
      expect.objectContaining({ code: 'STAFF_REMOVED' }),
    );
  });
});

describe('staff as read', () => {
  it('shows the whole phone only to those who manage staff', () => {
    const s = { ...manager('usr_P'), phone: '13800138000' };
    expect(staffView(s, true)).toMatchObject({ phone: '13800138000', phoneMasked: false });
    expect(staffView(s, false)).toMatchObject({ phone: '1******8000', phoneMasked: true });
  });
});

/** The store's HQ figures after these decisions' events. */
const projected = (events: readonly NewEvent[]) =>
  events
    .map(
      (e, i) =>
        ({
          ...e,
          id: `evt_${i}`,
          schemaVersion: EVENT_SCHEMA_VERSION,
          tenantId: 'st_TEST01',
          at,
          actor: { userId: 'x', name: 'x', roles: [] },
        }) as DomainEvent,
    )
    .reduce(projectStoreEvent, emptyStoreFigures('st_TEST01'));

describe('head counts for HQ', () => {
  it('count active people by role: added, given a second role, disabled', () => {
    // Prepare
    const added = decideStaffCreation(
      StaffInput.parse({
        username: 'mgr.c',
        displayName: 'C',
        email: 'c@example.com',
        roles: ['service_manager'],
      }),
      { id: 'usr_C', storeId: 'st_TEST01', at },
    );
    const actor = { userId: 'x', activeManagers: 2 };
    const edit = decideStaffEdit(
      added.next,
      StaffPatch.parse({ roles: ['service_manager', 'technician'] }),
      actor,
      at,
    )!;
    const off = decideStaffStatus(edit.next, 'disabled', actor, at)!;
    // Act
    const beforeDisabling = projected([...added.events, ...edit.events]);
    const figures = projected([...added.events, ...edit.events, ...off.events]);
    // Assess: counted when added and re-roled, then nothing once disabled
    expect(figures).toMatchObject({ staff_service_manager: 0, staff_technician: 0 });
    expect(beforeDisabling).toMatchObject({ staff_service_manager: 1, staff_technician: 1 });
  });
});
