import { WRITE_OFF, WriteOffPolicies, WriteOffs } from '@aftersales/data/write-offs';
import { WriteOffStatus } from '@aftersales/domain';
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

const tags = ['Write-offs'];
const Params = recordParams(WRITE_OFF);

/** 报损: requests, the three confirmations, and the move into custody with the loss split. */
export const writeOffs = new ApiRoutes();

writeOffs.openapi(
  {
    method: 'post',
    path: '/',
    operationId: 'requestWriteOff',
    permission: 'write_off:request',
    tags,
    summary:
      'Ask to write off damaged, defective or obsolete stock that cannot be claimed, returned or repaired',
    description:
      '`notRecoverable` must be ticked (`true`). Valued at the part’s moving average now. Without a `split` of its own it takes the store’s policy in force now (`GET …/write-offs/policy`; by default 70% store, 10% each service manager, parts manager, warehouse keeper, in basis points summing to 10000), kept on the write-off; `causedBy` names a person whose handling caused the damage, who is then charged all of it. A part number not in the store’s catalogue is a 400 on `partNumber`.',
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.WriteOffInput } } },
    },
    responses: {
      201: json(
        Bodies.WriteOff,
        'Requested (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { writeOff, created } = await c.var.tenant
      .repo(WriteOffs)
      .request(body, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, writeOff, created);
    return c.json(writeOff, 201);
  },
);

writeOffs.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listWriteOffs',
    permission: 'write_off:read',
    tags,
    summary: 'Write-offs, newest first, or those in one status (`pending`: still to confirm or post), paged',
    request: {
      params: StoreParams,
      query: PageQuery.extend({ status: WriteOffStatus.optional().meta({ description: 'Only these.' }) }),
    },
    responses: { 200: json(Pages.WriteOffPage, 'Write-offs') },
  },
  async (c) => {
    const { status, cursor, limit } = c.req.valid('query');
    return c.json(await c.var.tenant.repo(WriteOffs).list(status, { cursor, limit: limit ?? 25 }), 200);
  },
);

// The store's policy before `/{writeOffId}`: the router tries routes in the order they are declared,
// and `policy` would otherwise be read as a write-off's id.
const SPLIT_RULE =
  'The split is in basis points, one share each for the store, the service manager, the parts manager and the warehouse keeper, and the four shares must add up to exactly 10000 (100 %): anything else is a 400 with a field error on `split.store`.';

writeOffs.openapi(
  {
    method: 'get',
    path: '/policy',
    operationId: 'getWriteOffPolicy',
    permission: 'write_off:read',
    tags,
    summary: 'The store’s loss split (损失分摊): who bears what share of a written-off loss',
    description: `Before the store first sets its own, the default (70% store, 10% each service manager, parts manager, warehouse keeper) with \`version\` 0 (ETag \`"0"\`). ${SPLIT_RULE} One read.`,
    request: { params: StoreParams },
    responses: { 200: json(Bodies.WriteOffPolicy, 'The policy', ['ETag']) },
  },
  async (c) => {
    const policy = await c.var.tenant.repo(WriteOffPolicies).current();
    c.header('etag', etag(policy.version));
    return c.json(policy, 200);
  },
);

writeOffs.openapi(
  {
    method: 'put',
    path: '/policy',
    operationId: 'replaceWriteOffPolicy',
    permission: 'write_off:configure',
    tags,
    summary: 'Set the store’s loss split (If-Match required; `"0"` for the first save)',
    description: `${SPLIT_RULE} A write-off requested afterwards without a split of its own takes the new one; write-offs already requested keep the split they were asked with. Saving the split in force changes nothing (no new version).`,
    request: {
      params: StoreParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.WriteOffPolicyInput } } },
    },
    responses: { 200: json(Bodies.WriteOffPolicy, 'The saved policy', ['ETag']) },
  },
  async (c) => {
    const saved = await c.var.tenant.repo(WriteOffPolicies).replace(c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(saved.version));
    return c.json(saved, 200);
  },
);

writeOffs.openapi(
  {
    method: 'get',
    path: '/policy/history',
    operationId: 'getWriteOffPolicyHistory',
    permission: 'write_off:read',
    tags,
    summary: 'Who changed the store’s loss split, when, and each share from what to what',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { tenant } = c.var;
    return c.json(
      await tenant.repo(WriteOffPolicies).history(tenant.table.tenantId, c.req.valid('query')),
      200,
    );
  },
);

