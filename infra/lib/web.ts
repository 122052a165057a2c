import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ORIGIN_VERIFY_HEADER } from '@aftersales/api/client-address';
import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Api } from './api.ts';
import type { Auth } from './auth.ts';
import { nagFindingValue } from './nag.ts';
import { REPO_ROOT } from './toolchain.ts';

export interface WebProps {
  readonly api: Api;
  readonly auth: Auth;
  /** Sent to the API with every request CloudFront forwards (`X-Origin-Verify`): see `Functions.originSecret`. */
  readonly originSecret: secretsmanager.ISecret;
  /** The built web app (a directory with `index.html`). @default `web/dist` at the repository root */
  readonly webAssetPath?: string;
  /** Custom domain names of the distribution (need `certificate`). */
  readonly domainNames?: string[];
  /** An ACM certificate in us-east-1 for `domainNames`; enables the TLSv1.2_2021 viewer policy. */
  readonly certificate?: acm.ICertificate;
  /** Where the browser PUTs files and shows photos from (presigned S3 URLs): the CSP's `connect-src` and `img-src`. */
  readonly uploadOrigin?: string;
  /** The web ACL (scope CLOUDFRONT, in us-east-1: `AftersalesEdgeStack`) that guards the distribution. */
  readonly webAclArn?: string;
}

/**
 * The viewer-request function of the S3 behaviour. Client-side routes (paths whose last segment has no
 * file extension) are answered with the app shell `/index.html`; the static sub-sites of the build
 * (directories with their own `index.html`, e.g. `/docs/`) get theirs, and `/docs` redirects to
 * `/docs/` so its relative links work. Done per request on the S3 behaviour instead of
 * distribution-wide custom error responses, which would also turn the API's own 403/404 answers into
 * `index.html` with status 200.
 */
export function spaRewriteCode(staticDirs: readonly string[]): string {
  const dirs = Object.fromEntries(staticDirs.filter((d) => /^[\w-]+$/.test(d)).map((d) => [d, true]));
  return `var STATIC_DIRS = ${JSON.stringify(dirs)};
function handler(event) {
  var request = event.request;
  var parts = request.uri.split('/');
  var last = parts[parts.length - 1];
  if (last.indexOf('.') !== -1) return request;
  var first = parts[1];
  if (STATIC_DIRS[first] === true && parts.length === 2) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/' + first + '/' } } };
  }
  if (STATIC_DIRS[first] === true && parts.length === 3 && last === '') {
    request.uri = '/' + first + '/index.html';
  } else {
    request.uri = '/index.html';
  }
  return request;
}`;
}

/** Sub-directories of the built app that are sites of their own (they have an `index.html`). */
function staticSubsites(webAssetPath: string): string[] {
  if (!existsSync(webAssetPath)) return [];
  return readdirSync(webAssetPath, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(webAssetPath, d.name, 'index.html')))
    .map((d) => d.name);
}

/**
 * The web app and the single public entry point: one CloudFront distribution.
 *
 * - Default behaviour: the private S3 bucket through Origin Access Control (no public access, TLS only,
 *   S3-managed encryption, server access logs), with the SPA rewrite above.
 * - `/v1/*`, `/openapi.json`, `/health`: the HTTP API, uncached, every method, all viewer headers but
 *   `Host` (with caching disabled the `Authorization` header is forwarded too). The app and the API
 *   share one origin, so `config.json` says `apiBase: ""` and there is no CORS.
 * - HTTPS only (HTTP redirects), standard logs to the log bucket, the edge web ACL when given. The site's
 *   security headers (its CSP) on the S3 behaviour; on API paths the API's own headers, never overridden.
 * - The deployment uploads the built app and a generated `/config.json` (region, web client id), then
 *   invalidates the distribution.
 */
