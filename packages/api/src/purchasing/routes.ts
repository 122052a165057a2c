import {
  PURCHASE_ORDER,
  PURCHASE_PLAN,
  PurchaseOrders,
  PurchasePlans,
  RECEIPT,
  Receipts,
  Shortages,
} from '@aftersales/data/purchasing';
import type { ApprovalStep } from '@aftersales/domain';
import type { Context } from 'hono';
import type * as z from 'zod';
import { AuditPage } from '../platform/bodies.ts';
import type { AppEnv } from '../platform/env.ts';
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

/** 采购 · 入库: the purchase plan and its two approvals, orders per supplier, receipts with three inspections. */
export const purchasing = new ApiRoutes();

const tags = ['Purchasing'];
const PlanParams = recordParams(PURCHASE_PLAN);
const OrderParams = recordParams(PURCHASE_ORDER);
const ReceiptParams = recordParams(RECEIPT);
type Ctx = Context<AppEnv>;

/** A create's 201: the record, or for a repeated Idempotency-Key the first one. */
const createdResponse = <T extends z.ZodType>(schema: T, what: string) => ({
  201: json(schema, `${what} (or, for a repeated Idempotency-Key, the first result)`, CREATED_HEADERS),
});

/** A created record with its ETag, Location and replay headers. */
function createdRecord<T extends { id: string; version: number }>(c: Ctx, record: T, created: boolean): T {
  setCreatedHeaders(c, record, created);
  return record;
}

const body = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

// ---- Plans (采购计划) ----

purchasing.openapi(
  {
    method: 'get',
    path: '/plans',
    operationId: 'listPurchasePlans',
    permission: 'purchase:read',
    tags,
    summary: 'Purchase plans, newest first, paged',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(Pages.PurchasePlanPage, 'Plans') },
  },
  async (c) => c.json(await c.get('tenant').repo(PurchasePlans).list(c.req.valid('query')), 200),
);

purchasing.openapi(
  {
    method: 'post',
    path: '/plans',
    operationId: 'createPurchasePlan',
    permission: 'purchase:plan',
    tags,
    summary: 'Start a draft plan, optionally with lines added by hand',
    description: 'A part not in the catalogue is a 400 with `PART_NOT_FOUND` on its line.',
    request: { params: StoreParams, headers: IdempotencyHeader, body: body(Bodies.PlanInput) },
    responses: createdResponse(Bodies.PurchasePlan, 'Created'),
  },
  async (c) => {
    const input = c.req.valid('json');
    const { plan, created } = await c
      .get('tenant')
      .repo(PurchasePlans)
      .create(input, { idempotency: idempotency(c, input) });
    return c.json(createdRecord(c, plan, created), 201);
  },
);

purchasing.openapi(
  {
    method: 'get',
    path: '/plans/{planId}',
    operationId: 'getPurchasePlan',
    permission: 'purchase:read',
    tags,
    summary: 'One plan with its lines and signatures',
    request: { params: PlanParams },
    responses: { 200: json(Bodies.PurchasePlan, 'The plan', ['ETag']) },
  },
  async (c) =>
    c.json(versioned(c, await c.get('tenant').repo(PurchasePlans).require(c.req.valid('param').planId)), 200),
);

purchasing.openapi(
  {
    method: 'post',
    path: '/plans/{planId}/collect',
    operationId: 'collectShortages',
    permission: 'purchase:plan',
    tags,
    summary: '缺件汇总: add the shortages to a draft plan (If-Match required)',
    description:
      'Parts whose available stock is below their minimum, ordered up to their maximum, and bookings’ and repair orders’ short needs; what open orders already bring is subtracted, and a part already on the plan keeps one line.',
    errors: ['PURCHASE_PLAN_NOT_DRAFT', 'PURCHASE_PLAN_TOO_LONG'],
    request: { params: PlanParams, headers: IfMatchHeader },
    responses: { 200: json(Bodies.PurchasePlan, 'The plan with the shortages', ['ETag']) },
  },
  async (c) => {
    const plan = await c
      .get('tenant')
      .repo(Shortages)
      .collectInto(c.req.valid('param').planId, expectedVersion(c));
    return c.json(versioned(c, plan), 200);
  },
);

