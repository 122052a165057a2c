import { Stack, type StackProps, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface EdgeFirewallProps {
  /** Requests one client IP may make in 5 minutes before it is blocked. @default 3000 (10 rps) */
  readonly requestsPerIp?: number;
  /** Requests one bearer token may make in 5 minutes before it is blocked. @default 1500 (5 rps) */
  readonly requestsPerToken?: number;
  /**
   * Requests one client IP may make to the public booking page's API (`/public/`, no sign-in) in 5
   * minutes. A customer books in a dozen requests. @default 300 (1 rps)
   */
  readonly publicRequestsPerIp?: number;
}

/** A rule's CloudWatch metric and sampled requests, named after the rule. */
const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managed = (
  name: string,
  priority: number,
  ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name,
      ...(ruleActionOverrides ? { ruleActionOverrides } : {}),
    },
  },
  visibilityConfig: visibility(name),
});

const rateLimit = (
  name: string,
  priority: number,
  statement: wafv2.CfnWebACL.RateBasedStatementProperty,
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  action: { block: {} },
  statement: { rateBasedStatement: statement },
  visibilityConfig: visibility(name),
});

/**
 * The web ACL in front of the CloudFront distribution (scope CLOUDFRONT, so it must live in us-east-1).
 *
 * - AWS managed rules: the common rule set (with its 8 KB body-size rule counted, not blocking: API
 *   bodies may be up to 1 MiB and the app limits them itself) and known bad inputs.
 * - A rate rule per client IP, and one per `Authorization` header (a custom aggregation key): one
 *   noisy client, or one leaked token used from many addresses, is blocked at the edge before it can
 *   spend the stage-wide API Gateway throttle that every tenant shares. Requests without the header
 *   (the web app's static files) are not counted by the token rule. Per-user and per-tenant limits
 *   inside the app refine this; the edge only stops floods.
 * - A tighter rate rule per client IP on the public booking page's API (`/public/`): anonymous, so the
 *   address is all there is to count (the app counts it per store too, the same way locally).
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps = {}) {
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      description: 'Aftersales Cloud: managed rules and per-client rate limits at the edge',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('AftersalesEdge'),
      rules: [
        rateLimit('RatePerIp', 0, {
          aggregateKeyType: 'IP',
          limit: props.requestsPerIp ?? 3000,
          evaluationWindowSec: 300,
        }),
        rateLimit('RatePerToken', 1, {
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [
            { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
          ],
          limit: props.requestsPerToken ?? 1500,
          evaluationWindowSec: 300,
        }),
        rateLimit('RatePerIpPublicBooking', 2, {
          aggregateKeyType: 'IP',
          limit: props.publicRequestsPerIp ?? 300,
          evaluationWindowSec: 300,
          scopeDownStatement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'STARTS_WITH',
              searchString: '/public/',
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        }),
        managed('AWSManagedRulesCommonRuleSet', 3, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
      ],
    });
    this.webAclArn = this.webAcl.attrArn;
  }
}

/**
 * The stack for what CloudFront requires in us-east-1: the web ACL. The application stack (any region)
 * reads its ARN through a cross-region reference (CDK writes it to SSM here and reads it there).
 */
export class AftersalesEdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: StackProps & EdgeFirewallProps = {}) {
    super(scope, id, {
      description: 'Aftersales Cloud: the CloudFront web ACL (us-east-1)',
      ...props,
    });
    if (!Token.isUnresolved(this.region) && this.region !== 'us-east-1')
      throw new Error(`A CloudFront web ACL must be created in us-east-1, not ${this.region}`);
    this.firewall = new EdgeFirewall(this, 'Firewall', props);
  }
}
