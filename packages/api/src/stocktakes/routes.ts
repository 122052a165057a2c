import { STOCKTAKE, Stocktakes } from '@aftersales/data/stocktakes';
import { MAX_SHEET_LINES, wallClock } from '@aftersales/domain';
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

const tags = ['Stocktakes'];
const Params = recordParams(STOCKTAKE);

/** 盘点: count sheets by location, counts from the shelf or a phone, differences explained and posted. */
export const stocktakes = new ApiRoutes();

stocktakes.openapi(
  {
    method: 'post',
    path: '/',
    operationId: 'openStocktake',
    permission: 'stocktake:count',
    tags,
    summary: 'Open a stocktake: its count sheet is the bins in scope with their book counts frozen now',
    description: `\`locationPrefix\` narrows the scope to a warehouse, rack or shelf (\`A-03\`); empty is the whole store. A spot check (\`spot\`) keeps only the bins of parts moved on \`date\` (default today, in the store's time zone). The write-off location is never on the sheet. A sheet holds at most ${MAX_SHEET_LINES} lines: a larger scope is a 409 \`STOCKTAKE_SCOPE_TOO_LARGE\` (count a rack at a time), an empty one a 409 \`STOCKTAKE_SCOPE_EMPTY\`.`,
    errors: ['STOCKTAKE_SCOPE_TOO_LARGE', 'STOCKTAKE_SCOPE_EMPTY'],
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.StocktakeInput } } },
    },
    responses: {
      201: json(
        Bodies.Stocktake,
        'Opened (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { tenant, access } = c.var;
    const date = body.date ?? wallClock(tenant.now(), access.store.timeZone).date;
    const { stocktake, created } = await tenant
      .repo(Stocktakes)
      .open({ ...body, date }, access.store.timeZone, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, stocktake, created);
    return c.json(stocktake, 201);
  },
);

stocktakes.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listStocktakes',
    permission: 'stocktake:read',
    tags,
    summary: 'Stocktakes, newest first, paged',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(Pages.StocktakePage, 'Stocktakes') },
  },
  async (c) => {
    const { cursor, limit } = c.req.valid('query');
    return c.json(await c.var.tenant.repo(Stocktakes).list({ cursor, limit: limit ?? 25 }), 200);
  },
);

stocktakes.openapi(
  {
    method: 'get',
    path: '/{stocktakeId}',
    operationId: 'getStocktake',
    permission: 'stocktake:read',
    tags,
    summary: 'One stocktake with its count sheet',
    request: { params: Params },
    responses: { 200: json(Bodies.Stocktake, 'The stocktake', ['ETag']) },
  },
  async (c) => {
    const s = await c.var.tenant.repo(Stocktakes).require(c.req.valid('param').stocktakeId);
    c.header('etag', etag(s.version));
    return c.json(s, 200);
  },
);

stocktakes.openapi(
  {
    method: 'post',
    path: '/{stocktakeId}/counts',
    operationId: 'countStocktake',
    permission: 'stocktake:count',
    tags,
    summary: 'Enter counts (and reasons for differences) on the sheet, line by line',
    description:
      'Each entry names its line by `bin` and `partId`. Several counters may count one sheet at once, so no If-Match: each count is merged into the current sheet. A count equal to the book needs no reason and posts nothing; a line the sheet does not have is a 400 on that entry (`STOCKTAKE_LINE_NOT_FOUND`). Only an open or counted stocktake takes counts (409 `STOCKTAKE_CLOSED`).',
    errors: ['STOCKTAKE_CLOSED'],
    request: {
      params: Params,
      body: { required: true, content: { 'application/json': { schema: Bodies.CountInput } } },
    },
    responses: { 200: json(Bodies.Stocktake, 'The sheet with the counts', ['ETag']) },
  },
  async (c) => {
    const { actor, tenant } = c.var;
    const s = await tenant.repo(Stocktakes).count(c.req.valid('param').stocktakeId, c.req.valid('json'), {
      userId: actor.userId,
      name: actor.name,
    });
    c.header('etag', etag(s.version));
    return c.json(s, 200);
  },
);

stocktakes.openapi(
  {
    method: 'post',
    path: '/{stocktakeId}/transitions',
    operationId: 'transitionStocktake',
    permission: 'stocktake:count',
    tags,
    summary: 'Hand in the counted sheet, reopen it to recount, or cancel it (If-Match required)',
    description:
      'open → counted | cancelled; counted → open | posted | cancelled. `counted` needs every line counted (409 `STOCKTAKE_NOT_COUNTED`). Posting is its own operation (`postStocktake`), for the parts manager.',
    errors: ['STOCKTAKE_TRANSITION_NOT_ALLOWED', 'STOCKTAKE_NOT_COUNTED'],
    request: {
      params: Params,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.StocktakeTransitionInput } } },
    },
    responses: { 200: json(Bodies.Stocktake, 'The stocktake in its new status', ['ETag']) },
  },
  async (c) => {
    const s = await c.var.tenant
      .repo(Stocktakes)
      .transition(c.req.valid('param').stocktakeId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(s.version));
    return c.json(s, 200);
  },
);

stocktakes.openapi(
  {
    method: 'post',
    path: '/{stocktakeId}/post',
    operationId: 'postStocktake',
    permission: 'stocktake:post',
    tags,
    summary: 'Post the explained differences to the books as stocktake adjustments (If-Match required)',
    description:
      'Every difference needs its reason first (409 `VARIANCE_UNEXPLAINED` with the lines). Each writes one `adjust` movement of its bin through the stock ledger, with the line marked posted in the same transaction; a line whose count equals its book posts nothing. Retried after a failure part-way, only the lines not yet posted are adjusted. A bin that no longer holds what a loss takes is a 409 `INSUFFICIENT_STOCK`.',
    errors: ['STOCKTAKE_TRANSITION_NOT_ALLOWED', 'VARIANCE_UNEXPLAINED', 'INSUFFICIENT_STOCK'],
    request: { params: Params, headers: IfMatchHeader },
    responses: { 200: json(Bodies.Stocktake, 'The posted stocktake', ['ETag']) },
  },
  async (c) => {
    const s = await c.var.tenant
      .repo(Stocktakes)
      .transition(c.req.valid('param').stocktakeId, { to: 'posted' }, expectedVersion(c));
    c.header('etag', etag(s.version));
    return c.json(s, 200);
  },
);

stocktakes.openapi(
  {
    method: 'get',
    path: '/{stocktakeId}/history',
    operationId: 'getStocktakeHistory',
    permission: 'stocktake:read',
    tags,
    summary: 'Who opened, counted, handed in and posted this stocktake, when, and what',
    request: { params: Params, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { stocktakeId } = c.req.valid('param');
    const repo = c.var.tenant.repo(Stocktakes);
    await repo.require(stocktakeId);
    return c.json(await repo.history(stocktakeId, c.req.valid('query')), 200);
  },
);
