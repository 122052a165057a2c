import { ApprovalLinks, REPAIR_ORDER } from '@aftersales/data/repair-orders';
import { ApprovalLinkIssued, ApprovalLinkRequest } from '@aftersales/domain';
import { optionalEnv } from '@aftersales/runtime';
import { named } from '../platform/bodies.ts';
import { json, recordParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';

const Bodies = named({ ApprovalLinkRequest, ApprovalLinkIssued });

/**
 * The public approval page's address for a token: the site (`PUBLIC_SITE_URL`, else the origin the
 * request came to: locally and behind CloudFront the API and the site share it). The token rides in
 * the fragment, which browsers never send to a server or put in a Referer.
 */
export function approvalPageUrl(requestUrl: string, storeId: string, token: string): string {
  const site = optionalEnv('PUBLIC_SITE_URL') ?? new URL(requestUrl).origin;
  return `${site}/approve.html#store=${encodeURIComponent(storeId)}&token=${token}`;
}

/** 远程确认: the advisor texts the customer a one-time link to the current quote. */
export const approvalLinks = new ApiRoutes();

approvalLinks.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/approval-links',
    operationId: 'sendQuoteApprovalLink',
    permission: 'repair_order:approve',
    tags: ['Repair orders'],
    summary: '远程确认: text the customer a one-time link to approve or decline the current quote',
    description:
      'Issues a link for the current quote version, good for 24 hours and one answer, and queues its text to the customer’s mobile (the message outbox). The link closes early when a newer quote is issued or the quote is answered at the counter. The customer’s answer is recorded as a `remote_link` approval by the caller, from the customer’s address. No quote with lines awaiting approval: 409 `NOTHING_TO_APPROVE`; a customer without a phone: 409 `CUSTOMER_HAS_NO_PHONE`. Give `promisedAt` when the quote offers add-on work. Each call issues a new link.',
    errors: ['NOTHING_TO_APPROVE', 'CUSTOMER_HAS_NO_PHONE'],
    request: {
      params: recordParams(REPAIR_ORDER),
      body: { required: true, content: { 'application/json': { schema: Bodies.ApprovalLinkRequest } } },
    },
    responses: { 200: json(Bodies.ApprovalLinkIssued, 'The link is issued and its text queued') },
  },
  async (c) => {
    const { storeId, repairOrderId } = c.req.valid('param');
    const { tenant, access } = c.var;
    const issued = await tenant
      .repo(ApprovalLinks)
      .issue(tenant, repairOrderId, c.req.valid('json'), access.store, (token) =>
        approvalPageUrl(c.req.url, storeId, token),
      );
    return c.json(issued, 200);
  },
);
