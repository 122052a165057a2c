import { dataAccessFromEnv, QUEUES } from '@aftersales/data';
import {
  deliverMessage,
  LOCAL_OUTBOX_SENDER,
  MESSAGE_DUE,
  type MessageSender,
  messageProviderFromEnv,
} from '@aftersales/data/messages';
import { logger, optionalEnv, requireEnv } from '@aftersales/runtime';
import { defineConsumer, payloadOf } from '@aftersales/worker';
import { smsSender } from './sms.ts';

/**
 * 消息: the Messages queue's consumer. A message to send now arrives as its `message.queued` event
 * (routed from the table's stream); one due later as its due job (the sweeper). Either way the
 * delivery decides on consent and quiet hours, sends through the one sender and records the outcome.
 */
const data = dataAccessFromEnv();

/** The one place the sender is chosen (`MESSAGE_SENDER`): End User Messaging SMS in AWS, else the local outbox. */
const sender: MessageSender =
  messageProviderFromEnv() === 'sms'
    ? smsSender({
        configurationSetName: requireEnv('SMS_CONFIGURATION_SET'),
        originationIdentity: optionalEnv('SMS_ORIGINATION_IDENTITY'),
      })
    : LOCAL_OUTBOX_SENDER;

export const handler = defineConsumer({
  queue: QUEUES.messages,
  handle: async (message, { receiveCount }) => {
    const due = 'jobId' in message;
    const messageId = due
      ? MESSAGE_DUE.payload.parse(message.payload).messageId
      : payloadOf(message, 'message.queued').messageId;
    // A due job is judged at its own time: the sweep handed it on once its clock passed it.
    const now = due ? new Date(Math.max(Date.now(), Date.parse(message.dueAt))) : new Date();
    const tenant = data.forTenant({ tenantId: message.tenantId, actor: message.actor });
    const outcome = await deliverMessage(tenant, messageId, sender, {
      now,
      attempt: receiveCount,
      lastAttempt: QUEUES.messages.maxReceiveCount,
    });
    logger.info('message handled', { messageId, outcome });
  },
});
