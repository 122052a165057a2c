import type { MessageSender } from '@aftersales/data/messages';

/** Where the SMS sender sends from: the configuration set CDK creates, and an origination identity if set. */
export interface SmsSenderConfig {
  /** `SMS_CONFIGURATION_SET`: the set the function may send with (its IAM grant names it). */
  configurationSetName: string;
  /** `SMS_ORIGINATION_IDENTITY`: a phone number, pool or sender id registered for the store's country. */
  originationIdentity?: string | undefined;
}

/**
 * The SMS sender on Amazon End User Messaging SMS (SendTextMessage), chosen over SNS Publish because it
 * names a configuration set (delivery events, the IAM grant) and an origination identity per country.
 * Numbers are stored as typed in China (`13800138000`); E.164 for the provider. The SDK client is
 * loaded on the first send, like the Cognito adapters in the API.
 */
export function smsSender(config: SmsSenderConfig): MessageSender {
  let client: Promise<(to: string, body: string) => Promise<string>> | undefined;
  const load = async () => {
    const { PinpointSMSVoiceV2Client, SendTextMessageCommand } = await import(
      '@aws-sdk/client-pinpoint-sms-voice-v2'
    );
    const sms = new PinpointSMSVoiceV2Client({});
    return async (to: string, body: string) => {
      const out = await sms.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: to,
          MessageBody: body,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: config.configurationSetName,
          ...(config.originationIdentity ? { OriginationIdentity: config.originationIdentity } : {}),
        }),
      );
      if (!out.MessageId) throw new Error('SendTextMessage answered without a MessageId');
      return out.MessageId;
    };
  };
  return {
    provider: 'sms',
    send: async (message) => {
      client ??= load().catch((e: unknown) => {
        client = undefined;
        throw e;
      });
      return { providerMessageId: await (await client)(e164(message.to), message.text) };
    },
  };
}

/** A mainland mobile number as stored (11 digits from 1) gets +86; anything else is sent as stored with a +. */
export function e164(phone: string): string {
  if (phone.startsWith('+')) return phone;
  return /^1\d{10}$/.test(phone) ? `+86${phone}` : `+${phone}`;
}
