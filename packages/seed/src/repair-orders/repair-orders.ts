import type { DataAccess, TenantData } from '@aftersales/data';
import { LemonRecords } from '@aftersales/data/lemon-law';
import { RepairOrders } from '@aftersales/data/repair-orders';
import { LabourOps } from '@aftersales/data/setup';
import {
  type Actor,
  AppError,
  addDays,
  type CheckInFields,
  LemonLawDays,
  type LemonLawDaysInput,
  type Payer,
  type RepairOrder,
  type Role,
  type Store,
  settlementShares,
  type VehicleListItem,
  type WarrantyProblem,
  zonedInstant,
} from '@aftersales/domain';
import { demoUsersOf } from '../platform/users.ts';
import { writeDemoWalkAround } from './walk-around.ts';

/** What the demo cars came in with (问诊), in the customer's words, and the operation that answers it. */
const JOBS: readonly { words: string; code: string }[] = [
  { words: '常规保养', code: 'MNT-01' },
  { words: '刹车时前轮有异响', code: 'BRK-01' },
  { words: '定期保养检查', code: 'MNT-09' },
  { words: '后刹车片磨损报警', code: 'BRK-02' },
  { words: '轮胎偏磨', code: 'CHS-03' },
];

/** How far each order of today's board has come (看板): one card in every state. */
const TODAY: readonly Stage[] = [
  'checked_in',
  'diagnosing',
  'quoted',
  'approved',
  'paused',
  'quality_check',
  'ready',
  'settled',
];
type Stage =
  | 'checked_in'
  | 'diagnosing'
  | 'quoted'
  | 'approved'
  | 'paused'
  | 'quality_check'
  | 'ready'
  | 'settled'
  | 'delivered';
const ORDER: readonly Stage[] = [...TODAY.slice(0, 5), 'quality_check', 'ready', 'settled', 'delivered'];
const reached = (target: Stage, stage: Stage) => ORDER.indexOf(target) >= ORDER.indexOf(stage);

/** Days of delivered history (HQ's 30-day figures), and orders delivered on each (a quiet day has one). */
const HISTORY_DAYS = 30;
const perDay = (daysAgo: number) => (daysAgo % 3 === 0 ? 1 : 2);

interface Plan {
  stage: Stage;
  /** The concerns' jobs (indexes of {@link JOBS}), who pays each, and a warranty job's coded fault (三包). */
  jobs: readonly { job: number; payer: Payer; fault?: WarrantyProblem }[];
  /** A team check sends the first line back once (返工). */
  rework?: boolean;
  /** Delivered after the promised time. */
  late?: boolean;
  /** 三包除外天数 the advisor states at delivery. */
  lemonLaw?: LemonLawDaysInput;
}

/**
 * Each store's repair orders: today's workshop board with a card in every state (接车 to 结算, one line
 * paused waiting for parts), and a month of delivered orders — some under warranty, one reworked, some
 * late, one car back within days (返修) — so HQ's 30-day figures have history. Driven through the
 * repository by the hands each step needs at the time it happened (the store's demo users, or the seed
 * for a role the store has none of). Skipped when the store has open orders (a second start); a vehicle
 * whose readings refuse the demo odometer is passed over. No technician is left clocked on.
 */
