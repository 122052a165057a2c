import {
  countedRoles,
  decideStaffCreation,
  decideStaffEdit,
  decideStaffStatus,
  Staff,
  type StaffFields,
  type StaffPatch,
  type StaffStatus,
  usernameTakenError,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import { type IdempotencyRequest, idempotentResult } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable } from '../platform/tenant-table.ts';

/**
 * 人员, one item per person of the store. Keys, all from this declaration:
 * - staff          pk `<t>#STAFF#<userId>` sk `#STAFF`; gsi1 `<t>#STAFFS` / `<username>` (the list, A–Z)
 * - managers       gsi2 `<t>#STAFFMGR` / `<userId>` (sparse: active service managers only), what the
 *                  last-manager rule counts in one small Query
 * - username guard pk `<t>#STAFFUSER#<username>` sk `#STAFFUSER`: one person per username in the store
 */
export const STAFF_MEMBER = defineAggregate({
  name: 'staff',
  label: 'Staff',
  idParam: 'staffId',
  prefix: 'STAFF',
  recordSk: '#STAFF',
  schema: Staff,
  indexes: {
    byUsername: { index: 'gsi1', prefix: 'STAFFS', key: (s) => ({ pk: [], sk: s.username }) },
    managers: {
      index: 'gsi2',
      prefix: 'STAFFMGR',
      key: (s) => (countedRoles(s).includes('service_manager') ? { pk: [], sk: s.id } : undefined),
    },
  },
  lookups: {
    username: {
      prefix: 'STAFFUSER',
      type: 'StaffUsernameGuard',
      values: (s) => [s.username],
      unique: (username) => usernameTakenError(username),
    },
  },
});

/** At most this many managers are counted: a store has a handful. */
const MANAGERS_READ = 50;

export class StaffMembers extends AggregateRepository<typeof STAFF_MEMBER> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, STAFF_MEMBER);
  }

  /** A new person, with the id the identity provider gave their account. */
  async create(id: string, fields: StaffFields, idempotency?: IdempotencyRequest): Promise<Staff> {
    const decision = decideStaffCreation(fields, {
      id,
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
    });
    const { record } = await this.createRecord(decision.next, { ...decision, idempotency });
    return record;
  }

  /** The person an earlier invitation with this Idempotency-Key added, asked before any account is made. */
  async replayed(idempotency: IdempotencyRequest | undefined): Promise<Staff | undefined> {
    if (!idempotency) return undefined;
    const id = await idempotentResult(this.t, idempotency, this.declaration.name, this.now());
    return id ? this.require(id) : undefined;
  }

  async update(id: string, patch: StaffPatch, expectedVersion: number, actorId: string): Promise<Staff> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideStaffEdit(current, patch, await this.actor(actorId), this.now().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** Disables, enables or removes a person (audited as that action). */
  async setStatus(
    id: string,
    status: StaffStatus,
    expectedVersion: number,
    actorId: string,
  ): Promise<{ before: Staff; after: Staff }> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideStaffStatus(current, status, await this.actor(actorId), this.now().toISOString());
    if (!decision) return { before: current, after: current };
    const action = status === 'active' ? 'enable' : status === 'disabled' ? 'disable' : 'remove';
    return { before: current, after: await this.save(current, decision.next, { ...decision, action }) };
  }

  /** The store's people by username, A–Z: one Query a page. */
  list(page: PageRequest): Promise<Page<Staff>> {
    return this.queryIndex('byUsername', [], page);
  }

  private async actor(userId: string) {
    const managers = await this.queryIndex('managers', [], { limit: MANAGERS_READ });
    return { userId, activeManagers: managers.items.length };
  }
}
