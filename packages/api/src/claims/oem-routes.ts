import type { DataAccess } from '@aftersales/data';
import { OEM_CLAIM, OemClaims, photoLinksOf } from '@aftersales/data/claims';
import {
  claimRulesOf,
  OemClaimAction,
  type OemClaimCopy,
  oemClaimOf,
  WarrantyClaimStatus,
} from '@aftersales/domain';
import type { Context } from 'hono';
import * as z from 'zod';
import {
  etag,
  IdempotencyHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  tenantIdParam,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { OemBodies, OemPages } from './bodies.ts';

const tags = ['Claims (OEM)'];
const OemParams = z.object({ oemId: tenantIdParam('oemId', 'oem_FAWVOLKSWAGEN') });
const ClaimParams = OemParams.extend({ claimId: recordParams(OEM_CLAIM).shape.claimId });

const ListQuery = PageQuery.extend({
  status: WarrantyClaimStatus.exclude(['draft'])
    .optional()
    .meta({ description: 'Claims in this status (a review queue: `submitted`, `appealed`…).' }),
  storeId: z.string().max(44).optional().meta({ description: 'One dealer’s claims (`st_…`).' }),
  changedSince: z.iso.datetime().optional().meta({
    description:
      'Claims changed at or after this instant, oldest change first: an incremental pull (keep the last `updatedAt` you saw).',
    example: '2026-12-01T00:00:00.000Z',
  }),
});

const IDEMPOTENT =
  'Send an `Idempotency-Key`: a retry with the same key returns the first result (with `Idempotent-Replayed: true`), and two concurrent requests with it decide once; the same key with another body is a 422 `IDEMPOTENCY_KEY_REUSED`. Without a key, a second identical decision meets the claim already decided (409 `CLAIM_TRANSITION_NOT_ALLOWED`).';
const APPLIED =
  'The answer shows the claim as decided at once; the dealer’s claim records it moments later (`pendingActionIds` lists actions on their way), and every change is announced to your webhook endpoints as `claim.<action>`.';

/** The claim as the OEM API answers it, with its version as the ETag. */
function answered(c: Context, copy: OemClaimCopy) {
  c.header('etag', etag(copy.version));
  return oemClaimOf(copy);
}

/**
 * 厂家 API for claims (`/v1/oems/{oemId}/claims`): the claims filed with this OEM, pulled and decided.
 * The data is the OEM's own copy in its own partition (the OEM projection's): another OEM's claim is not
 * there to find (404), and a dealer never calls these routes (404 on the OEM's path).
 */
export function oemClaims(data: DataAccess): ApiRoutes {
  const routes = new ApiRoutes();
  const rulesOf = async (oemId: string) => {
    const oem = await data.directory.getOrganisation(oemId);
    return claimRulesOf(oem?.kind === 'oem' ? oem : {});
  };

  routes.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'listOemClaims',
      permission: 'oem_claim:read',
      tags,
      summary:
        'Claims filed with you: latest change first, or by status, dealer, or changed since an instant',
      description:
        'One of `status`, `storeId` and `changedSince` at a time (each its own index, so every page is full; two are a 400 `ONE_SEARCH_AT_A_TIME` on each; with none, every claim by its latest change, newest first). Drafts never reach you. Paged with `cursor` (opaque) and `limit` (1–100, default 25).',
      request: { params: OemParams, query: ListQuery },
      responses: { 200: json(OemPages.OemClaimPage, 'Claims') },
    },
    async (c) => {
      const q = c.req.valid('query');
      const page = await c.var.tenant.repo(OemClaims).search({ ...q, limit: q.limit ?? 25 });
      return c.json({ ...page, items: page.items.map(oemClaimOf) }, 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{claimId}',
      operationId: 'getOemClaim',
      permission: 'oem_claim:read',
      tags,
      summary: 'One claim with its lines (3C, codes, labour, parts, sublet), kept parts and photo links',
      description:
        '`photoLinks` are the claim’s sealed photos (the dealer’s walk-around, hashed when uploaded) as links that work for 15 minutes: read the claim again for fresh ones.',
      request: { params: ClaimParams },
      responses: { 200: json(OemBodies.OemClaim, 'The claim', ['ETag']) },
    },
    async (c) => {
      const copy = await c.var.tenant.repo(OemClaims).require(c.req.valid('param').claimId);
      const photoLinks = await photoLinksOf(data, copy, c.var.actor, new Date());
      return c.json({ ...answered(c, copy), photoLinks }, 200);
    },
  );

  /** One POST per OEM action: the same checks, idempotency and answer, the action built from the body. */
  function actionRoute(spec: {
    path: string;
    operationId: string;
    summary: string;
    description: string;
    body: z.ZodType;
    /** The action the body makes: its kind, and the field of the action the body is. */
    action: { kind: OemClaimAction['kind']; field: 'decision' | 'request' | 'payment' | 'part' };
  }) {
    routes.openapi(
      {
        method: 'post',
        path: `/{claimId}/${spec.path}`,
        operationId: spec.operationId,
        permission: 'oem_claim:decide',
        tags,
        summary: spec.summary,
        description: `${spec.description} ${APPLIED} ${IDEMPOTENT}`,
        errors: ['CLAIM_TRANSITION_NOT_ALLOWED', 'CLAIMED_PART_STATUS'],
        request: {
          params: ClaimParams,
          headers: IdempotencyHeader,
          body: { required: true, content: { 'application/json': { schema: spec.body } } },
        },
        responses: {
          200: json(OemBodies.OemClaim, 'The claim as now decided', ['ETag', 'Idempotent-Replayed']),
        },
      },
      async (c) => {
        const { oemId, claimId } = c.req.valid('param');
        const body: unknown = c.req.valid('json');
        // The body was checked against its schema; the action's own schema types it.
        const action = OemClaimAction.parse({ kind: spec.action.kind, [spec.action.field]: body });
        const { copy, replayed } = await c.var.tenant.repo(OemClaims).act(claimId, action, {
          rules: await rulesOf(oemId),
          idempotency: idempotency(c, { path: spec.path, claimId, body }),
        });
        if (replayed) c.header('idempotent-replayed', 'true');
        return c.json(answered(c, copy), 200);
      },
    );
  }

  actionRoute({
    path: 'decisions',
    operationId: 'decideOemClaim',
    summary: '审核: accept, partly accept (per line, with approved amounts and adjustment reasons) or reject',
    description:
      'A `submitted` or `appealed` claim only. `partly_accepted` answers every line (400 `CLAIM_LINE_UNANSWERED` on `lines`), none above what it claims (400 `APPROVED_OVER_CLAIMED`), and each line paid less names its reasons (400 `ADJUSTMENT_REASON_REQUIRED`); `rejected` names at least one reason. Reasons come from one code list (`AdjustmentReason`) so dealers and their groups compare by reason.',
    body: OemBodies.OemDecisionInput,
    action: { kind: 'decide', field: 'decision' },
  });
  actionRoute({
    path: 'info-requests',
    operationId: 'requestOemClaimInformation',
    summary: '退回补充: return a submitted or appealed claim to the dealer with a question',
    description:
      'The dealer answers within your rules’ `infoAnswerDays` (the claim’s `infoRequest.dueBy`) and resubmits.',
    body: OemBodies.OemInfoRequestInput,
    action: { kind: 'request_info', field: 'request' },
  });
  actionRoute({
    path: 'payments',
    operationId: 'payOemClaim',
    summary: '结算: record the credit note paying an accepted or partly accepted claim',
    description: 'At most the approved amount (400 `PAYMENT_OVER_APPROVED` on `amountMinor`, in fen).',
    body: OemBodies.OemPaymentInput,
    action: { kind: 'record_payment', field: 'payment' },
  });
  actionRoute({
    path: 'part-requests',
    operationId: 'requestOemClaimPart',
    summary: '旧件回运: ask the dealer to ship a kept part back, within a number of days',
    description:
      'Only a part the dealer holds (`held`; 409 `CLAIMED_PART_STATUS` otherwise); a part id the claim has not is a 400 `CLAIMED_PART_NOT_FOUND`.',
    body: OemBodies.OemPartRequestInput,
    action: { kind: 'request_part', field: 'request' },
  });
  actionRoute({
    path: 'part-receipts',
    operationId: 'confirmOemClaimPartReceipt',
    summary: 'Confirm receipt of a part the dealer shipped back',
    description: 'Only a `shipped` part (409 `CLAIMED_PART_STATUS` otherwise).',
    body: OemBodies.OemPartInput,
    action: { kind: 'confirm_part_receipt', field: 'part' },
  });
  actionRoute({
    path: 'part-releases',
    operationId: 'releaseOemClaimPart',
    summary: 'Release a kept part for scrapping: the dealer need not keep or ship it',
    description: 'A part `held` or asked back and not shipped (409 `CLAIMED_PART_STATUS` otherwise).',
    body: OemBodies.OemPartInput,
    action: { kind: 'release_part', field: 'part' },
  });

  return routes;
}
