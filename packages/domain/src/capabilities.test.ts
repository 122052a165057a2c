import { describe, expect, it } from 'vitest';
import {
  EVENT_PAYLOADS,
  PERMISSION_GRANTS,
  Permission,
  permissionsOf,
  ROLE_PERMISSIONS,
  readOnlyPermissionsOf,
} from './capabilities.ts';
import type { Role } from './platform/tenancy.ts';

describe('capabilities', () => {
  it('grant each role exactly the permissions the product has always given it', () => {
    // Who may do what, role by role: a change here is a change of access and must be deliberate.
    const frontDesk = [
      'registry:read',
      'registry:write',
      'customer:contact',
      'registry:import',
      'audit:read',
    ];
    const readOnly = ['registry:read', 'setup:read'];
    const booking = ['appointment:read', 'appointment:manage'];
    // The service floor reads stock and holds parts for its bookings and repair orders.
    const floor = ['part:read', 'stock:reserve'];
    const partsDesk = ['part:read', 'part:manage', 'stock:move', 'stock:reserve'];
    // 盘点 · 报损: the warehouse counts and asks; three supervisors confirm a write-off.
    const counting = ['stocktake:read', 'stocktake:count', 'write_off:read', 'write_off:request'];
    // 采购: the parts desk plans, orders and receives; the parts manager signs the plan first.
    const purchasing = ['purchase:read', 'purchase:plan', 'purchase:receive'];
    // 维修工单: the front office opens, quotes, records approvals and settles; the workshop works and checks.
    const frontOffice = [
      'repair_order:read',
      'repair_order:write',
      'repair_order:approve',
      'repair_order:settle',
      'repair_order:escalate',
    ];
    // 三包预警: wherever staff meet the car or its claim (booking, reception, the RO, the claim).
    const lemon = 'lemon_law:read';
    const floorWork = [
      'repair_order:read',
      'repair_order:clock',
      'repair_order:check',
      'repair_order:escalate',
    ];
    const expected: Record<string, string[]> = {
      service_manager: [
        ...frontDesk,
        'setup:read',
        'setup:manage',
        'catalogue:manage',
        'staff:read',
        'staff:manage',
        ...booking,
        'message:read',
        ...floor,
        'stocktake:read',
        'write_off:read',
        'write_off:approve',
        // 损失分摊: the manager sets the store's split of a write-off's loss.
        'write_off:configure',
        // 售后经理审批: the plan's second signature.
        'purchase:read',
        'purchase:authorize',
        ...frontOffice,
        'repair_order:dispatch',
        'claim:read',
        'claim:file',
        lemon,
      ],
      front_desk_supervisor: [
        ...frontDesk,
        'setup:read',
        'staff:read',
        ...booking,
        'message:read',
        ...floor,
        ...frontOffice,
        lemon,
      ],
      service_advisor: [
        'registry:read',
        'registry:write',
        'customer:contact',
        'audit:read',
        'setup:read',
        'staff:read',
        ...booking,
        'message:read',
        ...floor,
        ...frontOffice,
        // The advisor sees what became of a warranty line's claim.
        'claim:read',
        lemon,
      ],
      customer_service: [
        'registry:read',
        'registry:write',
        'customer:contact',
        'audit:read',
        'setup:read',
        ...booking,
        'message:read',
        'repair_order:read',
        lemon,
      ],
      claims_specialist: [
        'registry:read',
        'customer:contact',
        'audit:read',
        'setup:read',
        'appointment:read',
        'part:read',
        'write_off:read',
        'write_off:approve',
        'repair_order:read',
        // 索赔: files claims from repair orders and answers the OEM.
        'claim:read',
        'claim:file',
        lemon,
      ],
      technical_director: [
        ...readOnly,
        'catalogue:manage',
        'staff:read',
        'appointment:read',
        'part:read',
        'repair_order:read',
        'repair_order:check',
        // 会诊: the technical director answers the floor's hard faults.
        'repair_order:consult',
        'claim:read',
        lemon,
      ],
      workshop_manager: [
        ...readOnly,
        'staff:read',
        'appointment:read',
        'part:read',
        ...floorWork,
        'repair_order:dispatch',
        lemon,
      ],
      technician: [...readOnly, ...floorWork],
      // Parts are pre-picked for tomorrow's bookings (备件): the parts desk reads the day-before list.
      parts_manager: [
        ...readOnly,
        'appointment:read',
        ...partsDesk,
        ...counting,
        'stocktake:post',
        'write_off:approve',
        'write_off:post',
        ...purchasing,
        'purchase:approve',
        'repair_order:read',
      ],
      parts_clerk: [
        ...readOnly,
        'appointment:read',
        ...partsDesk,
        ...counting,
        ...purchasing,
        'repair_order:read',
      ],
      warehouse_keeper: [
        ...readOnly,
        'part:read',
        'stock:move',
        'stock:reserve',
        ...counting,
        'write_off:post',
        'purchase:read',
        'purchase:receive',
        'repair_order:read',
      ],
      hq_executive: ['registry:read', 'audit:read', 'hq:read', 'setup:read', 'claim:read'],
      hq_analyst: ['registry:read', 'hq:read', 'setup:read', 'claim:read'],
      // The OEM reads and decides the claims filed to it, through its own API; its claims integration
      // registers its webhook endpoints (推送) and reads their deliveries.
      oem_claims: ['oem_claim:read', 'oem_claim:decide', 'webhook:read', 'webhook:manage'],
    };
    const sorted = (t: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(ROLE_PERMISSIONS)).toEqual(sorted(expected));
  });

  it('derive the permission enum and the event catalogue from the declarations', () => {
    expect([...Permission.options].sort()).toEqual(Object.keys(PERMISSION_GRANTS).sort());
    expect(Object.keys(EVENT_PAYLOADS)).toContain('vehicle.ownerChanged');
    expect(Object.keys(EVENT_PAYLOADS)).toContain('import.completed');
  });
});

describe('readOnlyPermissionsOf', () => {
  it('keeps only permissions that read, for every role', () => {
    for (const role of Object.keys(ROLE_PERMISSIONS) as Role[]) {
      const reads = [...readOnlyPermissionsOf([role])];
      expect(reads.every((p) => p.endsWith(':read'))).toBe(true);
      expect(reads).toEqual([...permissionsOf([role])].filter((p) => p.endsWith(':read')));
    }
  });

  it('drops writes and full contacts even from a role that holds them', () => {
    const all = permissionsOf(['service_manager']);
    expect(all.has('registry:write')).toBe(true);
    expect(all.has('customer:contact')).toBe(true);
    const reads: ReadonlySet<Permission> = readOnlyPermissionsOf(['service_manager']);
    expect(reads.has('registry:write')).toBe(false);
    expect(reads.has('customer:contact')).toBe(false);
    expect(reads.has('registry:read')).toBe(true);
  });
});
