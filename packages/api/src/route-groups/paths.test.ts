import { describe, expect, it } from 'vitest';
import { documentedRoutes } from '../platform/openapi-document.ts';
import { OEM } from './oem.ts';
import { OFFICE } from './office.ts';
import { routeGroupOf, WAREHOUSE_STORE_PATHS } from './paths.ts';
import { WAREHOUSE } from './warehouse.ts';
import { WORKSHOP } from './workshop.ts';

const GROUPS = [OFFICE, WAREHOUSE, WORKSHOP, OEM];

/**
 * API Gateway sends a request to a function by its path (`GROUP_STORE_PATHS`); each function serves
 * one route group. A route in the wrong group would answer 404 in AWS while every local test passed.
 */
describe('route groups', () => {
  it('puts each operation in the group its path is routed to, and every operation in one group', () => {
    const all = documentedRoutes().map((r) => `${r.method} ${r.path}`);
    for (const group of GROUPS)
      for (const route of documentedRoutes([group]))
        expect(routeGroupOf(route.path), `${route.method} ${route.path}`).toBe(group.name);
    const split = GROUPS.flatMap((g) => documentedRoutes([g]).map((r) => `${r.method} ${r.path}`));
    expect(split.sort()).toEqual([...all].sort());
  });

  it('routes only the warehouse’s store paths to it', () => {
    expect(routeGroupOf('/v1/stores/st_1/parts/prt_1')).toBe('warehouse');
    expect(routeGroupOf('/v1/stores/st_1/parts')).toBe('warehouse');
    expect(routeGroupOf('/v1/stores/st_1/partsx')).toBe('office');
    expect(routeGroupOf('/v1/stores/st_1/appointments')).toBe('office');
    expect(routeGroupOf('/public/v1/stores/st_1/parts')).toBe('office');
    expect(WAREHOUSE_STORE_PATHS).toContain('stock');
  });

  it('routes the repair orders to the workshop', () => {
    expect(routeGroupOf('/v1/stores/st_1/repair-orders')).toBe('workshop');
    expect(routeGroupOf('/v1/stores/st_1/repair-orders/ro_1/history')).toBe('workshop');
    expect(routeGroupOf('/v1/stores/st_1/appointments/apt_1')).toBe('office');
    expect(routeGroupOf('/v1/stores/st_1/workshop-board')).toBe('workshop');
    expect(routeGroupOf('/public/v1/stores/st_1/approval-links/tok')).toBe('workshop');
    expect(routeGroupOf('/public/v1/stores/st_1/slots')).toBe('office');
  });

  it('routes the manufacturer API to its own function', () => {
    expect(routeGroupOf('/v1/oems/oem_1/webhook-endpoints')).toBe('oem');
    expect(routeGroupOf('/v1/oems/oem_1/webhook-deliveries/whd_1/redeliveries')).toBe('oem');
    expect(routeGroupOf('/v1/stores/st_1/oems')).toBe('office');
  });
});