export async function writeDemoRepairOrders(data: DataAccess, store: Store, today: string): Promise<number> {
  let clock = new Date();
  const as = (role: Role) => {
    const user = demoUsersOf(store).find((u) =>
      u.memberships.some((m) => m.tenantId === store.id && m.roles.includes(role)),
    );
    const actor: Actor = user
      ? { userId: user.id, name: user.displayName, roles: [role] }
      : { userId: 'system', name: 'Demo seed', roles: [role] };
    const tenant = data.forTenant({ tenantId: store.id, actor, now: () => clock });
    return { tenant, repo: tenant.repo(RepairOrders), actor };
  };
  const advisor = as('service_advisor');
  const technician = as('technician');
  const foreman = as('workshop_manager');
  if (!demoUsersOf(store).some((u) => u.id === technician.actor.userId)) return 0;
  if ((await advisor.repo.open({ limit: 1 })).items.length > 0) return 0;
  const ops = await advisor.tenant.repo(LabourOps).list('', { limit: 200 });
  const opIds = JOBS.map((j) => ops.items.find((o) => o.code === j.code)?.id);
  const vehicles = (await advisor.tenant.vehicles.recent({ limit: 100 })).items.filter((v) => v.owner);
  let nextVehicle = 0;
  const later = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
  };

  /** One order from check-in at `start` to `plan.stage`; undefined when its vehicle was refused. */
  async function drive(
    plan: Plan,
    start: Date,
    vehicle = vehicles[nextVehicle++ % vehicles.length],
  ): Promise<RepairOrder | undefined> {
    if (!vehicle?.owner) return undefined;
    clock = start;
    // Between the car's readings around the visit (the registry's own come later in demo time).
    const { before, after } = await advisor.tenant.vehicles.readingsAround(vehicle.id, start.toISOString());
    const km = (before?.km ?? 0) + 300;
    if (after && after.km < km) return undefined;
    const input: CheckInFields = {
      source: { kind: 'walk_in' },
      vehicleId: vehicle.id,
      customerId: vehicle.owner.customerId,
      odometerKm: km,
      fuelLevel: 2 + (nextVehicle % 6),
      promisedAt: new Date(start.getTime() + (plan.late ? 60 : 5 * 60) * 60_000).toISOString(),
      concerns: plan.jobs.map(({ job, payer }) => ({ words: JOBS[job]!.words, payer })),
    };
    let ro: RepairOrder;
    try {
      ro = (await advisor.repo.checkIn(advisor.tenant, input)).repairOrder;
      await writeDemoWalkAround(advisor.tenant, ro.id, nextVehicle);
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return undefined;
      throw e;
    }
    const lineIds = ro.lines.map((l) => l.id);
    if (!reached(plan.stage, 'diagnosing')) return ro;
    later(10);
    ro = await advisor.repo.transition(ro.id, { to: 'diagnosing' }, ro.version);
    if (!reached(plan.stage, 'quoted')) return ro;
    later(20);
    for (const [i, { job, payer, fault }] of plan.jobs.entries()) {
      const labourOpId = opIds[job];
      ro = await advisor.repo.editLine(
        advisor.tenant,
        ro.id,
        lineIds[i]!,
        {
          complaint: JOBS[job]!.words,
          payer,
          labour: labourOpId ? [{ labourOpId }] : [],
          parts: [],
          consumables: [],
          discountBp: 0,
          ...(fault ? { fault } : {}),
        },
        ro.version,
      );
    }
    ro = await advisor.repo.quote(advisor.tenant, ro.id, ro.version);
    if (!reached(plan.stage, 'approved')) return ro;
    later(15);
    ro = await advisor.repo.approve(ro.id, {
      quoteVersion: ro.quotes.at(-1)!.version,
      // By the link: a counter approval names a sealed signature image, and the seed writes no objects.
      method: 'remote_link',
      approverName: ro.customerName ?? '客户',
      from: '198.51.100.8',
      decisions: lineIds.map((lineId) => ({ lineId, approved: true })),
    });
    if (!reached(plan.stage, 'paused')) return ro;
    for (const lineId of lineIds)
      ro = await foreman.repo.dispatch(foreman.tenant, ro.id, lineId, {
        technicianId: technician.actor.userId,
      });
    for (const [i, lineId] of lineIds.entries()) {
      later(10);
      await technician.repo.clockOn(technician.tenant, ro.id, lineId);
      later(ro.lines[i]!.labour.reduce((n, l) => n + l.tenths * 6, 0) + (i % 2 ? -5 : 8));
      if (plan.stage === 'paused')
        return technician.repo.clockOff(ro.id, lineId, { outcome: 'paused', pauseReason: 'waiting_parts' });
      ro = await technician.repo.clockOff(ro.id, lineId, { outcome: 'done' });
    }
    if (!reached(plan.stage, 'ready')) return ro;
    for (const [i, lineId] of lineIds.entries()) {
      later(5);
      await technician.repo.check(ro.id, lineId, { stage: 'self', passed: true });
      if (plan.rework && i === 0) {
        await foreman.repo.check(ro.id, lineId, { stage: 'team', passed: false, reason: '试车仍有异响' });
        await technician.repo.clockOn(technician.tenant, ro.id, lineId);
        later(25);
        await technician.repo.clockOff(ro.id, lineId, { outcome: 'done' });
        await technician.repo.check(ro.id, lineId, { stage: 'self', passed: true });
      }
      await foreman.repo.check(ro.id, lineId, { stage: 'team', passed: true });
      ro = await foreman.repo.check(ro.id, lineId, { stage: 'final', passed: true });
    }
    if (!reached(plan.stage, 'settled')) return ro;
    later(plan.late ? 40 : 15);
    const due = settlementShares(ro).find((s) => s.payer === 'customer')?.total ?? 0;
    const payments = due
      ? [{ method: 'wechat' as const, amount: { amountMinor: due, currency: 'CNY' as const } }]
      : [];
    ro = await advisor.repo.settle(ro.id, { payments }, ro.version);
    if (!reached(plan.stage, 'delivered')) return ro;
    later(10);
    return advisor.repo.deliver(
      ro.id,
      {
        keysHandedOver: true,
        valuablesReturned: true,
        workExplained: true,
        oldParts: 'returned_to_customer',
        ...(plan.lemonLaw ? { lemonLaw: LemonLawDays.parse(plan.lemonLaw) } : {}),
      },
      ro.version,
    );
  }

  let written = 0;
  const count = (ro: RepairOrder | undefined) => {
    if (ro) written += 1;
    return ro;
  };
  // 三包 cars first, months before the month's orders (their readings come first); the cars the month's
  // orders will not take are tried first, so that in a large demo the two histories stay apart.
  let historyOrders = TODAY.length;
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) historyOrders += perDay(daysAgo);
  const used = Math.min(historyOrders, vehicles.length);
  written += await lemonCars(
    store,
    today,
    [...vehicles.slice(used), ...vehicles.slice(0, used)],
    advisor.tenant,
    drive,
  );
  // A month of delivered orders, oldest first: every third under warranty, every fifth late.
  let n = 0;
  let comebackOf: RepairOrder | undefined;
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
    const day = addDays(today, -daysAgo);
    for (let k = 0; k < perDay(daysAgo); k++) {
      n += 1;
      const start = new Date(zonedInstant(day, k ? '13:30' : '09:00', store.timeZone));
      const plan: Plan = {
        stage: 'delivered',
        jobs: [
          { job: n % JOBS.length, payer: 'customer' },
          ...(n % 3 === 0 ? [{ job: (n + 1) % JOBS.length, payer: 'warranty' as const }] : []),
        ],
        rework: daysAgo === 9 && k === 0,
        late: n % 5 === 0,
      };
      // 返修: the car delivered twelve days ago back a week later with the same concern.
      const back = daysAgo === 5 && k === 0 ? comebackOf : undefined;
      const vehicle = back ? vehicles.find((v) => v.id === back.vehicleId) : undefined;
      const ro = count(await drive(plan, start, vehicle));
      if (daysAgo === 12 && k === 0) comebackOf = ro;
    }
  }
  // Today's board, checked in through the morning.
  const morning = new Date(Date.now() - 4 * 3_600_000);
  for (const [i, stage] of TODAY.entries())
    count(
      await drive(
        {
          stage,
          jobs: [
            { job: i % JOBS.length, payer: 'customer' },
            ...(i % 2 ? [{ job: (i + 2) % JOBS.length, payer: 'warranty' as const }] : []),
          ],
        },
        new Date(morning.getTime() + i * 15 * 60_000),
      ),
    );
  return written;
}

