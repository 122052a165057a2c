import { declaredQueues } from '@aftersales/data';
import { createRouter } from '@aftersales/worker';

/** The table's stream → one queue per subscribed consumer (see `createRouter`). */
export const handler = createRouter({ queues: declaredQueues() });
