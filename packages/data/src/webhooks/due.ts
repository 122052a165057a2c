import { RequiredText } from '@aftersales/domain';
import * as z from 'zod';
import type { DueJobType } from '../platform/due.ts';
import { QUEUES } from '../platform/table.ts';

/**
 * 推送: one attempt of one delivery. Every message of the WebhookDeliveries queue is one of these: sent
 * at once (publish, a redelivery, a retry due within SQS's 15-minute delay) or by the due sweeper (a
 * longer wait, and the backstop of every send). The job's id is the delivery's, so each recorded
 * attempt moves the delivery's one job.
 */
export const WEBHOOK_DELIVERY_DUE = {
  name: 'webhook.attempt',
  payload: z.object({ deliveryId: RequiredText, attempt: z.int().check(z.positive()) }),
  queue: QUEUES.webhookDeliveries,
} as const satisfies DueJobType;
