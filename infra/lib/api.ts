import {
  GROUP_STORE_PATHS,
  OEM_PATH_PREFIX,
  WORKSHOP_PUBLIC_STORE_PATHS,
} from '@aftersales/api/route-groups/paths';
import { Annotations, Aws, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Auth } from './auth.ts';

export interface ApiProps {
  /** The office function: every route but the other groups'. */
  readonly handler: lambda.IFunction;
  /** The warehouse function: the store paths of `WAREHOUSE_STORE_PATHS` (配件 · 仓库). */
  readonly warehouseHandler: lambda.IFunction;
  /** The workshop function: the store paths of `WORKSHOP_STORE_PATHS` (车间 · 维修工单). */
  readonly workshopHandler: lambda.IFunction;
  /** The manufacturer API's function: every path under `OEM_PATH_PREFIX` (厂家). */
  readonly oemHandler: lambda.IFunction;
  readonly auth: Auth;
  /** Steady-state requests per second across the stage. @default 100 */
  readonly rateLimit?: number;
  /** Burst across the stage. @default 200 */
  readonly burstLimit?: number;
  /**
   * Throttling of the public booking page's route (`/public/v1`, no sign-in), within the stage's: bots
   * on an anonymous page cannot spend what signed-in staff share. @default 20 rps, burst 40
   */
  readonly publicThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * A custom domain for the API (a name you own, with an ACM certificate in the stack's region). With it
   * the default execute-api endpoint is disabled and CloudFront reaches the API by this name, so every
   * request passes the edge (WAF). Its DNS must resolve to `regionalDomainName` (CNAME or alias).
   */
  readonly customDomain?: { readonly domainName: string; readonly certificate: acm.ICertificate };
}

/** Where the public booking page's API lives (no sign-in): the app's `/public/v1/stores/{storeId}/…`. */
export const PUBLIC_BOOKING_PATH = '/public/v1';

/** The fields of one access-log line (HTTP API `$context` variables), written as JSON. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  clientId: '$context.authorizer.claims.client_id',
} as const;

/**
 * The HTTP API (API Gateway v2) in front of the API function.
 *
 * - `ANY /v1/{proxy+}` requires a valid Cognito access token: a JWT authorizer with the user pool as
 *   issuer and the accepted app clients as audience (access tokens have no `aud`; API Gateway then
 *   checks `client_id`). The function verifies the token again and resolves memberships.
 * - `GET /openapi.json` and `GET /health` are public, and so is `ANY /public/v1/{proxy+}`: a store's public
 *   booking page (no sign-in; the app limits each client address per store, and this route has its own
 *   throttle beneath the stage's; the edge's web ACL has a rate rule for `/public/` per IP).
 * - One `$default` stage with auto-deploy, stage-wide throttling and JSON access logs.
 *
 * In the product the API is reached through CloudFront (same origin as the web app), so no CORS.
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  /** `https://<domain>/`: the execute-api URL, or the custom domain's (then the only way in). */
  readonly url: string;
  /** The CloudFront origin: the custom domain when there is one, else `<api id>.execute-api.<region>.amazonaws.com`. */
  readonly domainName: string;
  /** Whether the default execute-api endpoint is disabled (only with a custom domain). */
  readonly executeApiDisabled: boolean;
  /** The target the custom domain's DNS record must point at (with `customDomain`). */
  readonly regionalDomainName?: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    // API Gateway answers a disabled execute-api endpoint with 403 to everyone, CloudFront included: an
    // HTTP API can be reached only by its default domain or a custom domain. So the endpoint is disabled
    // exactly when the API has a custom domain for CloudFront to use as its origin.
    const custom = props.customDomain;
    this.executeApiDisabled = custom !== undefined;
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Aftersales Cloud API',
      createDefaultStage: false,
      disableExecuteApiEndpoint: this.executeApiDisabled,
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 100, burstLimit: props.burstLimit ?? 200 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integration = new HttpLambdaIntegration('ApiIntegration', props.handler);
    const authorizer = new HttpJwtAuthorizer('CognitoJwt', props.auth.issuerUrl, {
      authorizerName: 'cognito-access-token',
      jwtAudience: [...props.auth.acceptedClientIds],
    });

