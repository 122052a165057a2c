import type { MessageProvider, OutboundMessage } from '@aftersales/domain';
import { optionalEnv } from '@aftersales/runtime';

/**
 * Who delivers a message. In AWS, the SMS sender on Amazon End User Messaging SMS
 * (`functions/messages/sms.ts`); locally, the outbox that only records. A Chinese SMS provider
 * (Aliyun, Tencent Cloud: registered signature and template ids per `MessageTemplate`) or WeChat
 * template messages would be one more implementation of this interface, chosen in the same place.
 */
export interface MessageSender {
  readonly provider: MessageProvider;
  /** Sends or throws; a throw is retried by the queue until its last delivery, then the message fails. */
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}

/** Sends nothing: the message is recorded as sent, and the outbox page shows what would have gone. */
export const LOCAL_OUTBOX_SENDER: MessageSender = {
  provider: 'local-outbox',
  send: async (message) => ({ providerMessageId: `local-${message.id}` }),
};

/**
 * The one switch (`MESSAGE_SENDER`): `sms` in AWS (CDK sets it), otherwise the local outbox, so a
 * process nobody configured can never text a real customer.
 */
export function messageProviderFromEnv(env: NodeJS.ProcessEnv = process.env): MessageProvider {
  const value = optionalEnv('MESSAGE_SENDER', env) ?? 'local-outbox';
  if (value !== 'sms' && value !== 'local-outbox')
    throw new Error(`MESSAGE_SENDER must be "sms" or "local-outbox", not "${value}"`);
  return value;
}
