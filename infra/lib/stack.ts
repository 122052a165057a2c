import { idempotencyPartition } from '@aftersales/data/table';
import { type App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Auth, oemIdSuffix } from './auth.ts';
import { DataTable } from './data.ts';
import { AftersalesEdgeStack } from './firewall.ts';
import { Functions } from './functions.ts';
import { Messages } from './messages.ts';
import { Projections } from './projections.ts';
import { Queues } from './queues.ts';
import { TenantIsolation } from './tenancy.ts';
import { Uploads, uploadsOrigin } from './uploads.ts';
import { Web } from './web.ts';

export interface AftersalesStackProps extends StackProps {
  /** The built web app. @default `web/dist` at the repository root */
  readonly webAssetPath?: string;
  /** Cognito hosted-domain prefix. @default `aftersales-<account id>` */
  readonly authDomainPrefix?: string;
  /** Custom domain names for the distribution (with `certificate`, in us-east-1). */
  readonly domainNames?: string[];
  readonly certificate?: acm.ICertificate;
  /** The CloudFront web ACL (from `AftersalesEdgeStack`, us-east-1). */
  readonly webAclArn?: string;
  /**
   * A custom domain for the HTTP API with its certificate in this stack's region. With it the execute-api
   * endpoint is disabled and CloudFront's origin is this name (its DNS must point at the output
   * `ApiRegionalDomainName`); without it the execute-api endpoint must stay on for CloudFront to reach.
   */
  readonly apiDomainName?: string;
  /** The ARN of `apiDomainName`'s ACM certificate, in this stack's region. */
  readonly apiCertificateArn?: string;
  /** OEMs whose systems call the manufacturer API, one machine client each (`AuthProps.oemIntegrations`). */
  readonly oemIntegrations?: readonly string[];
}

/** Aftersales Cloud: one stack, one construct per concern (see infra/README.md). */
export class AftersalesStack extends Stack {
  readonly data: DataTable;
  readonly queues: Queues;
  readonly auth: Auth;
  readonly functions: Functions;
  readonly messages: Messages;
  readonly tenancy: TenantIsolation;
  readonly projections: Projections;
  readonly api: Api;
  readonly uploads: Uploads;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: AftersalesStackProps = {}) {
    super(scope, id, {
      description: 'Aftersales Cloud: multi-tenant after-sales service platform',
      ...props,
    });

    this.data = new DataTable(this, 'Data');
    this.queues = new Queues(this, 'Queues');
    this.auth = new Auth(this, 'Auth', {
      domainPrefix: props.authDomainPrefix,
      ...(props.oemIntegrations ? { oemIntegrations: props.oemIntegrations } : {}),
    });
    this.functions = new Functions(this, 'Functions', {
      data: this.data,
      queues: this.queues,
      auth: this.auth,
    });
    this.messages = new Messages(this, 'Messages', {
      sender: this.functions.consumers.messages,
      readers: [this.functions.api],
    });
    this.tenancy = new TenantIsolation(this, 'Tenancy', {
      data: this.data,
      functions: this.functions.all,
      userMarkers: [this.functions.api],
      staffAdministrators: [this.functions.api],
      idempotencyKeepers: this.queues.all
        .filter((q) => (q.definition.access ?? 'tenant') === 'tenant')
        .map((q) => ({
          fn: this.functions.consumers[q.name],
          partition: idempotencyPartition(q.definition),
        })),
    });
    this.projections = new Projections(this, 'Projections', {
      data: this.data,
      projectors: this.functions.projectors,
    });
    const { apiDomainName, apiCertificateArn } = props;
    if ((apiDomainName === undefined) !== (apiCertificateArn === undefined))
      throw new Error('apiDomainName and apiCertificateArn go together');
    this.api = new Api(this, 'Api', {
      handler: this.functions.api,
      warehouseHandler: this.functions.warehouseApi,
      workshopHandler: this.functions.workshopApi,
      oemHandler: this.functions.oemApi,
      auth: this.auth,
      ...(apiDomainName && apiCertificateArn
        ? {
            customDomain: {
              domainName: apiDomainName,
              certificate: acm.Certificate.fromCertificateArn(this, 'ApiCertificate', apiCertificateArn),
            },
          }
        : {}),
    });
    this.web = new Web(this, 'Web', {
      api: this.api,
      auth: this.auth,
      originSecret: this.functions.originSecret,
      uploadOrigin: uploadsOrigin(this),
      webAssetPath: props.webAssetPath,
      domainNames: props.domainNames,
      certificate: props.certificate,
      webAclArn: props.webAclArn,
    });
    // The site's address for links the API sends (the customer's quote link, approve.html). The
    // distribution is made after the functions and depends only on the HTTP API's domain, never on a
    // function, so a token here makes no cycle (the uploads bucket's CORS already ties them this way).
    for (const fn of this.functions.apis) fn.addEnvironment('PUBLIC_SITE_URL', this.web.url);
    this.uploads = new Uploads(this, 'Uploads', {
      apis: this.functions.apis,
      logBucket: this.web.logBucket,
      webOrigin: this.web.url,
    });

    new CfnOutput(this, 'WebUrl', {
      value: this.web.url,
      description: 'The web app (and the API under /v1)',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: this.api.executeApiDisabled
        ? 'The HTTP API’s custom domain (the execute-api endpoint is disabled)'
        : 'The HTTP API, directly (execute-api: pass apiDomainName to disable it)',
    });
    if (this.api.regionalDomainName)
      new CfnOutput(this, 'ApiRegionalDomainName', {
        value: this.api.regionalDomainName,
        description: 'Point the API custom domain’s DNS record (CNAME/alias) here',
      });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.auth.webClientId });
    for (const [oemId, client] of Object.entries(this.auth.oemClients))
      new CfnOutput(this, `OemClientId${oemIdSuffix(oemId)}`, {
        value: client.userPoolClientId,
        description: `${oemId}'s machine client (its secret: aws cognito-idp describe-user-pool-client)`,
      });
    new CfnOutput(this, 'OemTokenUrl', {
      value: this.auth.tokenUrl,
      description: 'client_credentials grant',
    });
    new CfnOutput(this, 'TableName', { value: this.data.tableName });
  }
}

/**
 * The app's stacks: the edge stack in us-east-1 (the CloudFront web ACL must live there) and the
 * application stack in `env.region`, which reads the web ACL's ARN by a cross-region reference (CDK
 * hands it over through an SSM parameter it writes in us-east-1). Both need a concrete region.
 */
export function addAftersalesStacks(
  app: App,
  props: Omit<AftersalesStackProps, 'webAclArn'> & { env: { account?: string; region?: string } },
): { edge: AftersalesEdgeStack; main: AftersalesStack } {
  const edge = new AftersalesEdgeStack(app, 'AftersalesEdge', {
    env: { account: props.env.account, region: 'us-east-1' },
    crossRegionReferences: true,
  });
  const main = new AftersalesStack(app, 'AftersalesStack', {
    ...props,
    crossRegionReferences: true,
    webAclArn: edge.firewall.webAclArn,
  });
  return { edge, main };
}
