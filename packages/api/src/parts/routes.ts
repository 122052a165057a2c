import { PART, Parts, StockLedger } from '@aftersales/data/parts';
import * as z from 'zod';
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

/** 配件目录: the store's parts catalogue, each part's book, bins and ledger (卡片帐), read-only here. */
export const parts = new ApiRoutes();

const tags = ['Parts'];
const PartParams = recordParams(PART);

parts.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listParts',
    permission: 'part:read',
    tags,
    summary: 'The catalogue by part number, A–Z, paged (optionally from a number prefix), each with its book',
    description:
      'One Query for the page and one BatchGet for its books (on hand, reserved, available): two requests whatever the catalogue’s size.',
    request: {
      params: StoreParams,
      query: PageQuery.extend({
        number: z.string().max(40).optional().meta({
          description:
            'Part-number prefix, compared without case or spaces; absent lists the whole catalogue.',
          example: '06L',
        }),
      }),
    },
    responses: { 200: json(Pages.CataloguePage, 'Parts with their books') },
  },
  async (c) => {
    const { number, ...page } = c.req.valid('query');
    const { tenant } = c.var;
    const found = await tenant.repo(Parts).list(number ?? '', page);
    const books = await tenant.repo(StockLedger).books(found.items.map((p) => p.id));
    const items = found.items.map((p) => ({ ...p, stock: books.get(p.id)! }));
    return c.json({ ...found, items }, 200);
  },
);

parts.openapi(
  {
    method: 'post',
    path: '/',
    operationId: 'createPart',
    permission: 'part:manage',
    tags,
    summary: 'Add a part to the catalogue (its number unique in the store, whatever its case or spacing)',
    description: 'Its book starts empty: stock arrives by receipt, never by editing the part.',
    errors: ['PART_NUMBER_EXISTS'],
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.PartInput } } },
    },
    responses: {
      201: json(
        Bodies.Part,
        'Created (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { part, created } = await c
      .get('tenant')
      .repo(Parts)
      .create(body, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, part, created);
    return c.json(part, 201);
  },
);

parts.openapi(
  {
    method: 'get',
    path: '/{partId}',
    operationId: 'getPart',
    permission: 'part:read',
    tags,
    summary: 'One part with its book and the bins that hold it',
    request: { params: PartParams },
    responses: { 200: json(Bodies.PartDetail, 'The part', ['ETag']) },
  },
  async (c) => {
    const { partId } = c.req.valid('param');
    const { tenant } = c.var;
    const ledger = tenant.repo(StockLedger);
    const [part, stock, bins] = await Promise.all([
      tenant.repo(Parts).require(partId),
      ledger.book(partId),
      ledger.binsOf(partId),
    ]);
    c.header('etag', etag(part.version));
    return c.json({ ...part, stock, bins }, 200);
  },
);

parts.openapi(
  {
    method: 'patch',
    path: '/{partId}',
    operationId: 'updatePart',
    permission: 'part:manage',
    tags,
    summary: 'Edit a part, or deactivate it with `active: false` (If-Match required)',
    description:
      'Only the fields sent change (at least one); `null` clears an optional field; the part number never changes (stock, orders and repair orders match on it). Quantities are not fields: they move by the ledger only.',
    errors: ['STOCK_LEVELS_INVALID'],
    request: {
      params: PartParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.PartPatch } } },
    },
    responses: { 200: json(Bodies.Part, 'The updated part', ['ETag']) },
  },
  async (c) => {
    const { partId } = c.req.valid('param');
    const updated = await c.get('tenant').repo(Parts).update(partId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(updated.version));
    return c.json(updated, 200);
  },
);

parts.openapi(
  {
    method: 'get',
    path: '/{partId}/history',
    operationId: 'getPartHistory',
    permission: 'part:read',
    tags,
    summary: 'Who changed this part’s catalogue entry, when, and what',
    request: { params: PartParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { partId } = c.req.valid('param');
    const repo = c.get('tenant').repo(Parts);
    await repo.require(partId);
    return c.json(await repo.history(partId, c.req.valid('query')), 200);
  },
);

parts.openapi(
  {
    method: 'get',
    path: '/{partId}/movements',
    operationId: 'listPartMovements',
    permission: 'part:read',
    tags,
    summary: 'The part’s ledger (卡片帐), newest first, paged: every movement with its document, who and why',
    description: 'One Query a page, whatever the ledger’s length.',
    request: { params: PartParams, query: PageQuery },
    responses: { 200: json(Pages.StockMovementPage, 'Movements, newest first') },
  },
  async (c) => {
    const { partId } = c.req.valid('param');
    const { tenant } = c.var;
    await tenant.repo(Parts).require(partId);
    return c.json(await tenant.repo(StockLedger).ledger(partId, c.req.valid('query')), 200);
  },
);
