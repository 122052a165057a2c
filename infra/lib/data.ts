import { TABLE } from '@aftersales/data/table';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * The single DynamoDB table, built from `TABLE` in `@aftersales/data/table` (the same definition the
 * local bootstrap reads), so key names, indexes and the TTL attribute cannot drift between the stack
 * and the code.
 *
 * The table's stream (`NEW_IMAGE`) feeds the event router (`Functions`).
 *
 * On-demand capacity (no cost at rest beyond storage), point-in-time recovery, deletion protection and
 * `RETAIN`: deleting the stack never deletes tenant data. Encrypted with the AWS-managed key
 * (`aws/dynamodb`).
 */
export class DataTable extends Construct {
  readonly table: dynamodb.Table;
  readonly tableName: string;
  readonly tableArn: string;
  /** The ARN pattern matching every index of the table (`<tableArn>/index/*`), for IAM statements. */
  readonly indexArns: string;
  readonly partitionKey = TABLE.partitionKey;
  readonly sortKey = TABLE.sortKey;
  readonly ttlAttribute = TABLE.ttlAttribute;
  readonly indexNames: readonly string[] = TABLE.globalIndexes.map((g) => g.name);

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new dynamodb.Table(this, TABLE.logicalName, {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      // Domain events are items: the stream carries them to the event router (new images only).
      stream: dynamodb.StreamViewType[TABLE.streamViewType],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.tableName = this.table.tableName;
    this.tableArn = this.table.tableArn;
    this.indexArns = `${this.table.tableArn}/index/*`;
  }
}