    this.httpApi.addRoutes({
      path: '/v1/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration,
      authorizer,
    });
    // Each group's paths go to its own function (API Gateway takes the most specific route).
    const groups = [
      { id: 'WarehouseIntegration', handler: props.warehouseHandler, segments: GROUP_STORE_PATHS.warehouse },
      { id: 'WorkshopIntegration', handler: props.workshopHandler, segments: GROUP_STORE_PATHS.workshop },
    ];
    const integrations = new Map(
      groups.map((g) => [g.id, new HttpLambdaIntegration(g.id, g.handler)] as const),
    );
    for (const group of groups) {
      const groupIntegration = integrations.get(group.id)!;
      for (const segment of group.segments)
        for (const path of [`/v1/stores/{storeId}/${segment}`, `/v1/stores/{storeId}/${segment}/{proxy+}`])
          this.httpApi.addRoutes({
            path,
            methods: [apigw.HttpMethod.ANY],
            integration: groupIntegration,
            authorizer,
          });
    }
    // The manufacturer API: everything under /v1/oems/ (OEM machine clients, the same JWT authorizer).
    this.httpApi.addRoutes({
      path: `${OEM_PATH_PREFIX}{proxy+}`,
      methods: [apigw.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('OemIntegration', props.oemHandler),
      authorizer,
    });
    const publicRoutes = [
      ...this.httpApi.addRoutes({ path: '/openapi.json', methods: [apigw.HttpMethod.GET], integration }),
      ...this.httpApi.addRoutes({ path: '/health', methods: [apigw.HttpMethod.GET], integration }),
    ];
    const publicBooking = this.httpApi.addRoutes({
      path: `${PUBLIC_BOOKING_PATH}/{proxy+}`,
      methods: [apigw.HttpMethod.ANY],
      integration,
    });
    // The customer's quote link (远程确认) is the workshop's: the most specific route wins over the office's.
    const publicWorkshop = WORKSHOP_PUBLIC_STORE_PATHS.flatMap((segment) =>
      this.httpApi.addRoutes({
        path: `${PUBLIC_BOOKING_PATH}/stores/{storeId}/${segment}/{proxy+}`,
        methods: [apigw.HttpMethod.ANY],
        integration: integrations.get('WorkshopIntegration')!,
      }),
    );
    for (const route of [...publicBooking, ...publicWorkshop]) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The public booking page of a store: customers book without an account. It shows free slots only, ' +
          'takes requests proven by a proof of work, is throttled here and per client address in the app and at the edge.',
      });
    }
    // HTTP APIs throttle per route through the stage's route settings (the L2 stage sets only the default).
    const throttle = props.publicThrottle ?? { rateLimit: 20, burstLimit: 40 };
    const publicKeys = [
      `ANY ${PUBLIC_BOOKING_PATH}/{proxy+}`,
      ...WORKSHOP_PUBLIC_STORE_PATHS.map((s) => `ANY ${PUBLIC_BOOKING_PATH}/stores/{storeId}/${s}/{proxy+}`),
    ];
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = Object.fromEntries(
      publicKeys.map((key) => [
        key,
        // Raw CloudFormation here (the property is untyped JSON): its own capitalised names.
        { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
      ]),
    );
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Deliberately public, read-only routes: the OpenAPI description of the API and the health check. ' +
          'They return no tenant data; every /v1 route requires a Cognito access token.',
      });
    }

    if (custom) {
      const domain = new apigw.DomainName(this, 'Domain', {
        domainName: custom.domainName,
        certificate: custom.certificate,
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
      new apigw.ApiMapping(this, 'Mapping', { api: this.httpApi, domainName: domain, stage: this.stage });
      this.domainName = custom.domainName;
      this.regionalDomainName = domain.regionalDomainName;
    } else {
      this.domainName = `${this.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Aws.URL_SUFFIX}`;
      Annotations.of(this).addWarningV2(
        'aftersales:execute-api-enabled',
        'No customDomain for the API: its execute-api endpoint stays on (CloudFront needs a reachable origin), ' +
          'so clients can bypass the web ACL. Pass apiDomainName and apiCertificate to disable it.',
      );
    }
    this.url = `https://${this.domainName}/`;
  }
}
