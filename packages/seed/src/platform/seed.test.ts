import {
  CustomerInput,
  checkVin,
  GroupRole,
  normalizePlate,
  StoreRole,
  TenantId,
  UserProfile,
  VehicleInput,
  validateVehicle,
} from '@aftersales/domain';
import { describe, expect, it } from 'vitest';
import {
  buildDemoPlan,
  DEMO_GROUP,
  DEMO_OEM_CLIENTS,
  DEMO_ORGS,
  DEMO_USERS,
  type DemoPlan,
  FIRST_STORE,
  makeVin,
  planCounts,
  SMALL_CUSTOMERS_PER_STORE,
} from '../index.ts';
import { MODELS } from '../registry/catalog.ts';
import { Rng } from './random.ts';

const TODAY = '2026-06-15';
const plan = buildDemoPlan({ today: TODAY });
const customers = plan.stores.flatMap((s) => s.customers.map((c) => ({ store: s.store, ...c })));
const vehicles = customers.flatMap((c) => c.vehicles.map((v) => ({ store: c.store, ...v })));

/** What must not change with the anchor day (plates may: a car delivered days ago still has a 临牌). */
const identity = (p: DemoPlan) =>
  p.stores.flatMap((s) =>
    s.customers.map((c) => [
      c.id,
      c.fields.name,
      c.fields.phones,
      c.vehicles.map((v) => [v.fields.vin, v.fields.model]),
    ]),
  );

describe('organisations and users', () => {
  it('uses valid tenant ids and schemas', () => {
    for (const org of DEMO_ORGS) expect(TenantId.safeParse(org.id).success, org.id).toBe(true);
    expect(new Set(DEMO_ORGS.map((o) => o.id)).size).toBe(DEMO_ORGS.length);
    const stores = DEMO_ORGS.filter((o) => o.kind === 'store');
    expect(stores.filter((s) => s.groupId === DEMO_GROUP.id).length).toBeGreaterThanOrEqual(3);
    expect(stores.some((s) => !s.groupId)).toBe(true);
    expect(DEMO_ORGS.filter((o) => o.kind === 'oem')).toHaveLength(2);
  });

  it('has a user for every store role in the first store', () => {
    const held = DEMO_USERS.flatMap((u) =>
      u.memberships.filter((m) => m.tenantId === FIRST_STORE.id).flatMap((m) => m.roles),
    );
    for (const role of StoreRole.options) expect(held, role).toContain(role);
  });

  it('has an HQ user for every group role', () => {
    const held = DEMO_USERS.flatMap((u) =>
      u.memberships.filter((m) => m.tenantId === DEMO_GROUP.id).flatMap((m) => m.roles),
    );
    for (const role of GroupRole.options) expect(held, role).toContain(role);
  });

  it('gives users unique ids and usernames, memberships naming real tenants, and one multi-store user', () => {
    const users = plan.users;
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.username)).size).toBe(users.length);
    for (const u of users) {
      expect(UserProfile.parse(u)).toMatchObject({ id: u.id, username: u.username });
      expect(u.username).toMatch(/^[a-z0-9.-]+$/);
      for (const m of u.memberships) {
        const org = DEMO_ORGS.find((o) => o.id === m.tenantId);
        expect(org, m.tenantId).toBeDefined();
        expect([m.tenantKind, m.tenantName]).toEqual([org?.kind, org?.name]);
      }
    }
    expect(DEMO_USERS.some((u) => u.memberships.filter((m) => m.tenantKind === 'store').length >= 2)).toBe(
      true,
    );
  });

  it('backs every OEM client with an OEM principal whose id is the client id', () => {
    for (const c of DEMO_OEM_CLIENTS) {
      const principal = plan.users.find((u) => u.id === c.clientId);
      expect(principal?.memberships).toEqual([
        expect.objectContaining({ tenantId: c.oemId, roles: ['oem_claims'] }),
      ]);
    }
  });
});

