import { idempotencyPartition, type QueueDefinition } from '@aftersales/data/table';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataTable } from './data.ts';
import type { ServiceFunction } from './functions.ts';
import { directoryReadStatement, idempotencyStatement } from './tenancy.ts';

/** Partition-key shapes of dealer-group items: the only tenant keys a projection into HQ may touch. */
export const GROUP_KEY_PATTERNS = ['grp_*#*'] as const;

/**
 * What a projection session does: read a store's figures item and write it with the event's mark (a
 * transaction of two conditional Puts). No Query, no index, no delete.
 */
export const GROUP_PROJECTION_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

export interface ProjectionsProps {
  readonly data: DataTable;
  /** The consumers of `group-projection` queues (`Functions.projectors`). */
  readonly projectors: readonly { fn: ServiceFunction; definition: QueueDefinition }[];
}

/**
 * Data that crosses tenants, in one place: the rights of the functions that project a store's events
 * into another tenant's partition. Today the HQ projector (store events → its group's figures), the
 * consumer of the `HqFigures` queue.
 *
 * A projector is deliberately not one of `TenantIsolation`'s functions: it may not assume the tenant
 * access role (which reaches stores and OEMs). Its own role reads the directory (to find a store's
 * group) and its own idempotency records, and may assume only `GroupProjectionRole`, whose one
 * statement allows Get/Put where every `dynamodb:LeadingKeys` is a group key (`grp_*#*`). At run time
 * the data layer narrows each session further to the one target group (`<groupId>#*`), so the
 * credentials a projection holds reach one group's items and nothing else.
 */
export class Projections extends Construct {
  readonly groupProjectionRole: iam.Role;

  constructor(scope: Construct, id: string, props: ProjectionsProps) {
    super(scope, id);
    const { data, projectors } = props;
    if (projectors.length === 0) throw new Error('Projections needs at least one projector to trust');

    this.groupProjectionRole = new iam.Role(this, 'GroupProjectionRole', {
      description:
        'Assumed by projectors with a session policy narrowing it to one dealer group (LeadingKeys)',
      assumedBy: new iam.CompositePrincipal(
        ...projectors.map(({ fn }) => new iam.ArnPrincipal(fn.executionRole.roleArn).withSessionTags()),
      ),
    });
    this.groupProjectionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'GroupItemsOnly',
        actions: [...GROUP_PROJECTION_ACTIONS],
        resources: [data.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...GROUP_KEY_PATTERNS] } },
      }),
    );
    for (const { fn, definition } of projectors) {
      this.groupProjectionRole.grant(fn.executionRole, 'sts:AssumeRole', 'sts:TagSession');
      fn.executionRole.addToPrincipalPolicy(directoryReadStatement([data.tableArn]));
      fn.executionRole.addToPrincipalPolicy(
        idempotencyStatement(data.tableArn, idempotencyPartition(definition)),
      );
      fn.addEnvironment('GROUP_PROJECTION_ROLE_ARN', this.groupProjectionRole.roleArn);
    }
  }
}
