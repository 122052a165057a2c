import type { DataAccess } from '@aftersales/data';
import { WebhookEndpoints } from '@aftersales/data/webhooks';
import type { Actor } from '@aftersales/domain';
import { DEMO_OEMS } from '../platform/orgs.ts';

/**
 * 推送: each demo OEM has one endpoint at the local webhook receiver, signed with one fixed demo secret
 * the receiver knows (a real OEM gets a random one, shown once). Not a secret of anything deployed.
 */
export const DEMO_WEBHOOK_SECRET = `whsec_${Buffer.from('aftersales-demo-webhook-secret!!').toString('base64')}`;

/** Where the local receiver listens by default (`WEBHOOK_RECEIVER_PORT`). */
export const DEFAULT_WEBHOOK_RECEIVER_URL = 'http://127.0.0.1:3010';

/** The receiver's path for one OEM's deliveries. */
export function demoWebhookUrl(receiverUrl: string, oemId: string): string {
  return `${receiverUrl.replace(/\/$/, '')}/oems/${oemId}`;
}

const ACTOR: Actor = { userId: 'system', name: 'Demo seed', roles: ['oem_claims'] };

export async function writeDemoWebhookEndpoints(data: DataAccess, receiverUrl: string): Promise<void> {
  for (const oem of DEMO_OEMS) {
    await data
      .forTenant({ tenantId: oem.id, actor: ACTOR })
      .repo(WebhookEndpoints)
      .register(
        {
          url: demoWebhookUrl(receiverUrl, oem.id),
          description: 'The local webhook receiver (npm start)',
          enabled: true,
        },
        { allowLoopbackHttp: true },
        { secret: DEMO_WEBHOOK_SECRET },
      );
  }
}
