import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataTable } from './data.ts';
import { ServiceFunction } from './functions.ts';
import { DIRECTORY_KEY_PATTERNS, DIRECTORY_READ_ACTIONS } from './tenancy.ts';

/** Partition-key shapes of dealer-group items: the only tenant keys a projection into HQ may touch. */
export const GROUP_KEY_PATTERNS = ['grp_*#*'] as const;

/**
 * What a projection session does: read a store's figures item and write it with the event's mark (a
 * transaction of two conditional Puts). No Query, no index, no delete.
 */
export const GROUP_PROJECTION_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

export interface ProjectionsProps {
  readonly data: DataTable;
  /** @default 'aftersales' */
  readonly serviceName?: string;
}

/**
 * Data that crosses tenants, in one place: functions that project a store's events into another
 * tenant's partition. Today the HQ projector (store events → the store's group's figures).
 *
 * The projector is deliberately not one of `TenantIsolation`'s functions: it may not assume the tenant
 * access role (which reaches stores and OEMs). Its own role reads the directory (to find a store's
 * group) and may assume only `GroupProjectionRole`, whose one statement allows Get/Put where every
 * `dynamodb:LeadingKeys` is a group key (`grp_*#*`). At run time the data layer narrows each session
 * further to the one target group (`<groupId>#*`), so the credentials a projection holds reach one
 * group's items and nothing else.
 */
export class Projections extends Construct {
  readonly hqProjector: ServiceFunction;
  readonly groupProjectionRole: iam.Role;

  constructor(scope: Construct, id: string, props: ProjectionsProps) {
    super(scope, id);
    const { data } = props;

    this.hqProjector = new ServiceFunction(this, 'HqProjector', {
      handlerPath: 'hq-projector/lambda.ts',
      kind: 'worker',
      timeout: Duration.seconds(30),
      description: "Projects store events into their group's HQ figures",
      serviceName: props.serviceName,
      environment: { TABLE_NAME: data.tableName },
    });
    const fnRole = this.hqProjector.executionRole;

    this.groupProjectionRole = new iam.Role(this, 'GroupProjectionRole', {
      description:
        'Assumed by projectors with a session policy narrowing it to one dealer group (LeadingKeys)',
      assumedBy: new iam.ArnPrincipal(fnRole.roleArn).withSessionTags(),
    });
    this.groupProjectionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'GroupItemsOnly',
        actions: [...GROUP_PROJECTION_ACTIONS],
        resources: [data.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...GROUP_KEY_PATTERNS] } },
      }),
    );
    this.groupProjectionRole.grant(fnRole, 'sts:AssumeRole', 'sts:TagSession');
    fnRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DirectoryReadOnly',
        actions: [...DIRECTORY_READ_ACTIONS],
        resources: [data.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...DIRECTORY_KEY_PATTERNS] } },
      }),
    );
    this.hqProjector.addEnvironment('GROUP_PROJECTION_ROLE_ARN', this.groupProjectionRole.roleArn);
  }
}