writeOffs.openapi(
  {
    method: 'get',
    path: '/{writeOffId}',
    operationId: 'getWriteOff',
    permission: 'write_off:read',
    tags,
    summary: 'One write-off with its confirmations and, once posted, who bears the loss',
    request: { params: Params },
    responses: { 200: json(Bodies.WriteOff, 'The write-off', ['ETag']) },
  },
  async (c) => {
    const w = await c.var.tenant.repo(WriteOffs).require(c.req.valid('param').writeOffId);
    c.header('etag', etag(w.version));
    return c.json(w, 200);
  },
);

writeOffs.openapi(
  {
    method: 'post',
    path: '/{writeOffId}/approvals',
    operationId: 'approveWriteOff',
    permission: 'write_off:approve',
    tags,
    summary:
      'Confirm the write-off as service manager, claims supervisor or parts supervisor (If-Match required)',
    description:
      'The caller must hold the `role` confirmed as in this store (403 `WRITE_OFF_ROLE_NOT_HELD`); the three confirm in any order, and the same role confirming again changes nothing. Only a pending write-off takes confirmations (409 `WRITE_OFF_TRANSITION_NOT_ALLOWED`).',
    errors: ['WRITE_OFF_ROLE_NOT_HELD', 'WRITE_OFF_TRANSITION_NOT_ALLOWED'],
    request: {
      params: Params,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.WriteOffApprovalInput } } },
    },
    responses: { 200: json(Bodies.WriteOff, 'The write-off with the confirmation', ['ETag']) },
  },
  async (c) => {
    const w = await c.var.tenant
      .repo(WriteOffs)
      .approve(
        c.req.valid('param').writeOffId,
        c.req.valid('json').role,
        c.var.access.roles,
        expectedVersion(c),
      );
    c.header('etag', etag(w.version));
    return c.json(w, 200);
  },
);

writeOffs.openapi(
  {
    method: 'post',
    path: '/{writeOffId}/post',
    operationId: 'postWriteOff',
    permission: 'write_off:post',
    tags,
    summary: 'Move the confirmed quantity into custody in the write-off location (If-Match required)',
    description:
      'All three confirmations first (409 `WRITE_OFF_APPROVALS_MISSING` with `missing`). One `write_off` movement through the stock ledger, with the write-off’s own change in the same transaction: posting twice moves it once (the second is a 409). The stock stays in custody, never on the shelves. The loss is valued at the moving average and split to the fen, the parts summing exactly to the total.',
    errors: ['WRITE_OFF_APPROVALS_MISSING', 'WRITE_OFF_TRANSITION_NOT_ALLOWED', 'INSUFFICIENT_STOCK'],
    request: { params: Params, headers: IfMatchHeader },
    responses: { 200: json(Bodies.WriteOff, 'The posted write-off', ['ETag']) },
  },
  async (c) => {
    const w = await c.var.tenant.repo(WriteOffs).post(c.req.valid('param').writeOffId, expectedVersion(c));
    c.header('etag', etag(w.version));
    return c.json(w, 200);
  },
);

writeOffs.openapi(
  {
    method: 'post',
    path: '/{writeOffId}/cancel',
    operationId: 'cancelWriteOff',
    permission: 'write_off:request',
    tags,
    summary: 'Withdraw a pending write-off (If-Match required)',
    errors: ['WRITE_OFF_TRANSITION_NOT_ALLOWED'],
    request: {
      params: Params,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.WriteOffCancelInput } } },
    },
    responses: { 200: json(Bodies.WriteOff, 'The cancelled write-off', ['ETag']) },
  },
  async (c) => {
    const w = await c.var.tenant
      .repo(WriteOffs)
      .cancel(c.req.valid('param').writeOffId, c.req.valid('json').reason, expectedVersion(c));
    c.header('etag', etag(w.version));
    return c.json(w, 200);
  },
);

writeOffs.openapi(
  {
    method: 'get',
    path: '/{writeOffId}/history',
    operationId: 'getWriteOffHistory',
    permission: 'write_off:read',
    tags,
    summary: 'Who asked, confirmed and posted this write-off, when, and what',
    request: { params: Params, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { writeOffId } = c.req.valid('param');
    const repo = c.var.tenant.repo(WriteOffs);
    await repo.require(writeOffId);
    return c.json(await repo.history(writeOffId, c.req.valid('query')), 200);
  },
);
