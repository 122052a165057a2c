import { partStatusesOf, StockLedger } from '@aftersales/data/parts';
import type { PickList } from '@aftersales/domain';
import { json, PageQuery, StoreParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { BinsQuery, PickListParams, StockBodies, StockPages } from './stock-bodies.ts';

const tags = ['Stock'];

/** 货位 and 拣货单: the shelves by location, and what to pick for a document. */
export function stock() {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'get',
      path: '/bins',
      operationId: 'listBinStock',
      permission: 'part:read',
      tags,
      summary:
        'Stock by location (货位): every bin in location order, narrowed to a warehouse, rack or shelf',
      description:
        'One Query per page whatever the ledger’s length. The write-off location (`BS-00-0-00`) is listed with `custody: true`: stock kept, not for issue.',
      request: { params: StoreParams, query: BinsQuery },
      responses: { 200: json(StockPages.BinStockPage, 'Bins with what each holds') },
    },
    async (c) => {
      const { location, cursor, limit } = c.req.valid('query');
      const page = await c.var.tenant
        .repo(StockLedger)
        .byLocation(location ?? '', { cursor, limit: limit ?? 50 });
      return c.json(page, 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/obsolete',
      operationId: 'listObsoleteStock',
      permission: 'part:read',
      tags,
      summary: '呆滞库存: parts with stock on hand and no movement for 12 months, the longest idle first',
      description:
        'One Query of the idle index and one BatchGet of the parts per page. Idle parts with nothing on hand are passed over, so a page may hold fewer lines than `limit` (even none) while `nextCursor` goes on.',
      request: { params: StoreParams, query: PageQuery },
      responses: { 200: json(StockPages.ObsoleteStockPage, 'Obsolete stock, with value at average cost') },
    },
    async (c) => {
      const { cursor, limit } = c.req.valid('query');
      const page = await c.var.tenant
        .repo(StockLedger)
        .obsolete(c.var.tenant.now(), { cursor, limit: limit ?? 50 });
      return c.json(page, 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/availability',
      operationId: 'checkPartsAvailability',
      permission: 'part:read',
      readOnly: true,
      tags,
      summary:
        'Whether parts a booking is about to need are on the shelf, to order (with the date), or unknown',
      description:
        'A question, not a create: no `Idempotency-Key`, nothing is held (reserve once the booking exists). Each line answers `in_stock` when its quantity is available, `to_order` with `expectedOn` from the earliest open purchase order, `unknown_part` for a number the catalogue does not have, or `retired` (with `supersededBy` when the catalogue names a replacement) for a part no longer sold. One Query per distinct number (at most 30) and one BatchGet each of the books and the parts.',
      request: {
        params: StoreParams,
        body: {
          required: true,
          content: { 'application/json': { schema: StockBodies.PartsAvailabilityQuery } },
        },
      },
      responses: { 200: json(StockBodies.PartsAvailability, 'Each line’s state, in the order asked') },
    },
    async (c) => {
      const { parts } = c.req.valid('json');
      // A booking not yet made: no document, so nothing is reserved for it.
      const statuses = await partStatusesOf(c.var.tenant, [{ id: '', parts }]);
      return c.json({ parts: statuses.get('') ?? [] }, 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/pick-lists/{documentType}/{documentId}',
      operationId: 'getPickList',
      permission: 'part:read',
      tags,
      summary: '拣货单: what a booking or repair order holds, part by part, with the bins to pick from',
      description:
        'The document’s reservations (one Query), each still held with its part’s bins, fullest first (one Query per line, at most the document’s lines). A document with nothing reserved has no lines.',
      request: { params: PickListParams },
      responses: { 200: json(StockBodies.PickList, 'The pick list') },
    },
    async (c) => {
      const { documentType, documentId } = c.req.valid('param');
      const document = { type: documentType, id: documentId };
      const ledger = c.var.tenant.repo(StockLedger);
      const held = (await ledger.reservationsOf(document)).filter((r) => r.quantity > 0);
      const lines = await Promise.all(
        held.map(async ({ short: _short, ...r }) => {
          const bins = (await ledger.binsOf(r.partId))
            .filter((b) => !b.custody && b.onHand > 0)
            .sort((a, b) => b.onHand - a.onHand || a.bin.localeCompare(b.bin))
            .map(({ bin, onHand }) => ({ bin, onHand }));
          return { ...r, bins };
        }),
      );
      const list: PickList = { document, lines };
      return c.json(list, 200);
    },
  );

  return routes;
}