purchasing.openapi(
  {
    method: 'post',
    path: '/plans/{planId}/lines',
    operationId: 'addPurchasePlanLine',
    permission: 'purchase:plan',
    tags,
    summary: 'Add a part to a draft plan by hand (If-Match required)',
    errors: ['PURCHASE_PLAN_NOT_DRAFT', 'PURCHASE_PLAN_TOO_LONG'],
    request: { params: PlanParams, headers: IfMatchHeader, body: body(Bodies.PlanLineInput) },
    responses: { 200: json(Bodies.PurchasePlan, 'The plan', ['ETag']) },
  },
  async (c) => {
    const plan = await c
      .get('tenant')
      .repo(PurchasePlans)
      .addLine(c.req.valid('param').planId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, plan), 200);
  },
);

/** One approval step's route: its own permission, so the wrong role is a 403 before anything is read. */
function approvalRoute(step: ApprovalStep) {
  const parts = step === 'parts';
  purchasing.openapi(
    {
      method: 'post',
      path: parts ? '/plans/{planId}/parts-approval' : '/plans/{planId}/final-approval',
      operationId: parts ? 'approvePurchasePlanAsPartsManager' : 'approvePurchasePlanAsServiceManager',
      permission: parts ? 'purchase:approve' : 'purchase:authorize',
      tags,
      summary: parts
        ? '部门审批: the parts manager approves or rejects a draft plan (If-Match required)'
        : '售后经理审批: the after-sales manager approves or rejects a plan the parts manager approved (If-Match required)',
      description:
        'A plan not at this step is a 409 `PURCHASE_PLAN_TRANSITION_NOT_ALLOWED` naming the moves it has; a rejection needs a `reason`.',
      errors: ['PURCHASE_PLAN_TRANSITION_NOT_ALLOWED', 'PURCHASE_PLAN_EMPTY'],
      request: { params: PlanParams, headers: IfMatchHeader, body: body(Bodies.ApprovalInput) },
      responses: { 200: json(Bodies.PurchasePlan, 'The plan, signed', ['ETag']) },
    },
    async (c) => {
      const plan = await c
        .get('tenant')
        .repo(PurchasePlans)
        .approve(c.req.valid('param').planId, step, c.req.valid('json'), expectedVersion(c));
      return c.json(versioned(c, plan), 200);
    },
  );
}
approvalRoute('parts');
approvalRoute('final');

// ---- Orders (采购订单) ----

purchasing.openapi(
  {
    method: 'get',
    path: '/orders',
    operationId: 'listPurchaseOrders',
    permission: 'purchase:read',
    tags,
    summary: 'Purchase orders, newest first, paged',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(Pages.PurchaseOrderPage, 'Orders') },
  },
  async (c) => c.json(await c.get('tenant').repo(PurchaseOrders).list(c.req.valid('query')), 200),
);

purchasing.openapi(
  {
    method: 'post',
    path: '/orders',
    operationId: 'placePurchaseOrder',
    permission: 'purchase:plan',
    tags,
    summary: '下单: an order to one supplier from lines of an approved plan',
    description:
      'Each plan line is ordered once. Placing it sets each part’s expected date (预计到货, the earliest of its open orders) on its book in the same transaction, so bookings waiting for the part show it: an earlier date replaces the book’s, a later one leaves it. Two orders of the same part placed at once: one answers `CONCURRENT_UPDATE`, retry it.',
    errors: ['PURCHASE_PLAN_NOT_APPROVED', 'PLAN_LINE_ALREADY_ORDERED', 'CONCURRENT_UPDATE'],
    request: { params: StoreParams, headers: IdempotencyHeader, body: body(Bodies.OrderInput) },
    responses: createdResponse(Bodies.PurchaseOrder, 'Placed'),
  },
  async (c) => {
    const input = c.req.valid('json');
    const { order, created } = await c
      .get('tenant')
      .repo(PurchaseOrders)
      .place(input, { idempotency: idempotency(c, input) });
    return c.json(createdRecord(c, order, created), 201);
  },
);

purchasing.openapi(
  {
    method: 'get',
    path: '/orders/{orderId}',
    operationId: 'getPurchaseOrder',
    permission: 'purchase:read',
    tags,
    summary: 'One order with its lines’ received, refused and cancelled counts',
    request: { params: OrderParams },
    responses: { 200: json(Bodies.PurchaseOrder, 'The order', ['ETag']) },
  },
  async (c) =>
    c.json(
      versioned(c, await c.get('tenant').repo(PurchaseOrders).require(c.req.valid('param').orderId)),
      200,
    ),
);

