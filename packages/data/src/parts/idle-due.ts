import { RequiredText } from '@aftersales/domain';
import * as z from 'zod';
import type { DueJobType } from '../platform/due.ts';
import { QUEUES } from '../platform/table.ts';

/**
 * 呆滞检查: one due job per part, due a year after the movement that scheduled it. The job's id is the
 * part's, so there is never more than one; the ledger schedules it when the book has none pending
 * (`IdleStock` in idle.ts runs it).
 */
export const STOCK_IDLE_DUE = {
  name: 'stock.idleCheck',
  payload: z.object({ partId: RequiredText }),
  queue: QUEUES.stockIdle,
} as const satisfies DueJobType;
