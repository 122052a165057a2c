import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * Writes a bench's background data fast: BatchWriteItem of 25 items, `parallel` batches in flight.
 * Only for data the measured screens read, never for what they measure writing. Unprocessed items are
 * not retried: DynamoDB Local processes every item of a batch.
 */
export async function batchWrite(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  parallel = 4,
): Promise<void> {
  for (let i = 0; i < items.length; i += 25 * parallel)
    await Promise.all(
      Array.from({ length: parallel }, (_, j) => items.slice(i + j * 25, i + (j + 1) * 25))
        .filter((chunk) => chunk.length > 0)
        .map((chunk) =>
          client.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [tableName]: chunk.map((item) => ({
                  PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
                })),
              },
            }),
          ),
        ),
    );
}
