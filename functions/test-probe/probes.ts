import {
  DueMessage,
  defineDueJobType,
  type PlatformExtensions,
  type QueueDefinition,
  RoutedEvent,
} from '@aftersales/data';
import * as z from 'zod';

/**
 * The integration tests' probe consumers, declared on the test side only: the local stack adds them
 * (`startLocalStack({ extensions: TEST_PROBES })`) and the test workers that schedule or replay for them
 * do too (`extendPlatform(TEST_PROBES)`). Nothing deployed, and no production declaration, knows them.
 */

/** What the probes record their runs under: `<tenant>#PROBE#<aggregate or job id>`. */
export const PROBE_KEY_PREFIX = 'PROBE';

/** Records every customer event it handles, so the tests can follow an event from a write to a consumer. */
export const EVENT_PROBE_QUEUE = {
  id: 'EventProbe',
  env: 'EVENT_PROBE',
  consumerTimeoutSeconds: 10,
  visibilityTimeoutSeconds: 60,
  maxReceiveCount: 3,
  batchSize: 10,
  handler: 'test-probe/lambda.ts',
  message: RoutedEvent,
  events: ['customer.created', 'customer.updated'],
} as const satisfies QueueDefinition;

/** Receives the probe's due jobs (`PING_DUE`) from the due sweeper. */
export const DUE_PROBE_QUEUE = {
  id: 'DueProbe',
  env: 'DUE_PROBE',
  consumerTimeoutSeconds: 10,
  visibilityTimeoutSeconds: 60,
  maxReceiveCount: 3,
  batchSize: 10,
  handler: 'test-probe/due.ts',
  message: DueMessage,
} as const satisfies QueueDefinition<DueMessage>;

/** A due job type that exercises the mechanism: delivered to the probe's due queue. */
export const PING_DUE = defineDueJobType({
  name: 'test.ping',
  payload: z.object({ note: z.string() }),
  queue: DUE_PROBE_QUEUE,
});

export const TEST_PROBES = {
  queues: [EVENT_PROBE_QUEUE, DUE_PROBE_QUEUE],
  dueJobTypes: [PING_DUE],
  keyPrefixes: { testProbe: PROBE_KEY_PREFIX },
} as const satisfies PlatformExtensions;
