import { DataAccess, type Item } from '@aftersales/data';
import type { DomainEvent } from '@aftersales/domain';
import { PROBE_KEY_PREFIX } from '@aftersales/functions/test-probe/probes';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../packages/worker/src/replay.ts';
import { call, eventually, stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/**
 * Domain events through the real local stack: the table's stream (DynamoDB Local), the stream poller,
 * the event router, SQS and the test-only probe consumer (`EVENT_PROBE_QUEUE`, declared on the test side), built with the one consumer
 * helper.
 */
beforeAll(() => useStackEnv());

const probeUrl = () => stack.queueUrls.EVENT_PROBE_QUEUE_URL!;
const probeDlqUrl = () => stack.queueUrls.EVENT_PROBE_DLQ_URL!;

/** What the probe recorded for an aggregate: one item per event it handled, with its run count. */
async function probed(aggregateId: string): Promise<Item[]> {
  const data = new DataAccess({ tableName: stack.tableName });
  const { table } = data.forTenant({
    tenantId: demo.storeA,
    actor: { userId: 'test', name: 'test', roles: [] },
  });
  return (await table.query({ partition: [PROBE_KEY_PREFIX, aggregateId] })).items;
}

function probeEvent(aggregateId: string): DomainEvent {
  return {
    id: `evt_T${uniqueSuffix()}`,
    type: 'customer.updated',
    schemaVersion: 1,
    tenantId: demo.storeA,
    aggregate: 'customer',
    aggregateId,
    at: new Date().toISOString(),
    actor: { userId: demo.managerAId, name: 'Manager', roles: ['service_manager'] },
    data: { customerId: aggregateId, fields: ['name'] },
  };
}

describe('domain events: stream → router → queue → consumer', () => {
  it('delivers the event of a customer created through the API to a subscribed consumer', async () => {
    // Prepare
    const s = uniqueSuffix();

    // Act
    const created = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/customers`, {
      body: { name: `事件${s}`, phones: [{ number: `136${s.slice(-8).padStart(8, '0')}` }] },
    });
    const seen = await eventually(async () => {
      const items = await probed(created.body.id);
      return items.length > 0 ? items : undefined;
    });

    // Assess
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(seen).toHaveLength(1);
    expect(String(seen[0]!.sk)).toMatch(/^customer\.created#evt_/);
    expect(seen[0]!.runs).toBe(1);
  });

  it('handles an event delivered twice once (idempotency per event id and consumer)', async () => {
    // Prepare
    const sqs = new SQSClient({});
    const aggregateId = `cus_T${uniqueSuffix()}`;
    const event = probeEvent(aggregateId);

    // Act: the same event twice, as a router retry or an SQS redelivery would
    await sqs.send(new SendMessageCommand({ QueueUrl: probeUrl(), MessageBody: JSON.stringify(event) }));
    await eventually(async () => ((await probed(aggregateId)).length > 0 ? true : undefined));
    await sqs.send(new SendMessageCommand({ QueueUrl: probeUrl(), MessageBody: JSON.stringify(event) }));
    await new Promise((r) => setTimeout(r, 2_500));
    const items = await probed(aggregateId);

    // Assess
    expect(items).toHaveLength(1);
    expect(items[0]!.runs).toBe(1);
  });

  it.each([
    ['not an event at all', (marker: string) => ({ marker, id: 'x' })],
    [
      'an event whose payload does not match its type',
      (marker: string) => ({ ...probeEvent(marker), data: { customerId: marker, fields: 'name' } }),
    ],
  ])(
    'moves a message that does not match the queue schema (%s) to the dead-letter queue at once',
    async (_, body) => {
      // Prepare
      const sqs = new SQSClient({});
      const marker = `poison${uniqueSuffix()}`;
      const message = body(marker);

      // Act
      await sqs.send(new SendMessageCommand({ QueueUrl: probeUrl(), MessageBody: JSON.stringify(message) }));
      const dead = await eventually(async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: probeDlqUrl(),
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
          }),
        );
        const found = (out.Messages ?? []).find((m) => m.Body?.includes(marker));
        if (found)
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: probeDlqUrl(), ReceiptHandle: found.ReceiptHandle! }),
          );
        return found;
      });

      // Assess: one delivery, no retry rounds, never handled; the reason travels with it
      expect(JSON.parse(dead.Body!)).toEqual(message);
      expect(dead.MessageAttributes?.PoisonReason?.StringValue).toBeTruthy();
      expect(await probed(marker)).toEqual([]);
    },
  );

  it('replays a dead-lettered event to its queue, where the consumer handles it', async () => {
    // Prepare: a good event that ended up in the DLQ (say the consumer was broken when it came)
    const sqs = new SQSClient({});
    const aggregateId = `cus_T${uniqueSuffix()}`;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: probeDlqUrl(),
        MessageBody: JSON.stringify(probeEvent(aggregateId)),
      }),
    );

    // Act
    const moved = await replayDeadLetters(sqs, probeDlqUrl(), probeUrl());
    const handled = await eventually(async () => {
      const items = await probed(aggregateId);
      return items.length > 0 ? items : undefined;
    });

    // Assess
    expect(moved).toBeGreaterThanOrEqual(1);
    expect(handled[0]!.runs).toBe(1);
  });
});