purchasing.openapi(
  {
    method: 'patch',
    path: '/orders/{orderId}',
    operationId: 'reschedulePurchaseOrder',
    permission: 'purchase:plan',
    tags,
    summary:
      '改期: move an open order’s expected date when the supplier moves the delivery (If-Match required)',
    description:
      'The date is the order’s, for all its open lines; never in the past; the same date changes nothing. In the same transaction each ordered part’s book shows its earliest open expected date (预计到货), so bookings waiting for the part see the new date. A concurrent change of the same part’s date answers `CONCURRENT_UPDATE`: retry.',
    errors: ['PURCHASE_ORDER_CLOSED', 'CONCURRENT_UPDATE'],
    request: { params: OrderParams, headers: IfMatchHeader, body: body(Bodies.ExpectedDateInput) },
    responses: { 200: json(Bodies.PurchaseOrder, 'The order', ['ETag']) },
  },
  async (c) => {
    const order = await c
      .get('tenant')
      .repo(PurchaseOrders)
      .reschedule(c.req.valid('param').orderId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, order), 200);
  },
);

purchasing.openapi(
  {
    method: 'get',
    path: '/orders/{orderId}/history',
    operationId: 'getPurchaseOrderHistory',
    permission: 'purchase:read',
    tags,
    summary: 'Who placed, rescheduled, cancelled lines of and received this order, when, and what',
    request: { params: OrderParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { orderId } = c.req.valid('param');
    const repo = c.get('tenant').repo(PurchaseOrders);
    await repo.require(orderId);
    return c.json(await repo.history(orderId, c.req.valid('query')), 200);
  },
);

purchasing.openapi(
  {
    method: 'get',
    path: '/orders/{orderId}/receipts',
    operationId: 'listOrderReceipts',
    permission: 'purchase:read',
    tags,
    summary: 'An order’s deliveries, oldest first',
    request: { params: OrderParams, query: PageQuery },
    responses: { 200: json(Pages.ReceiptPage, 'Receipts') },
  },
  async (c) =>
    c.json(
      await c.get('tenant').repo(Receipts).ofOrder(c.req.valid('param').orderId, c.req.valid('query')),
      200,
    ),
);

purchasing.openapi(
  {
    method: 'post',
    path: '/orders/{orderId}/cancellation',
    operationId: 'cancelPurchaseOrderLines',
    permission: 'purchase:plan',
    tags,
    summary:
      'Cancel outstanding quantities of an order’s lines (If-Match required); it closes when nothing is left',
    errors: ['PURCHASE_ORDER_CLOSED'],
    request: { params: OrderParams, headers: IfMatchHeader, body: body(Bodies.CancelLinesInput) },
    responses: { 200: json(Bodies.PurchaseOrder, 'The order', ['ETag']) },
  },
  async (c) => {
    const order = await c
      .get('tenant')
      .repo(PurchaseOrders)
      .cancelLines(c.req.valid('param').orderId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, order), 200);
  },
);

// ---- Receipts (入库, 三检) ----

purchasing.openapi(
  {
    method: 'get',
    path: '/receipts',
    operationId: 'listReceipts',
    permission: 'purchase:read',
    tags,
    summary: 'Deliveries received, newest first, paged',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(Pages.ReceiptPage, 'Receipts') },
  },
  async (c) => c.json(await c.get('tenant').repo(Receipts).list(c.req.valid('query')), 200),
);

purchasing.openapi(
  {
    method: 'post',
    path: '/receipts',
    operationId: 'recordDelivery',
    permission: 'purchase:plan',
    tags,
    summary: '第一检: the purchaser checks a delivery against its note, line by line',
    description:
      '`noted` is what the delivery note says, `delivered` what was counted; less than noted is a shortfall on the discrepancy report. A line cannot bring more than is outstanding on the order.',
    errors: ['PURCHASE_ORDER_CLOSED'],
    request: { params: StoreParams, headers: IdempotencyHeader, body: body(Bodies.ReceiptInput) },
    responses: createdResponse(Bodies.Receipt, 'Recorded'),
  },
  async (c) => {
    const input = c.req.valid('json');
    const { receipt, created } = await c
      .get('tenant')
      .repo(Receipts)
      .record(input, { idempotency: idempotency(c, input) });
    return c.json(createdRecord(c, receipt, created), 201);
  },
);

