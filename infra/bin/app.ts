import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addAftersalesStacks } from '../lib/stack.ts';

/**
 * The CDK app: the application stack in the account's default region and the edge stack (the
 * CloudFront web ACL, which AWS requires in us-east-1), both checked by cdk-nag (AWS Solutions rules)
 * at every synth. cdk-nag 3 runs as a CDK policy-validation plugin: findings go to the validation
 * report and fail `cdk synth`/`deploy`.
 *
 * Optional context: `-c apiDomainName=api.example.com -c apiCertificateArn=arn:aws:acm:<region>:…` gives
 * the HTTP API a custom domain and disables its execute-api endpoint (see infra/lib/api.ts);
 * `-c oemIntegrations=oem_FAWVOLKSWAGEN,oem_SAICVOLKSWAGEN` gives each OEM its machine client.
 */
const app = new App();

const apiDomainName = app.node.tryGetContext('apiDomainName') as string | undefined;
const apiCertificateArn = app.node.tryGetContext('apiCertificateArn') as string | undefined;
// A list in cdk.json's context, or comma-separated on the command line.
const oemContext = app.node.tryGetContext('oemIntegrations') as string | string[] | undefined;
const oemIntegrations = (typeof oemContext === 'string' ? oemContext.split(',') : (oemContext ?? []))
  .map((id) => id.trim())
  .filter(Boolean);

addAftersalesStacks(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...(apiDomainName && apiCertificateArn ? { apiDomainName, apiCertificateArn } : {}),
  oemIntegrations,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
