import {
  idempotencyPartition,
  PROJECTIONS,
  type ProjectionAccess,
  type QueueDefinition,
} from '@aftersales/data/table';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataTable } from './data.ts';
import type { ServiceFunction } from './functions.ts';
import { nagFindingValue } from './nag.ts';
import { directoryReadStatement, idempotencyStatement } from './tenancy.ts';

/** Partition-key shapes of dealer-group items: the only tenant keys a projection into HQ may touch. */
export const GROUP_KEY_PATTERNS = PROJECTIONS['group-projection'].keyPatterns;

/**
 * What a group projection session does: read a store's figures item and write it with the event's mark
 * (a transaction of two conditional Puts). No Query, no index, no delete.
 */
export const GROUP_PROJECTION_ACTIONS = PROJECTIONS['group-projection'].actions;

export interface ProjectionsProps {
  readonly data: DataTable;
  /** The consumers of projection queues (`Functions.projectors`). */
  readonly projectors: readonly { fn: ServiceFunction; definition: QueueDefinition }[];
}

/**
 * Data that crosses tenants, in one place: the rights of the functions that project a store's events
 * into another tenant's partition (`PROJECTIONS`): the HQ projector (store events → its group's figures)
 * and the OEM projector (a store's claims → the OEM's partition and its webhook deliveries).
 *
 * A projector is deliberately not one of `TenantIsolation`'s functions: it may not assume the tenant
 * access role (which reaches stores and OEMs). Its own role reads the directory and its own idempotency
 * records, and may assume only its projection's role, whose one statement allows its actions where every
 * `dynamodb:LeadingKeys` is a key of the target kind (`grp_*#*`, `oem_*#*`). At run time the data layer
 * narrows each session further to the one target (`<tenantId>#*`), so the credentials a projection holds
 * reach one group's or one OEM's items and nothing else.
 */
export class Projections extends Construct {
  /** One role per kind of projection in use, by its access (`group-projection`, `oem-projection`). */
  readonly roles: Partial<Record<ProjectionAccess, iam.Role>> = {};

  constructor(scope: Construct, id: string, props: ProjectionsProps) {
    super(scope, id);
    const { data, projectors } = props;
    if (projectors.length === 0) throw new Error('Projections needs at least one projector to trust');

    for (const access of Object.keys(PROJECTIONS) as ProjectionAccess[]) {
      const mine = projectors.filter(({ definition }) => definition.access === access);
      if (mine.length === 0) continue;
      const kind = PROJECTIONS[access];
      const role = new iam.Role(this, kind.role, {
        description: `Assumed by ${access} consumers with a session policy narrowing it to one target tenant (LeadingKeys)`,
        assumedBy: new iam.CompositePrincipal(
          ...mine.map(({ fn }) => new iam.ArnPrincipal(fn.executionRole.roleArn).withSessionTags()),
        ),
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'TargetItemsOnly',
          actions: [...kind.actions],
          resources: kind.indexes ? [data.tableArn, data.indexArns] : [data.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...kind.keyPatterns] } },
        }),
      );
      if (kind.indexes)
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${nagFindingValue(this, data.indexArns)}]`,
          reason:
            'The projection queries its target’s items through the table’s indexes (`<table arn>/index/*`); the ' +
            'statement is narrowed by a dynamodb:LeadingKeys condition to the target kind’s keys.',
        });
      for (const { fn, definition } of mine) {
        role.grant(fn.executionRole, 'sts:AssumeRole', 'sts:TagSession');
        fn.executionRole.addToPrincipalPolicy(directoryReadStatement([data.tableArn]));
        fn.executionRole.addToPrincipalPolicy(
          idempotencyStatement(data.tableArn, idempotencyPartition(definition)),
        );
        fn.addEnvironment(kind.roleArnEnv, role.roleArn);
      }
      this.roles[access] = role;
    }
  }
}
