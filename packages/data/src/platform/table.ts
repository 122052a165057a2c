import {
  Actor,
  DomainEvent,
  type DomainEventType,
  EVENT_PAYLOADS,
  HQ_FIGURES,
  Instant,
  RequiredText,
  ROOM_EVENTS,
} from '@aftersales/domain';
import * as z from 'zod';

/**
 * The one definition of the table and the queues. The CDK stack (infra/) and the local bootstrap
 * (packages/local) both read it, so the shapes cannot drift apart.
 *
 * Key design (single table, generic key names):
 * - Every tenant item's `pk` begins with the tenant id (`st_…#`, `grp_…#`, `oem_…#`), and so does
 *   every GSI partition key: one IAM condition on `dynamodb:LeadingKeys` isolates a tenant.
 * - Platform items (the directory of users and organisations) begin with `USER#` or `ORG#`.
 * - `expiresAt` (epoch seconds) is the TTL attribute: idempotency records and other short-lived items.
 */
export const TABLE = {
  /** Logical name; the deployed name comes from the stack (env `TABLE_NAME`). */
  logicalName: 'AftersalesTable',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  /**
   * The table's stream carries new images only: the router needs the event items as written, never the
   * old image (an event item is never updated).
   */
  streamViewType: 'NEW_IMAGE',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type GlobalIndexName = (typeof TABLE.globalIndexes)[number]['name'];

/** What every queue message carries: a business id (for idempotency) and the tenant it is about. */
export interface QueueMessage {
  id: string;
  tenantId: string;
}

export interface QueueDefinition<M extends QueueMessage = QueueMessage> {
  /** Logical id; the env var holding its URL is `<ENV>_QUEUE_URL`, its dead-letter queue `<ENV>_DLQ_URL`. */
  id: string;
  env: string;
  /** Visibility timeout ≥ 6× the consumer's timeout (AWS guidance for Lambda event sources). */
  visibilityTimeoutSeconds: number;
  consumerTimeoutSeconds: number;
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  batchSize: number;
  /** The consumer, as a path under functions/ (CDK bundles it; the local stack imports it). */
  handler: string;
  /** The message schema: producers type-check against its input, the consumer parses with it. */
  message: z.ZodType<M>;
  /** Domain event types the router delivers to this queue (the message is then the event itself). */
  events?: readonly DomainEventType[];
  /**
   * Whose items the consumer writes. `tenant` (the default): the tenant each message is about, through
   * the tenant access role. `group-projection`: a projector writing a store's events into its dealer
   * group's partition; its function gets the group projection role (`grp_*#*` only) instead, never
   * the tenant access role (CDK: `Projections`).
   */
  access?: 'tenant' | ProjectionAccess;
  /** Other queues its consumer sends to (by their ids): CDK grants the sends, nothing else may. */
  sendsTo?: readonly string[];
  /**
   * At most this many batches in flight at once (the SQS event source's maximum concurrency, ≥ 2).
   * For consumers that all write the same few items: more would only make their optimistic writes
   * collide and retry. Unset: Lambda scales with the queue.
   */
  maxConcurrency?: number;
  /**
   * The consumer sends to its own queue (a later step of the same work, delayed: a webhook's next
   * attempt): CDK lets it send there too.
   */
  requeues?: boolean;
}

/**
 * Data that crosses tenants goes through a projection: a consumer whose role reaches one kind of tenant's
 * keys only, narrowed per session to the one target. `group-projection`: a store's events into its dealer
 * group's HQ figures; `oem-projection`: a store's claims into the OEM's partition (and the OEM's webhook
 * deliveries of them).
 */
export const PROJECTIONS = {
  'group-projection': {
    role: 'GroupProjectionRole',
    roleArnEnv: 'GROUP_PROJECTION_ROLE_ARN',
    keyPatterns: ['grp_*#*'],
    /** Read a figures item and write it with the event's mark (a transaction of two conditional Puts). */
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    indexes: false,
  },
  'oem-projection': {
    role: 'OemProjectionRole',
    roleArnEnv: 'OEM_PROJECTION_ROLE_ARN',
    keyPatterns: ['oem_*#*'],
    /**
     * Read and write the OEM's copy of a claim with its audit entry, and fan it out to the OEM's webhook
     * endpoints (Query the subscribed ones, Put a delivery with its due job).
     */
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
    /** The OEM's endpoints are listed from an index. */
    indexes: true,
  },
} as const;
export type ProjectionAccess = keyof typeof PROJECTIONS;

/**
 * The message of a queue fed by the router: the event envelope *and* its payload checked against its
 * type's schema, so a malformed payload is a poison message (straight to the DLQ) rather than a
 * handler failure retried `maxReceiveCount` times.
 */
export const RoutedEvent = DomainEvent.superRefine((event, ctx) => {
  const payload = EVENT_PAYLOADS[event.type].safeParse(event.data);
  for (const issue of payload.success ? [] : payload.error.issues)
    ctx.addIssue({ code: 'custom', path: ['data', ...issue.path], message: issue.message });
});

/**
 * The message of a queue fed by the due sweeper (`scheduleDue`): one due job, whose `type` names its
 * declaration (`defineDueJobType`). `id` (the business id) is unique per job and due time.
 */
export const DueMessage = z.object({
  id: RequiredText,
  tenantId: RequiredText,
  type: RequiredText,
  jobId: RequiredText,
  dueAt: Instant,
  actor: Actor,
  payload: z.record(z.string(), z.unknown()),
});
export type DueMessage = z.infer<typeof DueMessage>;

/**
 * The message of a queue fed both by the router (work to do now, written as an event with its cause)
 * and by the due sweeper (the same work scheduled for later): a routed event or a due job.
 */
export const RoutedOrDue = z.union([RoutedEvent, DueMessage]);
export type RoutedOrDue = z.infer<typeof RoutedOrDue>;

/**
 * The product's queues, one per consumer. A queue that lists `events` is fed by the event router from
 * the table's stream; the others are fed by their producers through `enqueue`.
 */
export const QUEUES = {
  imports: {
    id: 'Imports',
    env: 'IMPORTS',
    consumerTimeoutSeconds: 60,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    batchSize: 5,
    handler: 'imports/lambda.ts',
    message: RoutedEvent,
    events: ['import.chunkStored'],
  },
  hqFigures: {
    id: 'HqFigures',
    env: 'HQ_FIGURES',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'hq-projector/lambda.ts',
    message: RoutedEvent,
    // Exactly the event types the projection has a handler for: there is no list to keep beside it.
    events: HQ_FIGURES.events,
    access: 'group-projection',
    // A CSV import sends thousands of events of one store, all for the same figures item.
    maxConcurrency: 2,
  },
  /**
   * 消息: texts to customers. Now: `message.queued`, written with the message, routed here; later (a
   * reminder, a text held back by quiet hours): a due job (`MESSAGE_DUE`) the sweeper hands here.
   */
  messages: {
    id: 'Messages',
    env: 'MESSAGES',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'messages/lambda.ts',
    message: RoutedOrDue,
    events: ['message.queued'],
  },
  appointmentRooms: {
    id: 'AppointmentRooms',
    env: 'APPOINTMENT_ROOMS',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'appointment-rooms/lambda.ts',
    message: RoutedEvent,
    // Reads the store's own records (read-only session) and writes its group's room items: the tenant
    // access role, narrowed per session to the one store, then to the one group.
    events: ROOM_EVENTS,
  },
  /**
   * 预约短信: on each booking event, the booking's texts (confirmation, reminders a day and an hour before)
   * queued in the outbox or cancelled, from the booking as it now is.
   */
  appointmentTexts: {
    id: 'AppointmentTexts',
    env: 'APPOINTMENT_TEXTS',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'appointment-texts/lambda.ts',
    message: RoutedEvent,
    events: [
      'appointment.booked',
      'appointment.rescheduled',
      'appointment.statusChanged',
      'appointment.linked',
    ],
  },
  /** 预约备件: a cancelled or missed booking's reserved parts released (the status event's `to` decides). */
  appointmentParts: {
    id: 'AppointmentParts',
    env: 'APPOINTMENT_PARTS',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'appointment-parts/lambda.ts',
    message: RoutedEvent,
    events: ['appointment.statusChanged'],
  },
  /**
   * 工单备件: an order's approved work has its parts held in the ledger (`repairOrder.approvalRecorded`);
   * a delivered or cancelled order gives back what it still holds (the status event's `to` decides).
   */
  repairOrderParts: {
    id: 'RepairOrderParts',
    env: 'REPAIR_ORDER_PARTS',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'repair-order-parts/lambda.ts',
    message: RoutedEvent,
    events: ['repairOrder.approvalRecorded', 'repairOrder.statusChanged'],
  },
  /** 三包计数: a delivered order's warranty visit folded into its vehicle's 三包 counters (lemon-law/). */
  lemonLaw: {
    id: 'LemonLaw',
    env: 'LEMON_LAW',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'lemon-law/lambda.ts',
    message: RoutedEvent,
    events: ['repairOrder.delivered'],
  },
  /**
   * 呆滞检查: a part's idle check, due a year after its last movement (`STOCK_IDLE_DUE`): finds the
   * stock obsolete, or moves the check to a year after the movement that came since.
   */
  stockIdle: {
    id: 'StockIdle',
    env: 'STOCK_IDLE',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'stock-idle/lambda.ts',
    message: DueMessage,
  },
  /**
   * 推送: one attempt of one webhook delivery per message (`WEBHOOK_DELIVERY_DUE`), sent at once by the
   * outbox, a redelivery or a retry due within 15 minutes (SQS delay), or by the due sweeper for longer
   * waits. Each attempt waits up to 10 s for the endpoint, one record after another.
   */
  /**
   * 厂家索赔: a store's claim changes copied into the OEM's partition, and announced to the OEM's webhook
   * endpoints. A projector: its role reaches `oem_*#*` keys only, each session narrowed to one OEM.
   */
  oemClaims: {
    id: 'OemClaims',
    env: 'OEM_CLAIMS',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'oem-projector/lambda.ts',
    message: RoutedEvent,
    events: ['claim.changed'],
    access: 'oem-projection',
    // Each change is announced to the OEM's webhook endpoints: one delivery message per endpoint.
    sendsTo: ['WebhookDeliveries'],
  },
  /** 厂家审核: what the OEM did to a claim (`oemClaim.acted`, in the OEM's partition) applied to the store's claim. */
  claimDecisions: {
    id: 'ClaimDecisions',
    env: 'CLAIM_DECISIONS',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    handler: 'claim-decisions/lambda.ts',
    message: RoutedEvent,
    events: ['oemClaim.acted'],
  },
  webhookDeliveries: {
    id: 'WebhookDeliveries',
    env: 'WEBHOOK_DELIVERIES',
    consumerTimeoutSeconds: 60,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    batchSize: 5,
    handler: 'webhook-deliveries/lambda.ts',
    message: DueMessage,
    requeues: true,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;
/** The message a producer hands to `enqueue` for this queue. */
export type QueueInput<Q extends QueueName> = z.input<(typeof QUEUES)[Q]['message']>;

/**
 * Queues declared beside `QUEUES` at run time (`declareQueues`): the integration tests' local stack adds
 * its own consumers this way. CDK builds from `QUEUES` alone, so nothing declared here is ever deployed.
 */
const extraQueues = new Map<string, QueueDefinition>();

/**
 * Adds queue declarations to this process's `declaredQueues()` (the router subscribes them, the local
 * stack creates and polls them). Refuses an id or env name another declaration already holds; an added
 * queue declared again with the same id, env and handler replaces itself (a module loaded twice by a
 * test runner).
 */
export function declareQueues(queues: readonly QueueDefinition[]): void {
  for (const queue of queues) {
    const holder = declaredQueues().find((q) => q.id === queue.id || q.env === queue.env);
    const again =
      holder === extraQueues.get(queue.id) && holder?.env === queue.env && holder.handler === queue.handler;
    if (holder && !again)
      throw new Error(`queue ${queue.id} (${queue.env}) clashes with the declared ${holder.id}`);
    extraQueues.set(queue.id, queue);
  }
}

/** Every queue that exists in this process: `QUEUES`, and any added with `declareQueues`. */
export function declaredQueues(): QueueDefinition[] {
  return [...Object.values(QUEUES), ...extraQueues.values()];
}

export function queueUrlEnv(q: Pick<QueueDefinition, 'env'>): string {
  return `${q.env}_QUEUE_URL`;
}

export function deadLetterUrlEnv(q: Pick<QueueDefinition, 'env'>): string {
  return `${q.env}_DLQ_URL`;
}

/**
 * The event router: the table's stream → one SQS queue per consumer subscribed to the event's type.
 * `filter` is a Lambda event-filter pattern: CDK puts it on the event source mapping (records that do
 * not match are never billed or delivered) and the local stream poller applies the same pattern.
 */
export const ROUTER = {
  id: 'EventRouter',
  handler: 'event-router/lambda.ts',
  timeoutSeconds: 30,
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  /** Attempts on a failing batch (halved each time by bisect-on-error) before it goes to the router's DLQ. */
  retryAttempts: 8,
  maxRecordAgeHours: 24,
  /** Alarm when the router is this far behind the stream. */
  lagAlarmMinutes: 15,
  filter: { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['DomainEvent'] } } } },
} as const;

