import type { DataAccess } from '@aftersales/data';
import { Outbox } from '@aftersales/data/messages';
import type { StorePlan } from '../registry/generate.ts';

/**
 * A few booking confirmations per demo store (消息), so the outbox page shows what would have been
 * sent from the first start. Keyed by customer: a re-run after an interrupted seed adds no copies.
 */
const PER_STORE = 3;

export async function writeDemoMessages(
  data: DataAccess,
  plan: StorePlan,
  today: string,
  actor: Parameters<DataAccess['forTenant']>[0]['actor'],
): Promise<void> {
  const outbox = data.forTenant({ tenantId: plan.store.id, actor }).repo(Outbox);
  for (const [n, customer] of plan.customers.slice(0, PER_STORE).entries()) {
    const phone = customer.fields.phones[0];
    if (!phone) continue;
    // Tomorrow from 09:30 in the demo stores' zone (Asia/Shanghai, UTC+8), an hour apart.
    const at = new Date(`${today}T01:30:00.000Z`);
    at.setUTCDate(at.getUTCDate() + 1);
    at.setUTCHours(at.getUTCHours() + n);
    await outbox.enqueue({
      to: phone.number,
      customerId: customer.id,
      template: 'appointment.confirmed',
      locale: 'zh-CN',
      params: { at: at.toISOString() },
      store: { name: plan.store.name, timeZone: plan.store.timeZone },
      dedupeKey: `demo#${customer.id}#confirmed`,
    });
  }
}
