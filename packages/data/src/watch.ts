import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

/**
 * Background jobs a watchdog keeps an eye on, so a job whose messages were lost (the API failed
 * between storing the job and enqueueing it, or the messages went to the dead-letter queue) is
 * noticed and resumed. Platform items, one partition per kind of job:
 * pk `WATCH#<kind>` sk `<createdAt>#<tenantId>#<jobId>`; the watchdog reads the oldest first.
 */
/** The kind under which registry imports are watched. */
export const IMPORT_WATCH = 'registry-import';

export interface WatchedJob {
  sk: string;
  tenantId: string;
  jobId: string;
  requeues: number;
}

export class JobWatch {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async watch(kind: string, tenantId: string, jobId: string, createdAt: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `WATCH#${kind}`,
          sk: `${createdAt}#${tenantId}#${jobId}`,
          type: 'WatchedJob',
          tenantId,
          jobId,
          requeues: 0,
        },
      }),
    );
  }

  /** Watched jobs created before `before`, oldest first. */
  async due(kind: string, before: string, limit = 50): Promise<WatchedJob[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': `WATCH#${kind}`, ':before': before },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({
      sk: String(i.sk),
      tenantId: String(i.tenantId),
      jobId: String(i.jobId),
      requeues: Number(i.requeues ?? 0),
    }));
  }

  async requeued(kind: string, sk: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `WATCH#${kind}`, sk },
        UpdateExpression: 'ADD requeues :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async unwatch(kind: string, sk: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `WATCH#${kind}`, sk } }));
  }
}