/** Repairs of one problem a 三包 demo car has had: 4 is a warning under CN-2022, 5 an alert. */
const LEMON_CARS = [
  { repairs: 4, fault: { system: 'transmission', code: 'P0700' } },
  { repairs: 5, fault: { system: 'electrical', code: 'B1318' } },
] as const;

/**
 * 三包预警 cars: two vehicles of the store (sold 7 to 23 months ago, well inside 50,000 km) back again
 * and again for one coded warranty fault, a month apart from about half a year ago, the last more than
 * 60 days ago — so the month's HQ figures (30-day windows), comebacks (within 30 days of a delivery) and
 * claims (filed from the last 40 days) are those of the month's orders. Their counters are folded as
 * the lemon-law consumer folds them, by the same function, after each delivery. The alert car's last
 * delivery states a day waiting for an excluded part (三包除外天数): it leaves the repair counts, which
 * decide both levels, as they are.
 */
async function lemonCars(
  store: Store,
  today: string,
  candidates: readonly VehicleListItem[],
  tenant: TenantData,
  drive: (plan: Plan, start: Date, vehicle: VehicleListItem) => Promise<RepairOrder | undefined>,
): Promise<number> {
  // Sold before the first repair (190 days ago) and still inside the 24 months when the list is read.
  const soldBetween = [addDays(today, -700), addDays(today, -200)];
  const cars = candidates.filter((v) => {
    const sold = v.deliveryDate ?? v.invoiceDate;
    return sold && sold >= soldBetween[0]! && sold <= soldBetween[1]! && (v.lastOdometerKm ?? 0) < 40_000;
  });
  let written = 0;
  for (const [i, { repairs, fault }] of LEMON_CARS.entries()) {
    const vehicle = cars[i];
    if (!vehicle) break;
    for (let visit = 0; visit < repairs; visit++) {
      const day = addDays(today, -(70 + 30 * (repairs - 1 - visit)));
      const ro = await drive(
        {
          stage: 'delivered',
          jobs: [
            { job: 3, payer: 'warranty', fault: { ...fault, seriousSafety: false, mainPartsReplaced: [] } },
          ],
          // The alert car's last visit waited its day for a VIN-coded part (a same-day visit has 1 day).
          ...(repairs === 5 && visit === repairs - 1 ? { lemonLaw: { excludedPartWaitDays: 1 } } : {}),
        },
        new Date(zonedInstant(day, '10:00', store.timeZone)),
        vehicle,
      );
      if (!ro) break;
      written += 1;
      await tenant.repo(LemonRecords).recordDelivery(tenant, store, ro.id);
    }
  }
  return written;
}
