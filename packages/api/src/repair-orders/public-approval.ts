import type { DataAccess } from '@aftersales/data';
import { ApprovalLinks } from '@aftersales/data/repair-orders';
import {
  type Actor,
  AppError,
  PublicQuote,
  RemoteApprovalInput,
  RemoteApprovalReceipt,
} from '@aftersales/domain';
import * as z from 'zod';
import { named } from '../platform/bodies.ts';
import { json, StoreParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';

const Bodies = named({ PublicQuote, RemoteApprovalInput, RemoteApprovalReceipt });

/** Who the audit names for the customer's answer through a link (the approval names the link's sender). */
const LINK_ACTOR: Actor = { userId: 'approval-link', name: 'Customer via approval link', roles: [] };

const tags = ['Public quote approval'];

const LinkParams = StoreParams.extend({
  token: z
    .string()
    .check(z.minLength(1), z.maxLength(100))
    .meta({
      param: { name: 'token', in: 'path' },
      description: 'The token of the link the customer was texted.',
    }),
});

const LINK_ERRORS = [
  'APPROVAL_LINK_NOT_FOUND',
  'APPROVAL_LINK_EXPIRED',
  'APPROVAL_LINK_USED',
  'APPROVAL_LINK_OUTDATED',
] as const;

/**
 * 远程确认: the page a customer's link opens, without sign-in (under `/public/v1/stores/:storeId`, behind
 * the per-client limit of `publicRateLimit`). A token opens only the order of the store it was issued
 * in (its item lives in that store's keys), shows that order's quote and nothing else of the customer,
 * and takes one answer.
 */
export function publicApproval(data: DataAccess, now: () => Date) {
  const routes = new ApiRoutes();
  const tenantOf = (storeId: string) => data.forTenant({ tenantId: storeId, actor: LINK_ACTOR, now });
  /** The store's name; a store that does not exist answers as an unknown link does. */
  const storeName = async (storeId: string): Promise<string> => {
    const org = storeId.startsWith('st_') ? await data.directory.getOrganisation(storeId) : undefined;
    if (org?.kind !== 'store')
      throw new AppError(
        404,
        'APPROVAL_LINK_NOT_FOUND',
        'This link is not valid: check it or ask the store for a new one.',
      );
    return org.name;
  };

  routes.openapi(
    {
      method: 'get',
      path: '/approval-links/{token}',
      operationId: 'getPublicQuote',
      permission: 'public',
      tags,
      summary: 'The quote a link shows: its lines with prices per payer, the store and the plate',
      description:
        'No sign-in. An unknown token (or store) is a 404 `APPROVAL_LINK_NOT_FOUND`; a used, expired or outdated link (a newer quote, or the quote answered at the counter) a 410 with its code.',
      request: { params: LinkParams },
      responses: { 200: json(Bodies.PublicQuote, 'The quote to approve') },
      errors: [...LINK_ERRORS],
    },
    async (c) => {
      const { storeId, token } = c.req.valid('param');
      const name = await storeName(storeId);
      const tenant = tenantOf(storeId);
      return c.json(await tenant.repo(ApprovalLinks).quote(tenant, token, name), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/approval-links/{token}',
      operationId: 'answerPublicQuote',
      permission: 'public',
      tags,
      summary: 'The customer approves or declines each offered line, with their typed name',
      description:
        'Recorded as a `remote_link` approval of the link’s quote version, from the client’s address, by the advisor who sent it. The link works once: of two answers at once one is recorded, the other is a 410 `APPROVAL_LINK_USED`. A line not offered is a 409 `LINE_NOT_OFFERED`.',
      request: {
        params: LinkParams,
        body: { required: true, content: { 'application/json': { schema: Bodies.RemoteApprovalInput } } },
      },
      responses: { 200: json(Bodies.RemoteApprovalReceipt, 'The answer is recorded') },
      errors: [...LINK_ERRORS, 'LINE_NOT_OFFERED'],
    },
    async (c) => {
      const { storeId, token } = c.req.valid('param');
      await storeName(storeId);
      const tenant = tenantOf(storeId);
      const ro = await tenant
        .repo(ApprovalLinks)
        .use(tenant, token, c.req.valid('json'), c.var.clientAddress);
      const approval = ro.approvals.at(-1);
      const receipt: RemoteApprovalReceipt = {
        quoteVersion: approval?.quoteVersion ?? 0,
        approvedLineIds: approval?.approvedLineIds ?? [],
        declinedLineIds: approval?.declinedLineIds ?? [],
      };
      return c.json(receipt, 200);
    },
  );

  return routes;
}
