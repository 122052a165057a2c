import type { DataAccess } from '@aftersales/data';
import { CLAIM, Claims } from '@aftersales/data/claims';
import { WebhookDeliveryCopies } from '@aftersales/data/webhooks';
import { WarrantyClaimStatus } from '@aftersales/domain';
import * as z from 'zod';
import { AuditPage } from '../platform/bodies.ts';
import {
  CREATED_HEADERS,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  StoreParams,
  setCreatedHeaders,
  versioned,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

const tags = ['Warranty claims'];
const Params = recordParams(CLAIM);
const PartParams = Params.extend({
  partId: z
    .string()
    .check(z.minLength(1), z.maxLength(40))
    .meta({
      param: { name: 'partId', in: 'path' },
      description: 'The kept part’s id on the claim (`L1P1`).',
    }),
});

const Day = z.iso.date().meta({ example: '2026-12-01' });

/** The archive's search: one of VIN, status or OEM, within creation days. */
const SearchQuery = PageQuery.extend({
  status: WarrantyClaimStatus.optional().meta({ description: 'Claims in this status.' }),
  oemId: z.string().max(44).optional().meta({ description: 'Claims filed with this OEM (`oem_…`).' }),
  vin: z
    .string()
    .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'A VIN is 17 letters and digits, without I, O or Q.')
    .optional()
    .meta({ description: 'Claims of the vehicle with this VIN.' }),
  from: Day.optional().meta({ description: 'Created on or after this day (UTC).' }),
  to: Day.optional().meta({ description: 'Created on or before this day (UTC).' }),
});

const EDIT_RULE =
  'Only a draft or a claim returned for information is edited or submitted (409 `CLAIM_NOT_EDITABLE`).';

/**
 * 索赔: the claims specialist files claims from repair orders, runs the OEM's pre-check, submits,
 * answers the OEM's questions, appeals, and ships the parts the OEM asks back. The OEM's own moves
 * arrive through the OEM API and are applied here by the decisions consumer.
 */
