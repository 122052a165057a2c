import {
  deadLetterUrlEnv,
  QUEUES,
  type QueueDefinition,
  type QueueName,
  queueUrlEnv,
} from '@aftersales/data/table';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** One work queue with its dead-letter queue and the alarm that watches it. */
export interface WorkQueue {
  readonly name: QueueName;
  readonly definition: QueueDefinition;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** Fires as soon as one message is in the dead-letter queue (it ran out of retries). */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The environment variable that carries the queue URL: `<ENV>_QUEUE_URL`. */
  readonly urlEnv: string;
  /** The consumer's own variable for its dead-letter queue (poison messages go there directly). */
  readonly deadLetterUrlEnv: string;
}

/**
 * One SQS queue per entry of `QUEUES` (`@aftersales/data/table`), each with a dead-letter queue after
 * `maxReceiveCount` deliveries, the visibility timeout from the definition, TLS-only access,
 * SQS-managed encryption, and an alarm on any message in the dead-letter queue.
 */
export class Queues extends Construct {
  readonly byName: Readonly<Record<QueueName, WorkQueue>>;
  readonly all: readonly WorkQueue[];
  /** Where the event router's stream batches go after their last retry (the on-failure destination). */
  readonly routerDeadLetterQueue: sqs.Queue;
  readonly routerDeadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const entries = (Object.entries(QUEUES) as [QueueName, QueueDefinition][]).map(([name, definition]) => {
      const deadLetterQueue = new sqs.Queue(this, `${definition.id}DeadLetterQueue`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, `${definition.id}Queue`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      const deadLetterAlarm = this.alarmOn(
        deadLetterQueue,
        `${definition.id}DeadLetterAlarm`,
        `Messages of ${definition.id} ran out of retries or did not parse and are in its dead-letter queue.`,
      );
      const workQueue: WorkQueue = {
        name,
        definition,
        queue,
        deadLetterQueue,
        deadLetterAlarm,
        urlEnv: queueUrlEnv(definition),
        deadLetterUrlEnv: deadLetterUrlEnv(definition),
      };
      return [name, workQueue] as const;
    });

    this.byName = Object.fromEntries(entries) as Record<QueueName, WorkQueue>;
    this.all = entries.map(([, q]) => q);

    this.routerDeadLetterQueue = new sqs.Queue(this, 'EventRouterDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.routerDeadLetterAlarm = this.alarmOn(
      this.routerDeadLetterQueue,
      'EventRouterDeadLetterAlarm',
      'Stream batches the event router could not route after every retry (records of where to replay from).',
    );
    Validations.of(this.routerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter destination: the on-failure destination of the event router's " +
        'stream event source mapping, which cdk-nag cannot see as a redrive target.',
    });
  }

  /** Fires as soon as one message is in `queue` (a dead-letter queue: something ran out of retries). */
  private alarmOn(queue: sqs.Queue, id: string, description: string): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** `{ <ENV>_QUEUE_URL: url }` for every queue: what each function receives. */
  environment(): Record<string, string> {
    return Object.fromEntries(this.all.map((q) => [q.urlEnv, q.queue.queueUrl]));
  }
}
