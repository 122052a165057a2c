import { describe, expect, it } from 'vitest';
import { EVENT_PAYLOADS, PERMISSION_GRANTS, Permission, ROLE_PERMISSIONS } from './capabilities.ts';

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
    const readOnly = ['registry:read'];
    const expected: Record<string, string[]> = {
      service_manager: frontDesk,
      front_desk_supervisor: frontDesk,
      service_advisor: ['registry:read', 'registry:write', 'customer:contact', 'audit:read'],
      customer_service: ['registry:read', 'registry:write', 'customer:contact', 'audit:read'],
      claims_specialist: ['registry:read', 'customer:contact', 'audit:read'],
      technical_director: readOnly,
      workshop_manager: readOnly,
      technician: readOnly,
      parts_manager: readOnly,
      parts_clerk: readOnly,
      warehouse_keeper: readOnly,
      hq_executive: ['registry:read', 'audit:read', 'hq:read'],
      hq_analyst: ['registry:read', 'hq:read'],
      oem_claims: [],
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