export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployment: s3deploy.BucketDeployment;
  /** `https://<distribution domain>` (or the first custom domain). */
  readonly url: string;
  /** What `/config.json` contains. */
  readonly config: {
    apiBase: string;
    auth: { mode: 'cognito'; region: string; userPoolClientId: string };
  };

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const webAssetPath = props.webAssetPath ?? path.join(REPO_ROOT, 'web', 'dist');
    const { region } = Stack.of(this);

    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the site bucket and the distribution; logging it into ' +
        'itself would log its own log deliveries.',
    });

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Aftersales Cloud security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            // Walk-around photos are shown from presigned GET URLs of the uploads bucket.
            ["img-src 'self' data:", ...(props.uploadOrigin ? [props.uploadOrigin] : [])].join(' '),
            "font-src 'self' data:",
            [
              "connect-src 'self'",
              `https://cognito-idp.${region}.amazonaws.com`,
              ...(props.uploadOrigin ? [props.uploadOrigin] : []),
            ].join(' '),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      comment: 'Serve index.html for client-side routes',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(spaRewriteCode(staticSubsites(webAssetPath))),
    });

    // The API sets its own, stricter headers (`default-src 'none'` and no caching: security-headers.ts),
    // which the site's policy would replace. On API paths CloudFront only fills in what an answer lacks
    // (API Gateway's own answers, such as a throttled 429, have none of them): nothing is overridden.
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiSecurityHeaders', {
      comment: 'Aftersales Cloud API: the API’s own headers, defaults where an answer has none',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
          override: false,
        },
        contentTypeOptions: { override: false },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: false },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: false },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(180),
          includeSubdomains: true,
          override: false,
        },
      },
    });

    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: new origins.HttpOrigin(props.api.domainName, {
        // Resolved by CloudFormation at deploy (a dynamic reference): the template holds no value.
        customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Aftersales Cloud',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [
          { function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        '/v1/*': apiBehavior,
        // The public booking page's API (no sign-in): the viewer's address reaches the app as
        // CloudFront-Viewer-Address (in the origin request policy), what its per-client limit counts.
        '/public/*': apiBehavior,
        '/openapi.json': apiBehavior,
        '/health': apiBehavior,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.certificate
        ? {
            certificate: props.certificate,
            domainNames: props.domainNames,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (!props.certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose ' +
          'security policy CloudFront fixes at TLSv1. Production deployments pass `domainNames` and a ' +
          '`certificate`, which sets TLSv1.2_2021.',
      });
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: dealers, dealer groups and OEMs work from many countries (see the jurisdictions ' +
        'the product supports); access is controlled by sign-in, not by location.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'Built without a web ACL: the CDK app (infra/bin/app.ts) always passes the one AftersalesEdgeStack ' +
          'makes in us-east-1 (rate rules per IP and per token, AWS managed rules); only a stack composed ' +
          'differently, such as in a test, has none.',
      });
    }

    this.config = {
      apiBase: '',
      auth: { mode: 'cognito', region, userPoolClientId: props.auth.webClientId },
    };
    const sources: s3deploy.ISource[] = [s3deploy.Source.jsonData('config.json', this.config)];
    if (existsSync(path.join(webAssetPath, 'index.html'))) {
      sources.unshift(s3deploy.Source.asset(webAssetPath));
    } else {
      Annotations.of(this).addWarningV2(
        'aftersales:web-not-built',
        `No built web app at ${webAssetPath}: only config.json will be deployed. Run \`pnpm -C web build\` first.`,
      );
    }
    this.deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources,
      destinationBucket: this.bucket,
      // Browsers revalidate (cheap 304s); the edge is refreshed by the invalidation below.
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup: new logs.LogGroup(this, 'DeploymentLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    this.acknowledgeDeploymentHandler();

    const host =
      props.certificate && props.domainNames?.[0] ? props.domainNames[0] : this.distribution.domainName;
    this.url = `https://${host}`;
  }

  /**
   * The deployment's handler is CDK's own singleton function (a Python runtime CDK pins, its service
   * role with the AWS-managed basic execution policy, and the grants CDK makes for copying assets).
   * Each finding is acknowledged by its exact id; the role and the function belong to CDK, not to us.
   */
  private acknowledgeDeploymentHandler(): void {
    // Every source (the app, config.json) is staged as a file asset in the bootstrap asset bucket.
    const stagedAsset = this.deployment.node
      .findAll()
      .find((c): c is s3assets.Asset => c instanceof s3assets.Asset);
    const role = this.deployment.handlerRole;
    const handler = role.node.scope;
    const because = 'CDK BucketDeployment handler (framework-owned, runs only during deployments): ';
    const ack = (id: string, reason: string) =>
      Validations.of(role).acknowledge({ id, reason: because + reason });
    ack(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'the managed basic execution policy only lets it write its own logs.',
    );
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      ack(
        `AwsSolutions-IAM5[Action::${action}]`,
        'CDK grants read on the staged assets and read/write on the site bucket with action groups; it syncs ' +
          'the site bucket (upload, prune old files).',
      );
    }
    ack(
      `AwsSolutions-IAM5[Resource::${nagFindingValue(this, this.bucket.arnForObjects('*'))}]`,
      'it replaces every object of the site bucket on each deployment.',
    );
    if (stagedAsset) {
      ack(
        `AwsSolutions-IAM5[Resource::${nagFindingValue(this, stagedAsset.bucket.arnForObjects('*'))}]`,
        'it reads the staged web app and config.json from the CDK bootstrap asset bucket.',
      );
    }
    ack(
      'AwsSolutions-IAM5[Resource::*]',
      'cloudfront:CreateInvalidation/GetInvalidation, granted by CDK on "*", to invalidate the distribution after upload.',
    );
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `${because}its runtime is chosen and updated by aws-cdk-lib, not by this project.`,
      });
    }
  }
}
