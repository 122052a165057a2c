import { DataAccess, extendPlatform } from '@aftersales/data';
import { Outbox } from '@aftersales/data/messages';
import type { MessageRequest, OutboundMessage } from '@aftersales/domain';
import { TEST_PROBES } from '@aftersales/functions/test-probe/probes';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/**
 * 消息: a message queued by a capability's repository reaches the Messages consumer (routed now, or
 * handed on by the due sweeper later), which checks consent and quiet hours, sends through the local
 * outbox sender and records the outcome the outbox page shows.
 */
beforeAll(() => {
  useStackEnv();
  // The sweeper runs in this worker: it must know every due job type other suites may have left.
  extendPlatform(TEST_PROBES);
});

const actor = { userId: demo.managerAId, name: 'Manager', roles: ['service_manager' as const] };
const DAY = 86_400_000;

function tenant() {
  return new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: demo.storeA, actor });
}

/** A fixed-offset zone whose local hour now is `hour` (Etc/GMT-8 is UTC+8): quiet or not, by choice. */
function zoneAtLocalHour(hour: number): string {
  let offset = (((hour - new Date().getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function phone(): string {
  return `139${uniqueSuffix().padStart(8, '0').slice(-8)}`;
}

async function customer(messages: boolean): Promise<{ id: string; phone: string }> {
  const number = phone();
  const { customer } = await tenant().customers.create({
    kind: 'individual',
    name: `短信测试${uniqueSuffix()}`,
    phones: [{ number, label: 'mobile' }],
    preferredContactWindows: [],
    consent: { calls: true, messages },
  });
  return { id: customer.id, phone: number };
}

function confirmation(to: { id: string; phone: string }, timeZone: string): MessageRequest {
  return {
    to: to.phone,
    customerId: to.id,
    template: 'appointment.confirmed',
    locale: 'zh-CN',
    params: { at: new Date(Date.now() + 2 * DAY).toISOString() },
    store: { name: '测试4S店', timeZone },
  };
}

/** The message once it is no longer as `queued` as when it was written. */
function settled(id: string, done: (m: OutboundMessage) => boolean): Promise<OutboundMessage> {
  return eventually(async () => {
    const m = await tenant().repo(Outbox).get(id);
    return m && done(m) ? m : undefined;
  });
}

async function sweeper() {
  return (await import('@aftersales/functions/due-sweeper/lambda')).sweepDue;
}

describe('message outbox', () => {
  it('sends a queued message through the consumer and records it as sent by the local outbox', async () => {
    // Prepare: a customer who agreed to messages, at noon store-local
    const to = await customer(true);

    // Act
    const { message } = await tenant()
      .repo(Outbox)
      .enqueue(confirmation(to, zoneAtLocalHour(12)));
    const sent = await settled(message.id, (m) => m.status !== 'queued');
    const listed = await call(demo.managerA, 'GET', `/v1/stores/${demo.storeA}/messages?limit=50`);
    const one = await call(demo.managerA, 'GET', `/v1/stores/${demo.storeA}/messages/${message.id}`);

    // Assess
    expect(sent).toMatchObject({ status: 'sent', provider: 'local-outbox', attempts: 1 });
    expect(sent.providerMessageId).toBeTruthy();
    expect(sent.text).toMatch(/^【测试4S店】您的预约已确认/);
    expect(listed.status).toBe(200);
    expect(listed.body.sender).toBe('local-outbox');
    expect((listed.body.items as { id: string }[]).map((m) => m.id)).toContain(message.id);
    expect(one.body).toMatchObject({ id: message.id, status: 'sent', to: to.phone, toMasked: false });
  });

  it('suppresses a service message to a customer without message consent, and sends nothing', async () => {
    // Prepare
    const to = await customer(false);

    // Act
    const { message } = await tenant()
      .repo(Outbox)
      .enqueue(confirmation(to, zoneAtLocalHour(12)));
    const done = await settled(message.id, (m) => m.status !== 'queued');

    // Assess
    expect(done).toMatchObject({ status: 'suppressed', reason: 'no_consent', attempts: 0 });
    expect(done.provider).toBeUndefined();
    expect(done.providerMessageId).toBeUndefined();
  });

  it('defers a message in quiet hours to 08:00 store-local and sends it once the clock gets there', async () => {
    // Prepare: 02:00 in the store's zone
    const sweepDue = await sweeper();
    const to = await customer(true);
    const { message } = await tenant()
      .repo(Outbox)
      .enqueue(confirmation(to, zoneAtLocalHour(2)));

    // Act
    const deferred = await settled(message.id, (m) => m.deferredUntil !== undefined);
    const until = Date.parse(deferred.deferredUntil as string);
    await sweepDue(new Date(until - 60_000));
    await new Promise((r) => setTimeout(r, 1_500));
    const early = await tenant().repo(Outbox).require(message.id);
    await sweepDue(new Date(until + 60_000));
    const sent = await settled(message.id, (m) => m.status !== 'queued');

    // Assess: held about six hours, to 08:00 local, then sent once
    expect(deferred.status).toBe('queued');
    expect(until - Date.now()).toBeGreaterThan(5 * 3_600_000);
    expect(until - Date.now()).toBeLessThan(7 * 3_600_000);
    expect(early.status).toBe('queued');
    expect(sent).toMatchObject({ status: 'sent', deferredUntil: deferred.deferredUntil });
  });

  it('keeps one message for one dedupe key, returning the first', async () => {
    // Prepare
    const to = await customer(true);
    const request = { ...confirmation(to, zoneAtLocalHour(12)), dedupeKey: `test#${uniqueSuffix()}` };
    const outbox = tenant().repo(Outbox);

    // Act
    const first = await outbox.enqueue(request);
    const second = await outbox.enqueue({ ...request, params: { at: new Date().toISOString() } });
    const page = await outbox.listByCustomer(to.id, { limit: 10 });

    // Assess
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, message: { id: first.message.id } });
    expect(page.items.map((m) => m.id)).toEqual([first.message.id]);
  });

  it('sends a message scheduled for later at its time, and a cancelled one never', async () => {
    // Prepare: two reminders tomorrow at store-local noon; one of them is cancelled (a booking moved)
    const sweepDue = await sweeper();
    const to = await customer(true);
    const outbox = tenant().repo(Outbox);
    const sendAfter = new Date(Date.now() + DAY).toISOString();
    const base = { ...confirmation(to, zoneAtLocalHour(12)), template: 'appointment.reminderDay' as const };
    const kept = await outbox.enqueue({ ...base, sendAfter, dedupeKey: `keep#${uniqueSuffix()}` });
    const dropKey = `drop#${uniqueSuffix()}`;
    const dropped = await outbox.enqueue({ ...base, sendAfter, dedupeKey: dropKey });
    const table = tenant().table;
    await table.transact(await outbox.cancelOps(dropKey));

    // Act
    await sweepDue(new Date(Date.parse(sendAfter) + 60_000));
    const sent = await settled(kept.message.id, (m) => m.status !== 'queued');
    const cancelled = await outbox.require(dropped.message.id);
    const again = await outbox.enqueue({ ...base, sendAfter, dedupeKey: dropKey });

    // Assess: the freed key queues a new message (a booking moved back to its first time)
    expect(sent.status).toBe('sent');
    expect(cancelled).toMatchObject({ status: 'suppressed', reason: 'cancelled' });
    expect(again.created).toBe(true);
    expect(again.message.id).not.toBe(dropped.message.id);
  });

  it('are not readable from another store', async () => {
    // Prepare
    const to = await customer(true);
    const { message } = await tenant()
      .repo(Outbox)
      .enqueue(confirmation(to, zoneAtLocalHour(12)));

    // Act
    const other = await call(demo.advisorB, 'GET', `/v1/stores/${demo.storeA}/messages/${message.id}`);
    const own = await call(demo.advisorB, 'GET', `/v1/stores/${demo.storeB}/messages/${message.id}`);

    // Assess
    // A store the caller has no role in is answered as if it did not exist.
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(message.id);
    expect(own.status).toBe(404);
  });
});
