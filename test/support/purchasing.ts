import type { PurchasePlan } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { call } from './api.ts';
import { demo } from './demo.ts';

/** A store's purchasing routes and the users of its two approvals. */
export const purchasingBase = `/v1/stores/${demo.storeA}/purchasing`;
export const purchaser = demoUserFor('parts_clerk', demo.storeA).username;
const partsManager = demoUserFor('parts_manager', demo.storeA).username;

/** A plan of hand-added lines, approved by the parts manager and then the after-sales manager. */
export async function approvedPlan(lines: { partId: string; quantity: number }[]): Promise<PurchasePlan> {
  const plan = await call<PurchasePlan>(purchaser, 'POST', `${purchasingBase}/plans`, { body: { lines } });
  if (plan.status !== 201) throw new Error(plan.text);
  let current = plan.body;
  for (const [user, step] of [
    [partsManager, 'parts-approval'],
    [demo.managerA, 'final-approval'],
  ] as const) {
    const res = await call<PurchasePlan>(user, 'POST', `${purchasingBase}/plans/${current.id}/${step}`, {
      body: { verdict: 'approve' },
      headers: { 'if-match': `"${current.version}"` },
    });
    if (res.status !== 200) throw new Error(res.text);
    current = res.body;
  }
  return current;
}

/** An order body for all lines of an approved plan, expected `daysAhead` from today. */
export function orderBodyFor(plan: PurchasePlan, daysAhead: number) {
  return {
    planId: plan.id,
    supplier: { name: '上汽大众配件' },
    payment: 'credit',
    origin: 'local',
    expectedOn: dayAhead(daysAhead),
    lines: plan.lines.map((l) => ({ planLineId: l.id })),
  };
}

/** Today plus `days`, as the API's dates are written. */
export function dayAhead(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
