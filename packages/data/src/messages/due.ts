import { RequiredText } from '@aftersales/domain';
import * as z from 'zod';
import type { DueJobType } from '../platform/due.ts';
import { QUEUES } from '../platform/table.ts';

/**
 * 消息 due later: a scheduled reminder, or a text quiet hours held back. The job's id is the message's,
 * so deferring it again moves the one job and cancelling the message deletes it.
 */
export const MESSAGE_DUE = {
  name: 'message.send',
  payload: z.object({ messageId: RequiredText }),
  queue: QUEUES.messages,
} as const satisfies DueJobType;
