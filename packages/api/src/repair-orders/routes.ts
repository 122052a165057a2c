import { REPAIR_ORDER, RepairOrders } from '@aftersales/data/repair-orders';
import { type RepairOrder, RepairOrderStatus } from '@aftersales/domain';
import type { Context } from 'hono';
import { AuditPage } from '../platform/bodies.ts';
import {
  CREATED_HEADERS,
  etag,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  StoreParams,
  setCreatedHeaders,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

const tags = ['Repair orders'];
const Params = recordParams(REPAIR_ORDER);

/** Open orders only: delivered and cancelled ones have left the board. */
const OpenQuery = PageQuery.extend({
  status: RepairOrderStatus.exclude(['delivered', 'cancelled'])
    .optional()
    .meta({ description: 'Only orders in this status (the board’s column).' }),
});

/** The order as answered: its version as the ETag an edit sends back in If-Match. */
function versioned(c: Context, ro: RepairOrder): RepairOrder {
  c.header('etag', etag(ro.version));
  return ro;
}

/** 维修工单: reception (接车) so far; quotes, the workshop floor and settlement follow. */
export const repairOrders = new ApiRoutes();

repairOrders.openapi(
  {
    method: 'post',
    path: '/',
    operationId: 'checkInRepairOrder',
    permission: 'repair_order:write',
    tags,
    summary: '接车: open a repair order from a booking or for a walk-in',
    description:
      'The caller becomes the order’s advisor. Every concern, in the customer’s own words, becomes a proposed job line to diagnose and price. `promisedAt` lies ahead (400 `PROMISED_IN_PAST`); the odometer never reads lower than an earlier reading of the vehicle (400 on `odometerKm`); insurance work names the insurer and claim (400 `ACCIDENT_DETAILS_REQUIRED` on `accident`). A customer or vehicle not in the store is a 400 `CUSTOMER_NOT_FOUND` / `VEHICLE_NOT_FOUND` on its field; a booking not in the store a 400 `APPOINTMENT_NOT_FOUND` on `source.appointmentId`, one for another vehicle a 400 `BOOKED_FOR_ANOTHER_VEHICLE`. A booking is checked in once: a second order from it is a 409 `APPOINTMENT_ALREADY_CHECKED_IN` naming the first (`repairOrderId`). The booking’s own status is not changed here.',
    errors: ['APPOINTMENT_ALREADY_CHECKED_IN'],
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.CheckInInput } } },
    },
    responses: {
      201: json(
        Bodies.RepairOrder,
        'Opened (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { tenant } = c.var;
    const { repairOrder, created } = await tenant
      .repo(RepairOrders)
      .checkIn(tenant, body, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, repairOrder, created);
    return c.json(repairOrder, 201);
  },
);

repairOrders.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listOpenRepairOrders',
    permission: 'repair_order:read',
    tags,
    summary: 'The open repair orders (not delivered or cancelled), by status then earliest promised, paged',
    description:
      'The workshop board: one Query a page of the store’s open orders. `status` narrows to one column.',
    request: { params: StoreParams, query: OpenQuery },
    responses: { 200: json(Pages.RepairOrderPage, 'Open repair orders') },
  },
  async (c) => {
    const { cursor, limit, status } = c.req.valid('query');
    return c.json(await c.var.tenant.repo(RepairOrders).open({ cursor, limit: limit ?? 25, status }), 200);
  },
);

repairOrders.openapi(
  {
    method: 'get',
    path: '/{repairOrderId}',
    operationId: 'getRepairOrder',
    permission: 'repair_order:read',
    tags,
    summary: 'One repair order with its concerns, job lines, quotes and approvals',
    request: { params: Params },
    responses: { 200: json(Bodies.RepairOrder, 'The repair order', ['ETag']) },
  },
  async (c) =>
    c.json(
      versioned(c, await c.var.tenant.repo(RepairOrders).require(c.req.valid('param').repairOrderId)),
      200,
    ),
);

repairOrders.openapi(
  {
    method: 'patch',
    path: '/{repairOrderId}',
    operationId: 'updateRepairOrder',
    permission: 'repair_order:write',
    tags,
    summary: 'Edit the header: the promised time, or concerns re-worded (If-Match required)',
    description:
      'Fields not sent are not touched. `promisedAt` lies ahead (400 `PROMISED_IN_PAST`). `concerns` re-words concerns by `id` (those not sent keep their words; an id the order has not is a 400 `CONCERN_NOT_ON_ORDER`); concerns are not added or removed here, and the job lines keep their complaints. A settled, delivered or cancelled order is a 409 `REPAIR_ORDER_CLOSED`. Values equal to the stored ones change nothing (same version).',
    errors: ['REPAIR_ORDER_CLOSED'],
    request: {
      params: Params,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.RepairOrderPatch } } },
    },
    responses: { 200: json(Bodies.RepairOrder, 'The order as now stored', ['ETag']) },
  },
  async (c) => {
    const repo = c.var.tenant.repo(RepairOrders);
    const { repairOrderId } = c.req.valid('param');
    return c.json(versioned(c, await repo.edit(repairOrderId, c.req.valid('json'), expectedVersion(c))), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/transitions',
    operationId: 'transitionRepairOrder',
    permission: 'repair_order:write',
    tags,
    summary: 'Start diagnosis (诊断) or cancel the order with its reason (If-Match required)',
    description:
      'checked_in → diagnosing | cancelled; diagnosing → cancelled; once the customer has approved work and it started, no cancellation (409 `REPAIR_ORDER_TRANSITION_NOT_ALLOWED` with `allowed`). Cancelling needs `reason` (400). The status it already has changes nothing. Other moves follow from the job lines.',
    errors: ['REPAIR_ORDER_TRANSITION_NOT_ALLOWED'],
    request: {
      params: Params,
      headers: IfMatchHeader,
      body: {
        required: true,
        content: { 'application/json': { schema: Bodies.RepairOrderTransitionInput } },
      },
    },
    responses: { 200: json(Bodies.RepairOrder, 'The order in its new status', ['ETag']) },
  },
  async (c) => {
    const repo = c.var.tenant.repo(RepairOrders);
    const { repairOrderId } = c.req.valid('param');
    return c.json(
      versioned(c, await repo.transition(repairOrderId, c.req.valid('json'), expectedVersion(c))),
      200,
    );
  },
);

repairOrders.openapi(
  {
    method: 'get',
    path: '/{repairOrderId}/history',
    operationId: 'getRepairOrderHistory',
    permission: 'repair_order:read',
    tags,
    summary: 'Who checked in, diagnosed, quoted and moved this order, when, and what',
    request: { params: Params, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { repairOrderId } = c.req.valid('param');
    const repo = c.var.tenant.repo(RepairOrders);
    await repo.require(repairOrderId);
    return c.json(await repo.history(repairOrderId, c.req.valid('query')), 200);
  },
);
