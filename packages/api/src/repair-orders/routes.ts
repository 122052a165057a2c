import { REPAIR_ORDER, RepairOrders, WalkArounds } from '@aftersales/data/repair-orders';
import { DECLINED_LOOKBACK_ORDERS, RepairOrderStatus } from '@aftersales/domain';
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
import { ApiRoutes, type RouteSpec } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

const tags = ['Repair orders'];
const Params = recordParams(REPAIR_ORDER);

/** Open orders only: delivered and cancelled ones have left the board. */
const OpenQuery = PageQuery.extend({
  status: RepairOrderStatus.exclude(['delivered', 'cancelled'])
    .optional()
    .meta({ description: 'Only orders in this status (the board’s column).' }),
});

/** Whose declined work: a vehicle of the store. */
const DeclinedQuery = z.object({
  vehicleId: z.string().min(1).max(64).meta({ description: 'The vehicle (`veh_…`) about to be checked in.' }),
});

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
      'The caller becomes the order’s advisor. Every concern, in the customer’s own words, becomes a proposed job line to diagnose and price. `promisedAt` lies ahead (400 `PROMISED_IN_PAST`); the odometer never reads lower than an earlier reading of the vehicle (400 on `odometerKm`); insurance work names the insurer and claim (400 `ACCIDENT_DETAILS_REQUIRED` on `accident`). A customer or vehicle not in the store is a 400 `CUSTOMER_NOT_FOUND` / `VEHICLE_NOT_FOUND` on its field; a booking not in the store a 400 `APPOINTMENT_NOT_FOUND` on `source.appointmentId`, one for another vehicle a 400 `BOOKED_FOR_ANOTHER_VEHICLE`. A concern may take up the vehicle’s declined work (`declinedFrom`, as `GET …/repair-orders/declined-work` lists it); work not on offer for this vehicle is a 400 `DECLINED_WORK_NOT_FOUND` on `concerns.<i>.declinedFrom`. A booking is checked in once: a second order from it is a 409 `APPOINTMENT_ALREADY_CHECKED_IN` naming the first (`repairOrderId`). The booking’s own status is not changed here.',
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

