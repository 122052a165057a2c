import { parseArgs } from 'node:util';
import { type Customers, DataAccess } from '@aftersales/data';
import { type Actor, CustomerInput, type CustomerPatch, type FieldChange } from '@aftersales/domain';
import { DEMO_STORES } from '../platform/orgs.ts';

/**
 * Finds — and with `--apply` repairs — customers whose partial edit reset fields to their create
 * defaults (issue 5: before commit e328d3b a PATCH of only `notes` also set kind → individual,
 * consent → calls allowed, contact windows → none).
 *
 * Every edit's audit entry has before/after, so an affected edit is an `update` entry that set one of
 * those fields to its default. An intended change looks the same, so the report lists every candidate
 * for review, and `--apply` restores a field only where it still holds the reset value (nothing
 * changed it since), as a new audited edit by the repair actor. It reads by Query only: each store's
 * customer list, then each customer's history.
 *
 *   TABLE_NAME=… npx tsx packages/seed/src/registry/repair-consent-resets.ts [--store st_…]… [--apply]
 *   (locally add AWS_ENDPOINT_URL_DYNAMODB=http://localhost:<port>; without --store: the demo stores)
 */
const RESETTABLE = ['kind', 'consent', 'preferredContactWindows'] as const;
type Resettable = (typeof RESETTABLE)[number];
const DEFAULTS = CustomerInput.pick({ kind: true, consent: true, preferredContactWindows: true }).parse({});
const REPAIR_ACTOR: Actor = {
  userId: 'system:repair',
  name: 'Repair: fields reset by a partial edit',
  roles: [],
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface Candidate {
  storeId: string;
  customerId: string;
  at: string;
  /** The values the edit overwrote with defaults. */
  restore: Partial<Record<Resettable, unknown>>;
}

function resetsIn(changes: readonly FieldChange[]): Candidate['restore'] {
  const restore: Candidate['restore'] = {};
  for (const change of changes) {
    const field = change.field as Resettable;
    if (RESETTABLE.includes(field) && change.from !== undefined && same(change.to, DEFAULTS[field]))
      restore[field] = change.from;
  }
  return restore;
}

async function customerCandidates(storeId: string, customers: Customers, id: string): Promise<Candidate[]> {
  const found: Candidate[] = [];
  let cursor: string | undefined;
  do {
    const page = await customers.history(id, { cursor, limit: 100 });
    for (const entry of page.items.filter((e) => e.action === 'update')) {
      const restore = resetsIn(entry.changes);
      if (Object.keys(restore).length > 0) found.push({ storeId, customerId: id, at: entry.at, restore });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

export async function findConsentResets(data: DataAccess, storeIds: readonly string[]): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const storeId of storeIds) {
    const { customers } = data.forTenant({ tenantId: storeId, actor: REPAIR_ACTOR });
    let cursor: string | undefined;
    do {
      const page = await customers.searchByName('', { cursor, limit: 100 });
      for (const list of await Promise.all(
        page.items.map((c) => customerCandidates(storeId, customers, c.id)),
      ))
        found.push(...list);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return found.sort((a, b) => a.at.localeCompare(b.at));
}

/** Restores each candidate's fields that still hold the reset value; returns what it changed. */
export async function repairConsentResets(data: DataAccess, candidates: readonly Candidate[]) {
  const repaired: { storeId: string; customerId: string; fields: string[] }[] = [];
  for (const c of candidates) {
    const { customers } = data.forTenant({ tenantId: c.storeId, actor: REPAIR_ACTOR });
    const current = await customers.get(c.customerId);
    if (!current) continue;
    const patch: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(c.restore) as [Resettable, unknown][])
      if (same(current[field], DEFAULTS[field])) patch[field] = value;
    if (Object.keys(patch).length === 0) continue;
    await customers.update(c.customerId, patch as CustomerPatch, current.version);
    repaired.push({ storeId: c.storeId, customerId: c.customerId, fields: Object.keys(patch) });
  }
  return repaired;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { apply: { type: 'boolean', default: false }, store: { type: 'string', multiple: true } },
  });
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('Set TABLE_NAME (and AWS_ENDPOINT_URL_DYNAMODB for a local table).');
  const data = new DataAccess({ tableName });
  const candidates = await findConsentResets(data, values.store ?? DEMO_STORES.map((s) => s.id));
  console.log(JSON.stringify({ candidates }, null, 2));
  if (values.apply)
    console.log(JSON.stringify({ repaired: await repairConsentResets(data, candidates) }, null, 2));
}