purchasing.openapi(
  {
    method: 'get',
    path: '/receipts/{receiptId}',
    operationId: 'getReceipt',
    permission: 'purchase:read',
    tags,
    summary: 'One delivery with its three inspections and its discrepancy report',
    request: { params: ReceiptParams },
    responses: { 200: json(Bodies.Receipt, 'The receipt', ['ETag']) },
  },
  async (c) =>
    c.json(versioned(c, await c.get('tenant').repo(Receipts).require(c.req.valid('param').receiptId)), 200),
);

purchasing.openapi(
  {
    method: 'post',
    path: '/receipts/{receiptId}/inspection',
    operationId: 'inspectReceipt',
    permission: 'purchase:receive',
    tags,
    summary: '第二检: the warehouse keeper accepts or refuses each line (If-Match required)',
    description:
      'Accepted plus refused equals delivered, per line. Refusals (damaged, wrong part) and shortfalls make the discrepancy report (差损单) with a claim: against the carrier for damage alone, else the supplier, unless `claimAgainst` says.',
    errors: ['RECEIPT_STEP_NOT_ALLOWED'],
    request: { params: ReceiptParams, headers: IfMatchHeader, body: body(Bodies.InspectionInput) },
    responses: { 200: json(Bodies.Receipt, 'The receipt, inspected', ['ETag']) },
  },
  async (c) => {
    const receipt = await c
      .get('tenant')
      .repo(Receipts)
      .inspect(c.req.valid('param').receiptId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, receipt), 200);
  },
);

purchasing.openapi(
  {
    method: 'post',
    path: '/receipts/{receiptId}/put-away',
    operationId: 'putAwayReceipt',
    permission: 'purchase:receive',
    tags,
    summary:
      '第三检 · 上架: each accepted line into a bin, as a receive movement of the ledger (If-Match required)',
    description:
      'A line without a bin goes to its part’s default bin (400 if it has none). Each line is one ledger transaction with the receipt’s mark; then the order counts what arrived, stays open for what is outstanding (a partial delivery) or closes, and each part’s expected date moves on or clears.',
    errors: ['RECEIPT_STEP_NOT_ALLOWED', 'RECEIPT_LINE_PUT_AWAY', 'CONCURRENT_UPDATE'],
    request: { params: ReceiptParams, headers: IfMatchHeader, body: body(Bodies.PutAwayInput) },
    responses: { 200: json(Bodies.Receipt, 'The receipt, put away', ['ETag']) },
  },
  async (c) => {
    const receipt = await c
      .get('tenant')
      .repo(Receipts)
      .putAway(c.req.valid('param').receiptId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, receipt), 200);
  },
);

purchasing.openapi(
  {
    method: 'post',
    path: '/receipts/{receiptId}/claim-settlement',
    operationId: 'settleReceiptClaim',
    permission: 'purchase:plan',
    tags,
    summary: '索赔结案: the supplier or carrier settled the discrepancy claim (If-Match required)',
    errors: ['NO_DISCREPANCY', 'CLAIM_SETTLED'],
    request: { params: ReceiptParams, headers: IfMatchHeader, body: body(Bodies.SettlementInput) },
    responses: { 200: json(Bodies.Receipt, 'The receipt', ['ETag']) },
  },
  async (c) => {
    const receipt = await c
      .get('tenant')
      .repo(Receipts)
      .settle(c.req.valid('param').receiptId, c.req.valid('json').note, expectedVersion(c));
    return c.json(versioned(c, receipt), 200);
  },
);

purchasing.openapi(
  {
    method: 'get',
    path: '/discrepancies',
    operationId: 'listDiscrepancyReports',
    permission: 'purchase:read',
    tags,
    summary: '差损单: discrepancy reports and their claims, newest first',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(Pages.DiscrepancyPage, 'Reports') },
  },
  async (c) => c.json(await c.get('tenant').repo(Receipts).discrepancies(c.req.valid('query')), 200),
);