export function claims(data: DataAccess): ApiRoutes {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'post',
      path: '/',
      operationId: 'fileClaim',
      permission: 'claim:file',
      tags,
      summary:
        '建索赔单: a draft claim from a settled or delivered repair order’s warranty or goodwill lines',
      description:
        'Takes the named lines (`lineIds`), or every line of the claim’s payer (goodwill for `type: goodwill`, warranty otherwise) that passed its final check: its 3C, labour operations with flat-rate and clocked hours, parts (the first part whose old part was kept for the claim is the causal part), the technician, and the order’s sealed inspection photos. The OEM is the one the store is franchised with that builds the car (by brand and the VIN’s maker code): none is a 409 `NO_FRANCHISE_OEM`. An order not settled or delivered is a 409 `REPAIR_ORDER_NOT_CLOSED`; an order not in the store a 400 `REPAIR_ORDER_NOT_FOUND` on `repairOrderId`; a line not on the order or not claimable a 400 on `lineIds.<i>`; no claimable line a 409 `NOTHING_TO_CLAIM`. A line is on one live claim at a time: a second claim of it is a 409 `LINE_ALREADY_CLAIMED` naming the claim (`claimId`).',
      errors: ['NO_FRANCHISE_OEM', 'REPAIR_ORDER_NOT_CLOSED', 'NOTHING_TO_CLAIM', 'LINE_ALREADY_CLAIMED'],
      request: {
        params: StoreParams,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.ClaimCreateInput } } },
      },
      responses: {
        201: json(
          Bodies.WarrantyClaim,
          'The draft (or, for a repeated Idempotency-Key, the first result)',
          CREATED_HEADERS,
        ),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const { claim, created } = await c.var.tenant
        .repo(Claims)
        .file(c.var.tenant, data.directory, c.var.access.store, body, { idempotency: idempotency(c, body) });
      setCreatedHeaders(c, claim, created);
      return c.json(claim, 201);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'searchClaims',
      permission: 'claim:read',
      tags,
      summary: '索赔档案: claims newest first, by VIN, status or OEM, within creation days, paged',
      description:
        'One of `vin`, `status` and `oemId` at a time (two are a 400 `ONE_SEARCH_AT_A_TIME` on each): each is its own index, so every page is full. A claim is found by its number with `GET …/claims/{claimId}`. A VIN no vehicle of the store has gives an empty page.',
      request: { params: StoreParams, query: SearchQuery },
      responses: { 200: json(Pages.WarrantyClaimPage, 'Claims') },
    },
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        await c.var.tenant.repo(Claims).search(c.var.tenant, { ...q, limit: q.limit ?? 25 }),
        200,
      );
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/parts-asked',
      operationId: 'listClaimsWithPartsAsked',
      permission: 'claim:read',
      tags,
      summary:
        '旧件回运: claims with a kept part the OEM asked back and the store has not shipped (at most 50)',
      description:
        'Each part asked back has its `returnRequest.dueBy`; one past it is overdue. One Query and one batch read.',
      request: { params: StoreParams },
      responses: { 200: json(Bodies.ClaimsWithPartsAsked, 'Claims') },
    },
    async (c) => c.json({ items: await c.var.tenant.repo(Claims).partsAsked() }, 200),
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{claimId}',
      operationId: 'getClaim',
      permission: 'claim:read',
      tags,
      summary: 'One claim with its lines, kept parts, pre-check, and the OEM’s decision and payment',
      request: { params: Params },
      responses: { 200: json(Bodies.WarrantyClaim, 'The claim', ['ETag']) },
    },
    async (c) =>
      c.json(versioned(c, await c.var.tenant.repo(Claims).require(c.req.valid('param').claimId)), 200),
  );

  routes.openapi(
    {
      method: 'patch',
      path: '/{claimId}',
      operationId: 'updateClaim',
      permission: 'claim:file',
      tags,
      summary:
        'Edit a claim’s lines (3C, condition and defect codes, causal part, sublet), photos, justifications, kept parts’ shelves',
      description: `Fields not sent are not touched; a line is named by \`id\` (an id the claim has not is a 400 \`CLAIM_LINE_NOT_FOUND\`), and its named fields replace the stored ones. A line's \`sublet\` replaces its whole list, and the line's and the claim's \`claimedMinor\` are recounted with it. \`causalPartNumber\` picks the causal part among the line’s parts (400 \`CLAIM_PART_NOT_ON_LINE\`); \`photoIds\` must be sealed photos of the order (400 \`PHOTO_NOT_SEALED\`); \`justifications\` answer the pre-check’s warnings by code; \`partLocations\` sets the \`location\` of the claim's \`parts\` named by id (400 \`CLAIMED_PART_NOT_FOUND\`). ${EDIT_RULE}`,
      errors: ['CLAIM_NOT_EDITABLE'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.ClaimEdit } } },
      },
      responses: { 200: json(Bodies.WarrantyClaim, 'The claim as now stored', ['ETag']) },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const claim = await c.var.tenant
        .repo(Claims)
        .edit(c.var.tenant, claimId, c.req.valid('json'), expectedVersion(c));
      return c.json(versioned(c, claim), 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{claimId}/precheck',
      operationId: 'precheckClaim',
      permission: 'claim:read',
      tags,
      summary: '预审: the OEM’s rules run on the claim as it is now, without sending it',
      description:
        'Findings with `severity` error (blocks submission) or warning (needs a justification with its `code`), each with the claim field it is about (`path`) and a message in English and Chinese. Codes: `COVERAGE_EXPIRED`, `COVERAGE_MILEAGE_EXCEEDED`, `WARRANTY_START_UNKNOWN`, `NO_EXTENDED_COVERAGE`, `LABOUR_OP_UNKNOWN`, `LABOUR_OP_NOT_FOR_MODEL`, `HOURS_OVER_ALLOWANCE`, `ACTUAL_HOURS_OVER_ALLOWANCE` (warning), `MISSING_FIELD`, `WEAK_3C_TEXT` (warning), `CAUSAL_PART_NOT_KEPT`, `PHOTOS_MISSING`, `DUPLICATE_CLAIM` (warning), `SUBMISSION_DEADLINE_PASSED`.',
      request: { params: Params },
      responses: { 200: json(Bodies.ClaimPrecheck, 'The findings (empty: nothing to mend)') },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const { findings } = await c.var.tenant.repo(Claims).precheck(data.directory, claimId);
      return c.json({ claimId, at: new Date().toISOString(), findings }, 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{claimId}/submissions',
      operationId: 'submitClaim',
      permission: 'claim:file',
      tags,
      summary: '提交: send the claim to the OEM (or resubmit a returned one with the answer)',
      description: `The pre-check runs first: an error among its findings is a 409 \`CLAIM_PRECHECK_FAILED\` with the \`findings\`; a warning without a justification of its code is a 400 \`JUSTIFICATION_REQUIRED\` on \`justifications\`. A returned claim needs \`answer\` (400 \`ANSWER_REQUIRED\`). ${EDIT_RULE} The OEM receives it through its API and its webhooks.`,
      errors: ['CLAIM_PRECHECK_FAILED', 'CLAIM_NOT_EDITABLE'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.ClaimSubmitInput } } },
      },
      responses: { 200: json(Bodies.WarrantyClaim, 'The submitted claim', ['ETag']) },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const claim = await c.var.tenant
        .repo(Claims)
        .submit(data.directory, claimId, c.req.valid('json'), expectedVersion(c));
      return c.json(versioned(c, claim), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{claimId}/withdrawal',
      operationId: 'withdrawClaim',
      permission: 'claim:file',
      tags,
      summary: '撤回: give up a draft or returned claim; its lines may be claimed again',
      errors: ['CLAIM_TRANSITION_NOT_ALLOWED'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.ClaimWithdrawInput } } },
      },
      responses: { 200: json(Bodies.WarrantyClaim, 'The withdrawn claim', ['ETag']) },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const claim = await c.var.tenant
        .repo(Claims)
        .withdraw(claimId, c.req.valid('json'), expectedVersion(c));
      return c.json(versioned(c, claim), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{claimId}/appeals',
      operationId: 'appealClaim',
      permission: 'claim:file',
      tags,
      summary: '申诉: contest a rejection or a partial acceptance, once',
      errors: ['CLAIM_TRANSITION_NOT_ALLOWED', 'CLAIM_ALREADY_APPEALED'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.ClaimAppealInput } } },
      },
      responses: { 200: json(Bodies.WarrantyClaim, 'The appealed claim', ['ETag']) },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const claim = await c.var.tenant.repo(Claims).appeal(claimId, c.req.valid('json'), expectedVersion(c));
      return c.json(versioned(c, claim), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{claimId}/parts/{partId}/shipments',
      operationId: 'shipClaimedPart',
      permission: 'claim:file',
      tags,
      summary: '旧件回运: ship a kept part the OEM asked back, with the carrier’s reference',
      description:
        'Only a part the OEM asked back (`return_requested`) ships (409 `CLAIMED_PART_STATUS`); a part id the claim has not is a 400 `CLAIMED_PART_NOT_FOUND`. Shipping it twice is the same 409.',
      errors: ['CLAIMED_PART_STATUS'],
      request: {
        params: PartParams,
        body: { required: true, content: { 'application/json': { schema: Bodies.PartShipmentInput } } },
      },
      responses: { 200: json(Bodies.WarrantyClaim, 'The claim', ['ETag']) },
    },
    async (c) => {
      const { claimId, partId } = c.req.valid('param');
      const claim = await c.var.tenant.repo(Claims).shipPart(claimId, partId, c.req.valid('json'));
      return c.json(versioned(c, claim), 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{claimId}/deliveries',
      operationId: 'listClaimDeliveries',
      permission: 'claim:read',
      tags,
      summary: '推送记录: what the OEM’s systems were sent about this claim, and whether it arrived',
      description:
        'One entry per change and OEM endpoint (`eventType` `claim.<action>`): its status (`pending`, `delivered`, `failed`), attempts so far, the last attempt’s outcome and the next attempt’s time. Newest first, paged; it appears with the first attempt.',
      request: { params: Params, query: PageQuery },
      responses: { 200: json(Pages.ClaimDeliveryPage, 'Deliveries, newest first') },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      await c.var.tenant.repo(Claims).require(claimId);
      return c.json(
        await c.var.tenant
          .repo(WebhookDeliveryCopies)
          .deliveriesAbout(claimId, { cursor, limit: limit ?? 25 }),
        200,
      );
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{claimId}/history',
      operationId: 'getClaimHistory',
      permission: 'claim:read',
      tags,
      summary: 'Who filed, edited, submitted the claim, and what the OEM did, newest first',
      request: { params: Params, query: PageQuery },
      responses: { 200: json(AuditPage, 'Audit entries, newest first') },
    },
    async (c) => {
      const { claimId } = c.req.valid('param');
      const repo = c.var.tenant.repo(Claims);
      await repo.require(claimId);
      return c.json(await repo.history(claimId, c.req.valid('query')), 200);
    },
  );

  return routes;
}