/**
 * Idempotency records of the queue consumers (Powertools Idempotency on this table): one platform
 * partition per consumer, `WORKER#<queue id>`, the sort key the hashed business id. The consumer's role
 * may touch exactly its own partition (`dynamodb:LeadingKeys`).
 */
export function idempotencyPartition(q: Pick<QueueDefinition, 'id'>): string {
  return `${PLATFORM_KEY_PREFIXES.idempotency[0]}${q.id}`;
}

/** Scheduled jobs (EventBridge rules in AWS, the local clock in development). */
export interface ScheduleDefinition {
  id: string;
  rateMinutes: number;
  timeoutSeconds: number;
  /** The handler, as a path under functions/. */
  handler: string;
}

export const SCHEDULES = {
  /** Hands due work (`scheduleDue`) to its queues: latency up to one interval. */
  dueSweep: {
    id: 'DueSweep',
    rateMinutes: 1,
    timeoutSeconds: 60,
    handler: 'due-sweeper/lambda.ts',
  },
} as const satisfies Record<string, ScheduleDefinition>;

/**
 * Platform (non-tenant) key prefixes and who may touch them with the functions' own credentials:
 * the directory is read-only at run time; each queue consumer keeps its idempotency records under
 * `WORKER#<queue id>`.
 */
export const PLATFORM_KEY_PREFIXES = {
  directory: ['USER#', 'ORG#', 'USERNAME#', 'ORGKIND#'],
  idempotency: ['WORKER#'],
} as const;

/**
 * Item-level actions a tenant session may use: the CDK tenant access role grants them and the
 * runtime's session policy narrows them to one tenant. There is no `TransactWriteItems` IAM action: a
 * transaction is authorised per contained Put/Update/Delete/ConditionCheck. `Scan` is absent on
 * purpose: it carries no leading key to check, and a `ForAllValues` condition is vacuously true when
 * the key is missing.
 */
export const TENANT_SESSION_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;
