import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import { Construct } from 'constructs';
import type { ServiceFunction } from './functions.ts';
import { nagFindingValue } from './nag.ts';

export interface MessagesProps {
  /** The Messages queue's consumer: the only function that sends. */
  readonly sender: ServiceFunction;
  /** Functions that only need to know which sender is in use (the API, for the outbox page). */
  readonly readers: readonly ServiceFunction[];
}

/**
 * 消息 in AWS: the End User Messaging SMS configuration set the sender sends with, the switch to the
 * SMS sender (`MESSAGE_SENDER=sms`), and the one IAM statement that lets the Messages consumer, and no
 * other function, send a text. The origination identity (a number, pool or sender id) is registered per
 * country outside this stack (carrier registration takes weeks); `SMS_ORIGINATION_IDENTITY` names it.
 */
export class Messages extends Construct {
  readonly configurationSet: smsvoice.CfnConfigurationSet;

  constructor(scope: Construct, id: string, props: MessagesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSet = new smsvoice.CfnConfigurationSet(this, 'ConfigurationSet', {});
    const name = this.configurationSet.ref;

    for (const fn of [props.sender, ...props.readers]) fn.addEnvironment('MESSAGE_SENDER', 'sms');
    props.sender.addEnvironment('SMS_CONFIGURATION_SET', name);
    const arn = (resource: string) => stack.formatArn({ service: 'sms-voice', resource });
    // The identities it may send from: those of this account and region (registered outside the stack).
    const identities = ['phone-number/*', 'pool/*', 'sender-id/*'].map(arn);
    props.sender.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendTextMessages',
        actions: ['sms-voice:SendTextMessage'],
        resources: [this.configurationSet.attrArn, ...identities],
      }),
    );
    for (const identity of identities)
      Validations.of(props.sender.executionRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFindingValue(this, identity)}]`,
        reason:
          'SendTextMessage is authorised on the origination identity as well as the configuration set. Numbers, ' +
          'pools and sender ids are bought and registered per country outside this stack, so the statement ' +
          'names each kind in this account and region; the configuration set it creates is named exactly, ' +
          'and only the Messages consumer holds the statement.',
      });
  }
}
