import type { JobLineStatus, RepairOrder } from './model.ts';

/**
 * 预留: what an order's approved work still needs held of each part, so the parts ledger keeps it for
 * the job. Only lines the customer approved and the workshop has not finished hold parts (a declined or
 * proposed line holds nothing); what was already issued to a line is no longer needed held.
 */
const HOLDING: ReadonlySet<JobLineStatus> = new Set([
  'approved',
  'dispatched',
  'in_progress',
  'paused',
  'rework',
]);

/** Per part id, the quantity the order's approved, unfinished work still needs held (above zero only). */
export function partsToHold(ro: Pick<RepairOrder, 'lines'>): Map<string, number> {
  const needs = new Map<string, number>();
  for (const line of ro.lines) {
    if (!HOLDING.has(line.status)) continue;
    for (const part of line.parts) {
      const issued = line.partIssues
        .filter((i) => i.partId === part.partId)
        .reduce((n, i) => n + i.quantity, 0);
      const still = Math.max(0, part.quantity - issued);
      if (still > 0) needs.set(part.partId, (needs.get(part.partId) ?? 0) + still);
    }
  }
  return needs;
}
