import { DataAccess } from '@aftersales/data';
import { findConsentResets, repairConsentResets } from '@aftersales/seed/repair-consent-resets';
import { describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';

describe('repair of fields reset by a partial edit (issue 5)', () => {
  it('finds the reset in the audit log and restores what the customer had, once', async () => {
    // Prepare: a company that refused calls, then an edit as the old PATCH wrote it (defaults applied)
    useStackEnv();
    const actor = { userId: demo.advisorAId, name: 'advisor', roles: ['service_advisor' as const] };
    const data = new DataAccess({ tableName: stack.tableName });
    const { customers } = data.forTenant({
      tenantId: demo.storeA,
      actor,
    });
    const { customer } = await customers.create({
      kind: 'company',
      name: '华辰物流',
      phones: [{ number: '13800009999', label: 'work' }],
      preferredContactWindows: ['morning'],
      consent: { calls: false, messages: true },
    });
    await customers.update(
      customer.id,
      {
        notes: 'only the notes were meant',
        kind: 'individual',
        consent: { calls: true, messages: false },
        preferredContactWindows: [],
      },
      1,
    );
    // Act
    const mine = (await findConsentResets(data, [demo.storeA])).filter((c) => c.customerId === customer.id);
    const repaired = await repairConsentResets(data, mine);
    const again = await repairConsentResets(data, mine);
    const after = await customers.require(customer.id);
    // Assess
    expect(mine).toHaveLength(1);
    expect(repaired).toEqual([
      {
        storeId: demo.storeA,
        customerId: customer.id,
        fields: ['consent', 'kind', 'preferredContactWindows'],
      },
    ]);
    expect(again).toEqual([]);
    expect(after).toMatchObject({
      kind: 'company',
      consent: { calls: false, messages: true },
      preferredContactWindows: ['morning'],
      notes: 'only the notes were meant',
      version: 3,
    });
  });
});