describe('customers and vehicles', () => {
  it('generates about a hundred customers per store and 1–1.3 vehicles each', () => {
    const n = planCounts(plan);
    expect(n.customers).toBe(400);
    expect(n.vehicles / n.customers).toBeGreaterThanOrEqual(1);
    expect(n.vehicles / n.customers).toBeLessThanOrEqual(1.4);
    expect(n.recentlyServed).toBeGreaterThan(50);
  });

  it('produces customers the API schema accepts unchanged', () => {
    for (const c of customers) expect(CustomerInput.parse(c.fields)).toEqual(c.fields);
    const kinds = new Set(customers.map((c) => c.fields.kind));
    expect(kinds).toEqual(new Set(['individual', 'company']));
    expect(customers.some((c) => c.fields.phones.length === 2)).toBe(true);
    expect(customers.some((c) => /^[A-Za-z]/.test(c.fields.name) && c.fields.email)).toBe(true);
    expect(customers.some((c) => !c.fields.consent.calls)).toBe(true);
    expect(customers.some((c) => c.fields.preferredContactWindows.length > 0)).toBe(true);
    expect(new Set(customers.map((c) => c.id)).size).toBe(customers.length);
  });

  it('uses Chinese mobile numbers for Chinese customers', () => {
    const mobiles = customers.flatMap((c) =>
      c.fields.phones.filter((p) => p.label === 'mobile').map((p) => p.number),
    );
    const cn = mobiles.filter((m) => !m.startsWith('+'));
    expect(cn.length).toBeGreaterThan(300);
    for (const m of cn) expect(m).toMatch(/^1[3589]\d{9}$/);
  });

  it('gives every vehicle a valid VIN under strict policy, unique across the demo', () => {
    for (const v of vehicles) {
      const check = checkVin(v.fields.vin, 'strict');
      expect(check, v.fields.vin).toMatchObject({ ok: true });
      expect(v.fields.vin).toMatch(/^(LFV|LSV|LVG|LFM)[A-HJ-NPR-Z0-9]{14}$/);
    }
    expect(new Set(vehicles.map((v) => v.fields.vin)).size).toBe(vehicles.length);
  });

  it('builds the VIN check digit right for every model and year', () => {
    const rng = new Rng(1);
    for (const spec of MODELS) {
      for (let y = spec.years[0]; y <= spec.years[1]; y++)
        expect(checkVin(makeVin(spec, y, rng)).ok).toBe(true);
    }
  });

  it('produces vehicles the API schema and rules accept, matching the store', () => {
    for (const v of vehicles) {
      const parsed = VehicleInput.parse(v.fields);
      expect(parsed).toEqual(v.fields);
      expect(validateVehicle(parsed, 'strict')).toEqual({ ok: true });
      expect(v.store.brands).toContain(v.fields.brand);
      expect(v.fields.modelYear).toBeGreaterThanOrEqual(2016);
      expect(v.fields.invoiceDate! < TODAY).toBe(true);
      if (v.fields.deliveryDate) expect(v.fields.deliveryDate >= v.fields.invoiceDate!).toBe(true);
      if (v.lastServedAt) {
        expect(v.lastServedAt < `${TODAY}T00:00:00Z`).toBe(true);
        expect(v.lastServedAt.slice(0, 10) >= (v.fields.deliveryDate ?? v.fields.invoiceDate)!).toBe(true);
      }
    }
  });

  it('registers plates of the store city (5 characters, new-energy 6 with D/F)', () => {
    const prefixes: Record<string, RegExp> = { 北京: /^[京冀晋]/, 天津: /^[津冀]/, 上海: /^[沪苏浙]/ };
    const plated = vehicles.filter((v) => v.fields.plate);
    expect(plated.length).toBeGreaterThan(vehicles.length * 0.9);
    for (const v of plated) {
      const plate = v.fields.plate!;
      expect(normalizePlate(plate)).toBe(plate);
      expect(plate).toMatch(prefixes[v.store.city!]!);
      const nev = v.fields.powertrain === 'bev' || v.fields.powertrain === 'phev';
      expect(plate).toMatch(nev ? /^.[A-Z][DF][A-HJ-NP-Z0-9]\d{4}$/u : /^.[A-Z][A-HJ-NP-Z0-9]{5}$/u);
    }
    // Most cars carry the home city's plate.
    const home = plated.filter((v) => plateHome(v.fields.plate!) === v.store.city);
    expect(home.length).toBeGreaterThan(plated.length * 0.85);
  });

  it('links every vehicle to its owner, and company fleets to companies', () => {
    for (const c of customers) for (const v of c.vehicles) expect(v.fields.ownerCustomerId).toBe(c.id);
    const fleets = customers.filter((c) => c.fields.kind === 'company');
    expect(fleets.length).toBeGreaterThan(0);
    for (const f of fleets) expect(f.vehicles.length).toBeGreaterThanOrEqual(2);
  });
});

describe('determinism', () => {
  it('gives identical plans on every run', () => {
    expect(buildDemoPlan({ today: TODAY })).toEqual(plan);
  });

  it('keeps names, phones, VINs and plates when only the anchor day moves', () => {
    const later = buildDemoPlan({ today: '2027-01-02' });
    expect(identity(later)).toEqual(identity(plan));
    const plates = (p: DemoPlan) =>
      p.stores.flatMap((s) => s.customers.flatMap((c) => c.vehicles.map((v) => v.fields.plate)));
    const [before, after] = [plates(plan), plates(later)];
    const both = before.flatMap((pl, i) => (pl && after[i] ? [[pl, after[i]]] : []));
    expect(both.length).toBeGreaterThan(before.length * 0.9);
    for (const [a, b] of both) expect(a).toBe(b);
  });

  it('makes the small dataset a prefix of the full one', () => {
    const small = buildDemoPlan({ today: TODAY, customersPerStore: SMALL_CUSTOMERS_PER_STORE });
    for (const [i, s] of small.stores.entries()) {
      expect(s.customers).toHaveLength(SMALL_CUSTOMERS_PER_STORE);
      expect(s.customers).toEqual(plan.stores[i]!.customers.slice(0, SMALL_CUSTOMERS_PER_STORE));
    }
  });
});

function plateHome(plate: string): string | undefined {
  return { 京: '北京', 津: '天津', 沪: '上海' }[plate[0] ?? ''];
}
