import type { ScheduleDefinition } from '@aftersales/data';
import { logger } from '@aftersales/runtime';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { lambdaContext } from './poller.ts';

export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

/**
 * Plays the part of an EventBridge schedule: calls the handler every `rateMinutes` with the event
 * EventBridge would send. Runs never overlap; a failed run is logged and the next one comes on time.
 */
export class LocalClock {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly schedule: ScheduleDefinition,
    private readonly handler: ScheduledHandler,
    private readonly region = process.env.AWS_REGION ?? 'us-east-1',
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.schedule.rateMinutes * 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One scheduled invocation, now. */
  async tick(at = new Date()): Promise<unknown> {
    if (this.running) return undefined;
    const event: ScheduledEvent = {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: at.toISOString(),
      region: this.region,
      resources: [`arn:aws:events:${this.region}:000000000000:rule/${this.schedule.id}`],
      detail: {},
    };
    this.running = this.handler(event, lambdaContext(this.schedule.id, this.schedule.timeoutSeconds))
      .catch((err) => logger.error('scheduled handler failed', { schedule: this.schedule.id, err }))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
