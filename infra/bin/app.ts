import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AftersalesStack } from '../lib/stack.ts';

/**
 * The CDK app: one stack, checked by cdk-nag (AWS Solutions rules) at every synth. cdk-nag 3 runs as a
 * CDK policy-validation plugin: findings go to the validation report and fail `cdk synth`/`deploy`.
 */
const app = new App();

new AftersalesStack(app, 'AftersalesStack', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
