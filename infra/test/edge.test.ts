import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AftersalesEdgeStack } from '../lib/firewall.ts';
import { type AftersalesStack, addAftersalesStacks } from '../lib/stack.ts';
import { REPO_ROOT } from '../lib/toolchain.ts';

type Json = Record<string, unknown>;

/** The cdk.json context, without esbuild bundling: these tests read templates only. */
function appWithoutBundling(): App {
  const { context } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Json };
  return new App({
    context: {
      ...context,
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      'aws:cdk:bundling-stacks': [],
    },
  });
}

function fakeWebDist(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aftersales-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>test</title>');
  return dir;
}

const ENV = { account: '123456789012', region: 'eu-central-1' };

/** The distribution's behaviour for a path pattern, and the response-headers policy it uses. */
function behaviourOf(template: Template, pattern: string): { behaviour: Json; headers: Json } {
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
  const [, distribution] = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::CloudFront::Distribution',
  )!;
  const config = distribution.Properties.DistributionConfig as Json;
  const behaviour =
    pattern === 'default'
      ? (config.DefaultCacheBehavior as Json)
      : (config.CacheBehaviors as Json[]).find((b) => b.PathPattern === pattern)!;
  const policyId = (behaviour.ResponseHeadersPolicyId as { Ref: string }).Ref;
  const headers = resources[policyId]!.Properties.ResponseHeadersPolicyConfig as Json;
  return { behaviour, headers };
}

describe('the edge: web ACL, API origin and headers', () => {
  let edge: AftersalesEdgeStack;
  let main: AftersalesStack;
  let edgeTemplate: Template;
  let mainTemplate: Template;

  beforeAll(() => {
    // Prepare: the app as infra/bin/app.ts composes it, in a region other than us-east-1.
    const app = appWithoutBundling();
    ({ edge, main } = addAftersalesStacks(app, { env: ENV, webAssetPath: fakeWebDist() }));
    // Act
    edgeTemplate = Template.fromStack(edge);
    mainTemplate = Template.fromStack(main);
  }, 60_000);

  it('creates the web ACL in us-east-1 for CloudFront, with rate rules per IP and per bearer token', () => {
    // Assess
    expect(edge.region).toBe('us-east-1');
    const acl = edgeTemplate.findResources('AWS::WAFv2::WebACL');
    const [props] = Object.values(acl).map((r) => (r as { Properties: Json }).Properties);
    expect(props).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = props!.Rules as Json[];
    const byName = Object.fromEntries(rules.map((r) => [r.Name as string, r]));
    expect(byName.RatePerIp).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 3000, EvaluationWindowSec: 300 } },
    });
    expect(byName.RatePerToken).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'CUSTOM_KEYS',
          CustomKeys: [
            { Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
          ],
        },
      },
    });
    // The public booking page (no sign-in): a tighter rule per IP on its paths only
    expect(byName.RatePerIpPublicBooking).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: 300,
          ScopeDownStatement: {
            ByteMatchStatement: {
              FieldToMatch: { UriPath: {} },
              PositionalConstraint: 'STARTS_WITH',
              SearchString: '/public/',
            },
          },
        },
      },
    });
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    expect(byName.AWSManagedRulesCommonRuleSet).toBeDefined();
    expect(byName.AWSManagedRulesKnownBadInputsRuleSet).toBeDefined();
  });

  it('refuses to create the CloudFront web ACL outside us-east-1', () => {
    expect(() => new AftersalesEdgeStack(new App(), 'Edge', { env: ENV })).toThrow(/us-east-1/);
  });

  it('associates the web ACL with the distribution', () => {
    // Assess: the ARN arrives by a cross-region reference (an SSM parameter CDK reads).
    mainTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
    });
    const resources = mainTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
    const distribution = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::Distribution')!;
    const webAclId = JSON.stringify((distribution.Properties.DistributionConfig as Json).WebACLId);
    const readers = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::CrossRegionExportReader');
    expect(readers).toHaveLength(1);
    expect(webAclId).toContain(readers[0]![0]);
  });

  it('sends the public booking page’s API to the API origin, with the viewer’s address', () => {
    // Assess
    const publicApi = behaviourOf(mainTemplate, '/public/*').behaviour;
    const v1 = behaviourOf(mainTemplate, '/v1/*').behaviour;
    expect(publicApi.TargetOriginId).toEqual(v1.TargetOriginId);
    // AllViewerExceptHostHeader: every viewer header and CloudFront's, CloudFront-Viewer-Address among them
    expect(publicApi.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
  });

  it('keeps the API’s own stricter headers on API paths, and the site’s CSP on the site', () => {
    // Act
    const api = behaviourOf(mainTemplate, '/v1/*');
    const openapi = behaviourOf(mainTemplate, '/openapi.json');
    const site = behaviourOf(mainTemplate, 'default');

    // Assess
    const apiSecurity = api.headers.SecurityHeadersConfig as Record<string, Json>;
    expect(apiSecurity.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
      Override: false,
    });
    for (const header of Object.values(apiSecurity)) expect(header.Override).toBe(false);
    expect(openapi.behaviour.ResponseHeadersPolicyId).toEqual(api.behaviour.ResponseHeadersPolicyId);
    const siteCsp = (site.headers.SecurityHeadersConfig as Record<string, Json>).ContentSecurityPolicy!;
    expect(siteCsp.Override).toBe(true);
    expect(JSON.stringify(siteCsp.ContentSecurityPolicy)).toContain("script-src 'self'");
  });

  it('keeps the execute-api endpoint on without an API custom domain (CloudFront could not reach it)', () => {
    mainTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
    expect(main.api.executeApiDisabled).toBe(false);
  });
});

describe('the API behind a custom domain', () => {
  it('disables the execute-api endpoint and makes the custom domain CloudFront’s origin', () => {
    // Prepare
    const app = appWithoutBundling();
    const { main } = addAftersalesStacks(app, {
      env: ENV,
      webAssetPath: fakeWebDist(),
      apiDomainName: 'api.example.com',
      apiCertificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/abc',
    });

    // Act
    const template = Template.fromStack(main);

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ SecurityPolicy: 'TLS_1_2' })],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([Match.objectLike({ DomainName: 'api.example.com' })]),
      }),
    });
    expect(Object.keys(template.toJSON().Outputs as Json)).toContain('ApiRegionalDomainName');
  });
});

describe('cdk-nag (AWS Solutions) on the whole app', () => {
  it('finds nothing unacknowledged in either stack', () => {
    // Prepare
    const app = appWithoutBundling();
    addAftersalesStacks(app, { env: ENV, webAssetPath: fakeWebDist() });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: {
        violations: {
          ruleName: string;
          severity: string;
          violatingConstructs?: { constructPath: string }[];
        }[];
      }[];
    };
    const findings = report.pluginReports
      .flatMap((r) => r.violations)
      .filter((v) => v.ruleName.startsWith('AwsSolutions-'));

    // Assess
    expect(
      findings.map((f) => `${f.severity} ${f.ruleName} ${f.violatingConstructs?.[0]?.constructPath}`),
    ).toEqual([]);
  }, 60_000);
});
