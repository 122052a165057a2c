import { createHash, randomBytes } from 'node:crypto';
import {
  APPROVAL_LINK_HOURS,
  AppError,
  ApprovalLink,
  type ApprovalLinkIssued,
  type ApprovalLinkRequest,
  linkableQuoteVersion,
  type MessageLocale,
  type PublicQuote,
  publicQuote,
  type RemoteApprovalInput,
  type RepairOrder,
  requireUsableLink,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { Outbox } from '../messages/outbox.ts';
import { registerKeyPrefix } from '../platform/keys.ts';
import {
  type Key,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from '../platform/tenant-table.ts';
import { RepairOrders } from './repair-orders.ts';

/**
 * 远程确认 links. The raw token (32 random bytes) goes out in the text only; the store keeps its SHA-256,
 * so a read of the table gives nobody a working link. One item per link, in the store's partition space,
 * so a token only ever opens its own store's order:
 *
 * - link   pk `<t>#ROLINK#<sha256(token)>` sk `#ROLINK`, `ttl` a week after expiry (TTL is lazy: expiry
 *          is checked on every read; kept a while so a late click hears "expired", not "unknown")
 */
const LINK_PREFIX = 'ROLINK';
registerKeyPrefix(LINK_PREFIX, 'repairOrder.approvalLink');

const HOUR_MS = 3_600_000;
const KEEP_AFTER_EXPIRY_S = 7 * 24 * 3600;

/** A token as the link carries it: 43 base64url characters; anything else is not ours. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const notFound = () =>
  new AppError(
    404,
    'APPROVAL_LINK_NOT_FOUND',
    'This link is not valid: check it or ask the store for a new one.',
  );

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface LinkStore {
  name: string;
  timeZone: string;
}

export class ApprovalLinks {
  constructor(
    private readonly t: TenantTable,
    private readonly ctx: TenantContext,
  ) {}

  private key(token: string): Key {
    return { pk: this.t.key(LINK_PREFIX, hashOf(token)), sk: `#${LINK_PREFIX}` };
  }

  /**
   * Issues a link for the order's current quote and queues its text to the customer's mobile, both in one
   * transaction. `url` makes the link from the raw token (the public page's address).
   */
  async issue(
    tenant: TenantData,
    repairOrderId: string,
    request: ApprovalLinkRequest & { locale: MessageLocale },
    store: LinkStore,
    url: (token: string) => string,
  ): Promise<ApprovalLinkIssued> {
    const ro = await tenant.repo(RepairOrders).require(repairOrderId);
    const quoteVersion = linkableQuoteVersion(ro);
    const customer = await tenant.customers.get(ro.customerId);
    const phone = customer?.phones.find((p) => p.label === 'mobile') ?? customer?.phones[0];
    if (!phone)
      throw new AppError(
        409,
        'CUSTOMER_HAS_NO_PHONE',
        'The customer has no phone number to text the link to.',
      );
    const now = this.ctx.now();
    const { actor } = this.ctx;
    const link: ApprovalLink = {
      repairOrderId,
      quoteVersion,
      validUntil: new Date(now.getTime() + APPROVAL_LINK_HOURS * HOUR_MS).toISOString(),
      sentBy: { userId: actor.userId, name: actor.name, at: now.toISOString() },
      ...(request.promisedAt ? { promisedAt: request.promisedAt } : {}),
    };
    const token = randomBytes(32).toString('base64url');
    const { message, ops } = tenant.repo(Outbox).enqueueOps({
      to: phone.number,
      customerId: ro.customerId,
      template: 'repairOrder.approvalLink',
      locale: request.locale,
      params: { plate: ro.plate ?? '—', link: url(token) },
      store: { name: store.name, timeZone: store.timeZone },
      notAfter: link.validUntil,
    });
    await this.t.transact([
      {
        put: {
          ...this.key(token),
          type: 'RepairOrderApprovalLink',
          ...link,
          expiresAt: Math.ceil(Date.parse(link.validUntil) / 1000) + KEEP_AFTER_EXPIRY_S,
        },
        condition: 'attribute_not_exists(pk)',
      },
      ...ops,
    ]);
    return { repairOrderId, quoteVersion, expiresAt: link.validUntil, messageId: message.id };
  }

  /** The link and its order, usable now: unknown 404, used, expired or outdated 410. */
  private async open(tenant: TenantData, token: string): Promise<{ link: ApprovalLink; ro: RepairOrder }> {
    if (!TOKEN.test(token)) throw notFound();
    const item = await this.t.get(this.key(token));
    if (!item) throw notFound();
    const link = ApprovalLink.parse(stripKeys(item));
    const ro = await tenant.repo(RepairOrders).get(link.repairOrderId);
    if (!ro) throw notFound();
    try {
      requireUsableLink(link, ro, this.ctx.now());
    } catch (e) {
      // The order is read after the link: a click that came first may have used the link in between,
      // and then its answer is what makes the quote look answered. The customer hears "used", not
      // "outdated" (seen under load: two taps at once, the second read between the first's commit).
      if (
        e instanceof AppError &&
        e.code === 'APPROVAL_LINK_OUTDATED' &&
        (await this.t.get(this.key(token)))?.usedAt
      )
        throw new AppError(410, 'APPROVAL_LINK_USED', 'This link was already used.');
      throw e;
    }
    return { link, ro };
  }

  /** The quote the link shows. */
  async quote(tenant: TenantData, token: string, storeName: string): Promise<PublicQuote> {
    const { link, ro } = await this.open(tenant, token);
    return publicQuote(ro, link, storeName);
  }

  /**
   * The customer's word, recorded as the link's sender's `remote_link` approval from `from`, and the link
   * used up in the same transaction: of two clicks at once one records, the other hears "used".
   */
  async use(
    tenant: TenantData,
    token: string,
    input: RemoteApprovalInput,
    from: string,
  ): Promise<RepairOrder> {
    const { link } = await this.open(tenant, token);
    const at = this.ctx.now().toISOString();
    const consume: TxOp = {
      update: this.key(token),
      changes: { set: { usedAt: at } },
      condition: 'attribute_not_exists(usedAt)',
      decisive: true,
      onConditionFailed: () => new AppError(410, 'APPROVAL_LINK_USED', 'This link was already used.'),
    };
    try {
      return await tenant.repo(RepairOrders).approve(
        link.repairOrderId,
        {
          quoteVersion: link.quoteVersion,
          method: 'remote_link',
          approverName: input.approverName,
          from,
          decisions: input.decisions,
          ...(link.promisedAt ? { promisedAt: link.promisedAt } : {}),
        },
        { ...link.sentBy, at },
        [consume],
      );
    } catch (e) {
      // Another click came first and decided the lines: the link is what the customer asks about.
      if (e instanceof AppError && e.code === 'JOB_LINE_TRANSITION_NOT_ALLOWED')
        await this.open(tenant, token);
      throw e;
    }
  }
}