// Declared before `/{repairOrderId}`, which would otherwise take `declined-work` for an order's id.
repairOrders.openapi(
  {
    method: 'get',
    path: '/declined-work',
    operationId: 'listDeclinedWork',
    permission: 'repair_order:read',
    tags,
    summary: '未修项目: the work this vehicle’s customer declined, offered again at the next check-in',
    description: `Declined lines of the vehicle’s latest ${DECLINED_LOOKBACK_ORDERS} orders that no order has taken up since (a check-in concern names one in \`declinedFrom\`; a line approved later is no longer declined), newest order first, each with its price in the last quote that offered it. One Query. A vehicle with no orders in this store (another store’s included) has none.`,
    request: { params: StoreParams, query: DeclinedQuery },
    responses: { 200: json(Bodies.DeclinedWorkList, 'Declined work still on offer') },
  },
  async (c) => {
    const { vehicleId } = c.req.valid('query');
    return c.json({ items: await c.var.tenant.repo(RepairOrders).declinedWork(vehicleId) }, 200);
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

// ——— Lines, quotes and approval (报价 · 确认) ——————————————————————————————————————————————————————

const LineParams = Params.extend({
  lineId: z
    .string()
    .check(z.minLength(1), z.maxLength(20))
    .meta({
      param: { name: 'lineId', in: 'path' },
      description: 'The job line’s id on the order (L1, L2…).',
    }),
});

const ORDER_ANSWER = { 200: json(Bodies.RepairOrder, 'The order as now stored', ['ETag']) };
const LINE_ERRORS = [
  'JOB_LINE_NOT_ON_ORDER',
  'JOB_LINE_TRANSITION_NOT_ALLOWED',
  'REPAIR_ORDER_CLOSED',
] as const;
const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines',
    operationId: 'addRepairOrderLine',
    permission: 'repair_order:write',
    tags,
    summary: 'Add a job line (维修项目): 3C, labour, parts, consumables, payer (If-Match required)',
    description:
      'The line is written `proposed`, priced at the store’s labour rate for its payer, and reaches the customer with the next quote. Added while the workshop has the car it is add-on work (增修), blocked until approved. A settled, delivered or cancelled order is a 409 `REPAIR_ORDER_CLOSED`.',
    errors: ['REPAIR_ORDER_CLOSED'],
    request: { params: Params, headers: IfMatchHeader, body: body(Bodies.LineWorkRequest) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    const ro = await tenant.repo(RepairOrders).addLine(tenant, repairOrderId, c.req.valid('json'), {
      addOn: false,
      expectedVersion: expectedVersion(c),
    });
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/add-ons',
    operationId: 'reportAddOnWork',
    permission: 'repair_order:clock',
    tags,
    summary: '增修: a technician reports work found during the repair',
    description:
      'Only while the order is in progress, in the checks or ready (409 `ADD_ON_OUTSIDE_WORKSHOP`). The line is `proposed` with the reporter on it and stays blocked until the advisor quotes it and the customer approves; the order goes back to in progress meanwhile. Taken on the latest version (no If-Match): the report depends on nothing the technician saw.',
    errors: ['ADD_ON_OUTSIDE_WORKSHOP', 'REPAIR_ORDER_CLOSED'],
    request: { params: Params, body: body(Bodies.LineWorkRequest) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    const ro = await tenant
      .repo(RepairOrders)
      .addLine(tenant, repairOrderId, c.req.valid('json'), { addOn: true });
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'put',
    path: '/{repairOrderId}/lines/{lineId}',
    operationId: 'setRepairOrderLineWork',
    permission: 'repair_order:write',
    tags,
    summary: 'Diagnose and price a line: its whole work (3C, labour, parts, consumables, payer, discount)',
    description:
      'Replaces the line’s work (If-Match required). Work already quoted or approved goes back to `proposed`: the customer sees the change only as a new quote version. Work the workshop has started no longer changes (409 `JOB_LINE_TRANSITION_NOT_ALLOWED`). The same work changes nothing (same version).',
    errors: LINE_ERRORS,
    request: { params: LineParams, headers: IfMatchHeader, body: body(Bodies.LineWorkRequest) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await tenant
      .repo(RepairOrders)
      .editLine(tenant, repairOrderId, lineId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/quotes',
    operationId: 'issueRepairOrderQuote',
    permission: 'repair_order:write',
    tags,
    summary: '报价: issue the next quote version (If-Match required)',
    description:
      'Prices every line not declined per payer at the store’s VAT rate and puts the `proposed` lines to the customer (`offered`); they await approval. A quote is never edited: a change after it is the next version. Nothing proposed is a 409 `NOTHING_TO_QUOTE`.',
    errors: ['NOTHING_TO_QUOTE', 'REPAIR_ORDER_CLOSED'],
    request: { params: Params, headers: IfMatchHeader },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    const ro = await tenant.repo(RepairOrders).quote(tenant, repairOrderId, expectedVersion(c));
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/approvals',
    operationId: 'recordQuoteApproval',
    permission: 'repair_order:approve',
    tags,
    summary: '客户确认: the customer approves or declines each offered line of a quote version',
    description:
      'Recorded with who, when, how (`counter_signature` needs `signatureRef`: the signature drawn at the counter, uploaded through `POST …/photos` and sealed with `purpose: signature` first; a ref to no signature sealed on this order is a 400 `SIGNATURE_NOT_SEALED`), from where and which version. `quoteVersion` is the precondition (no If-Match): an older version is a 409 `QUOTE_VERSION_OUTDATED` with `currentVersion`; a line not offered in it a 409 `LINE_NOT_OFFERED`; a line already decided (two advisors at once: one approval wins) a 409 `JOB_LINE_TRANSITION_NOT_ALLOWED`. Approved add-on work needs a new `promisedAt` (400 `PROMISED_TIME_REQUIRED`). Declined lines stay on the order as declined work. The approved lines’ parts are then held for the order in the parts ledger (by the repair-order-parts consumer, moments later): up to what the work still needs, short stock marked to order; a declined line holds nothing, and a delivered or cancelled order gives back what it still holds.',
    errors: ['QUOTE_VERSION_OUTDATED', 'LINE_NOT_OFFERED', ...LINE_ERRORS],
    request: { params: Params, body: body(Bodies.QuoteApprovalInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId } = c.req.valid('param');
    const input = c.req.valid('json');
    // A sealed image is never removed, so checking it before the approval's write cannot go stale.
    if (input.signatureRef)
      await tenant.repo(WalkArounds).signature(tenant, repairOrderId, input.signatureRef);
    const ro = await tenant.repo(RepairOrders).approve(repairOrderId, input);
    return c.json(versioned(c, ro), 200);
  },
);

// ——— The workshop floor (派工 · 开工 · 三检) ——————————————————————————————————————————————————————

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines/{lineId}/dispatch',
    operationId: 'dispatchRepairOrderLine',
    permission: 'repair_order:dispatch',
    tags,
    summary: '派工: give an approved line to a technician (and a bay of the store)',
    description:
      '`bayId`, when sent, is a bay of the store’s set-up (400 `BAY_NOT_FOUND` on `bayId`) still in use (400 `BAY_INACTIVE` on `bayId`). The technician is an active technician of the store (409 `NOT_A_TECHNICIAN`) with the skill and at least the level of each of the line’s operations (409 `TECHNICIAN_NOT_QUALIFIED` with `ops`). An approved line, or a dispatched one not yet started, may be given; others are a 409 `JOB_LINE_TRANSITION_NOT_ALLOWED`. The same technician and bay change nothing.',
    errors: ['NOT_A_TECHNICIAN', 'TECHNICIAN_NOT_QUALIFIED', ...LINE_ERRORS],
    request: { params: LineParams, body: body(Bodies.DispatchInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await tenant.repo(RepairOrders).dispatch(tenant, repairOrderId, lineId, c.req.valid('json'));
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines/{lineId}/clock-on',
    operationId: 'clockOnRepairOrderLine',
    permission: 'repair_order:clock',
    tags,
    summary: '开工: the caller clocks on a line given to them',
    description:
      'A dispatched, paused or reworked line. A technician clocks on their own lines (409 `LINE_NOT_YOURS`; the workshop manager may clock any). Clocked on another line — of this order or another — is a 409 `TECHNICIAN_ALREADY_CLOCKED_ON` naming it (`openClockings`), unless the store’s set-up has `concurrentClocking`; two clock-ons at once on two orders give one.',
    errors: ['LINE_NOT_YOURS', 'TECHNICIAN_ALREADY_CLOCKED_ON', ...LINE_ERRORS],
    request: { params: LineParams },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { tenant } = c.var;
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await tenant.repo(RepairOrders).clockOn(tenant, repairOrderId, lineId);
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines/{lineId}/clock-off',
    operationId: 'clockOffRepairOrderLine',
    permission: 'repair_order:clock',
    tags,
    summary: '收工 / 暂停: the caller’s clock stops, the line done or paused with its reason',
    description:
      '`outcome: paused` needs `pauseReason` (400). Not clocked on the line is a 409 `NOT_CLOCKED_ON`. A done line waits for its self check.',
    errors: ['NOT_CLOCKED_ON', ...LINE_ERRORS],
    request: { params: LineParams, body: body(Bodies.ClockOffInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await c.var.tenant.repo(RepairOrders).clockOff(repairOrderId, lineId, c.req.valid('json'));
    return c.json(versioned(c, ro), 200);
  },
);

// ——— 会诊: a hard fault put to the technical director ————————————————————————————————————————————

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines/{lineId}/escalations',
    operationId: 'escalateRepairOrderLine',
    permission: 'repair_order:escalate',
    tags,
    summary: '会诊: put a hard fault on a line to the technical director, with a note',
    description:
      'A line proposed, awaiting approval, approved, dispatched, in progress, paused or in rework; a declined line or one done or in its checks is a 409 `ESCALATION_NOT_ALLOWED`. One question at a time: another still unanswered is a 409 `ESCALATION_ALREADY_OPEN`. A line being worked is paused for diagnosis (`waiting_diagnosis`, every open clocking on it stops now); until the answer nobody clocks on it (409 `LINE_ESCALATED`) and the board shows it `escalatedAt`. `note` is required (400). Taken on the latest version (no If-Match); audited and emitted as `repairOrder.lineEscalated`.',
    errors: ['ESCALATION_NOT_ALLOWED', 'ESCALATION_ALREADY_OPEN', ...LINE_ERRORS],
    request: { params: LineParams, body: body(Bodies.EscalationNoteInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await c.var.tenant.repo(RepairOrders).escalate(repairOrderId, lineId, c.req.valid('json'));
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines/{lineId}/escalation-answers',
    operationId: 'answerRepairOrderEscalation',
    permission: 'repair_order:consult',
    tags,
    summary: '会诊: the technical director answers the line’s open question with notes',
    description:
      'Only the technical director answers (403 for other roles). The line’s open question is closed with the answer and the line returns to work: a line paused for diagnosis is clocked on again. No open question is a 409 `NO_OPEN_ESCALATION`. `note` is required (400). Taken on the latest version (no If-Match); audited and emitted as `repairOrder.escalationAnswered`.',
    errors: ['NO_OPEN_ESCALATION', ...LINE_ERRORS],
    request: { params: LineParams, body: body(Bodies.EscalationNoteInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await c.var.tenant
      .repo(RepairOrders)
      .answerEscalation(repairOrderId, lineId, c.req.valid('json'));
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/lines/{lineId}/checks',
    operationId: 'recordQualityCheck',
    permission: 'repair_order:check',
    tags,
    summary: '三检: a self, team or final check of a done line, passed or failed with its reason',
    description:
      'In order self → team → final (409 `QUALITY_CHECK_OUT_OF_ORDER` with `due`). The self check is the line’s technician’s, the team check another technician’s, the final the workshop manager’s or technical director’s (403 `CHECKER_NOT_ALLOWED`; the workshop manager may give the first two). A failure needs `reason` (400) and sends the line back as rework, counted against first-time fix.',
    errors: ['QUALITY_CHECK_OUT_OF_ORDER', 'CHECKER_NOT_ALLOWED', ...LINE_ERRORS],
    request: { params: LineParams, body: body(Bodies.QualityCheckInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { repairOrderId, lineId } = c.req.valid('param');
    const ro = await c.var.tenant.repo(RepairOrders).check(repairOrderId, lineId, c.req.valid('json'));
    return c.json(versioned(c, ro), 200);
  },
);

// ——— Parts against a line (领料 · 以旧换新 · 退料) —————————————————————————————————————————————————

type PartMove = Parameters<RepairOrders['movePart']>[3];

/**
 * 领料 and 退料 are one operation on a line's parts in two directions: the ledger's movement (against the
 * order as its document) and the line's record in one transaction, the order answered with its ETag.
 */
function partMoveRoute<K extends PartMove['kind']>(
  kind: K,
  schema: z.ZodType<Extract<PartMove, { kind: K }>['fields']>,
  spec: Pick<RouteSpec, 'path' | 'operationId' | 'summary' | 'description' | 'errors'>,
): void {
  repairOrders.openapi(
    {
      ...spec,
      method: 'post',
      permission: 'stock:move',
      tags,
      request: { params: LineParams, body: body(schema) },
      responses: ORDER_ANSWER,
    },
    async (c) => {
      const { tenant } = c.var;
      const { repairOrderId, lineId } = c.req.valid('param');
      // The kind decides the fields' schema: this pair is one of PartMove's members.
      const move = { kind, fields: c.req.valid('json') } as PartMove;
      const ro = await tenant.repo(RepairOrders).movePart(tenant, repairOrderId, lineId, move);
      return c.json(versioned(c, ro), 200);
    },
  );
}

partMoveRoute('issue', Bodies.PartIssueInput, {
  path: '/{repairOrderId}/lines/{lineId}/part-issues',
  operationId: 'issueRepairOrderPart',
  summary: '领料: issue a line’s part from a bin once the old part is handed in (以旧换新)',
  description:
    'The part must be on the line (409 `PART_NOT_ON_LINE`) and issued at most up to the approved quantity (409 `PART_ISSUE_EXCEEDS_LINE` with `onLine`, `issued`); the line approved and not yet through its checks (409 `PARTS_NOT_ISSUABLE`). `oldPart` records the old part’s fate: kept for a warranty claim, returned to the customer, scrapped, or `none_removed` with a `note` (400 without). The part the order holds (reserved when the customer approved the line) is issued from that reservation, consuming it; `fromReservation` asks for that explicitly. The ledger’s issue (against the order as its document) and the line’s record are one transaction: not enough stock is a 409 `INSUFFICIENT_STOCK` and nothing is recorded.',
  errors: [
    'PART_NOT_ON_LINE',
    'PART_ISSUE_EXCEEDS_LINE',
    'PARTS_NOT_ISSUABLE',
    'INSUFFICIENT_STOCK',
    'PART_INACTIVE',
    ...LINE_ERRORS,
  ],
});

partMoveRoute('return', Bodies.PartReturnInput, {
  path: '/{repairOrderId}/lines/{lineId}/part-returns',
  operationId: 'returnRepairOrderPart',
  summary: '退料: a line’s unused part goes back to a bin',
  description:
    'At most what was issued to the line (409 `PART_RETURN_EXCEEDS_ISSUED` with `issued`). The ledger’s return and the line’s record are one transaction.',
  errors: ['PART_NOT_ON_LINE', 'PART_RETURN_EXCEEDS_ISSUED', 'PARTS_NOT_ISSUABLE', ...LINE_ERRORS],
});

// ——— Settlement and delivery (结算 · 交车) ————————————————————————————————————————————————————————

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/settlement',
    operationId: 'settleRepairOrder',
    permission: 'repair_order:settle',
    tags,
    summary:
      '结算: split the checked work to its payers and record the customer’s payments (If-Match required)',
    description:
      'Only a `ready` order (every approved line passed its final check; else 409 `REPAIR_ORDER_TRANSITION_NOT_ALLOWED`). Shares per payer with VAT at the last quote’s rate: the customer’s is paid now and the payments must add up to it exactly (409 `PAYMENT_MISMATCH` with `due` and `paid` in fen); warranty and goodwill become claimable, the insurer’s receivable, internal work the store’s cost.',
    errors: ['PAYMENT_MISMATCH', 'REPAIR_ORDER_TRANSITION_NOT_ALLOWED'],
    request: { params: Params, headers: IfMatchHeader, body: body(Bodies.RepairOrderSettlementInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { repairOrderId } = c.req.valid('param');
    const ro = await c.var.tenant
      .repo(RepairOrders)
      .settle(repairOrderId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, ro), 200);
  },
);

repairOrders.openapi(
  {
    method: 'post',
    path: '/{repairOrderId}/delivery',
    operationId: 'deliverRepairOrder',
    permission: 'repair_order:settle',
    tags,
    summary: '交车: hand the car back with the delivery checklist (If-Match required)',
    description:
      'Only once settled (409 `REPAIR_ORDER_NOT_SETTLED`; delivered already: 409 `REPAIR_ORDER_TRANSITION_NOT_ALLOWED`). `keysHandedOver` must be true (400). `lemonLaw` states the visit’s 三包除外天数 in whole days (each 0 when not sent), which the 三包 counters leave out of its repair days as its ruleset says: `excludedPartWaitDays` (等待防盗/线束等除外配件天数, every ruleset), `batteryShippingDays` (动力电池运输天数, CN-2022) and `loanerDays` (代步车天数, US-TX); they matter for orders with warranty or goodwill lines. The two waits together are at most the visit’s repair days as the counters count them (every started 24 hours from the order’s opening to its pick-up notice, the last final check; exactly that many is allowed): beyond is a 400 `LEMON_LAW_DAYS_EXCEED_VISIT` on `lemonLaw`. Loaner days are at most the started 24 hours from opening to this delivery plus 1 (calendar days the car was away): beyond is a 400 `LEMON_LAW_LOANER_DAYS_EXCEED_STAY` on `lemonLaw.loanerDays`. Emits `repairOrder.delivered` (on time, first-time fix), which follow-up calls, the 三包 counters and the store’s figures use; the order leaves the board.',
    errors: ['REPAIR_ORDER_NOT_SETTLED', 'REPAIR_ORDER_TRANSITION_NOT_ALLOWED'],
    request: { params: Params, headers: IfMatchHeader, body: body(Bodies.DeliveryInput) },
    responses: ORDER_ANSWER,
  },
  async (c) => {
    const { repairOrderId } = c.req.valid('param');
    const ro = await c.var.tenant
      .repo(RepairOrders)
      .deliver(repairOrderId, c.req.valid('json'), expectedVersion(c));
    return c.json(versioned(c, ro), 200);
  },
);

// ——— The workshop board (控工看板) ————————————————————————————————————————————————————————————

/** 控工看板: mounted at `/v1/stores/{storeId}/workshop-board`, one request per refresh. */
export const workshopBoard = new ApiRoutes();

workshopBoard.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'getWorkshopBoard',
    permission: 'repair_order:read',
    tags,
    summary: 'The workshop board: every open repair order as a card, every technician with their work',
    description:
      'For a wall screen refreshed every 10 s: one request, two DynamoDB Queries (the open orders, up to 100, and the staff) whatever the store’s history. `truncated` says more orders are open than the board shows. Lateness is minutes past the promised time at `at`.',
    request: { params: StoreParams },
    responses: { 200: json(Bodies.WorkshopBoard, 'The board now') },
  },
  async (c) => {
    const { tenant } = c.var;
    c.header('cache-control', 'no-store');
    return c.json(await tenant.repo(RepairOrders).board(tenant), 200);
  },
);
