import { PART, Parts, StockLedger } from '@aftersales/data/parts';
import { ForbiddenError, type Movement, ValidationError } from '@aftersales/domain';
import type { Context } from 'hono';
import type { AppEnv } from '../platform/env.ts';
import {
  CREATED_HEADERS,
  etag,
  IdempotencyHeader,
  idempotency,
  json,
  recordParams,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { StockBodies } from './stock-bodies.ts';

const tags = ['Stock'];
const Params = recordParams(PART);

/** Reserve and release hold stock for a document: an advisor's act. Every other kind moves it on the shelf. */
const RESERVING = new Set<Movement['kind']>(['reserve', 'release']);

/**
 * The operation needs `stock:reserve` (every role that moves stock holds it too); a kind that moves
 * stock on the shelf needs `stock:move` as well. Checked per kind here, after the body is read.
 */
function requireKindPermission(c: Context<AppEnv>, kind: Movement['kind']): void {
  if (!RESERVING.has(kind) && !c.var.access.permissions.has('stock:move'))
    throw new ForbiddenError(`Your role may reserve and release stock, not ${kind} it (stock:move).`);
}

/** 以旧换新: an issue against a repair order says whether the old part was handed in (false: a 409). */
function requireOldPartAnswer(m: Movement): void {
  if (m.kind === 'issue' && m.document.type === 'repair_order' && m.oldPartReturned === undefined)
    throw new ValidationError([
      {
        path: 'oldPartReturned',
        message: 'Say whether the old part was handed in (以旧换新) when issuing against a repair order.',
      },
    ]);
}

/** 出入库: a part's movements (its card, 卡片帐) and posting one. */
export function movements() {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'post',
      path: '/{partId}/movements',
      operationId: 'moveStock',
      permission: 'stock:reserve',
      tags,
      summary: 'Post a stock movement: receive, issue, return, transfer, reserve or release (出入库)',
      description:
        'Permission by kind: `reserve` and `release` need `stock:reserve` (advisors hold it); every other kind also needs `stock:move` (the warehouse’s hands), else 403. One transaction moves the book, the bins, the document’s reservation and writes the ledger line; nothing goes below zero: a take of more than there is answers 409 `INSUFFICIENT_STOCK` with `where` (`available`, `bin` or `reservation`), `asked` and `have`. An issue against a repair order must say `oldPartReturned` (400 when absent, 409 `OLD_PART_NOT_RETURNED` when false: 以旧换新). Bins are four-part locations (`A-03-2-05`). With an Idempotency-Key, a retry answers the first movement and writes no second ledger line. `Location` is the part’s ledger, where the movement is read.',
      errors: ['INSUFFICIENT_STOCK', 'PART_INACTIVE', 'SAME_BIN', 'CUSTODY_BIN', 'OLD_PART_NOT_RETURNED'],
      request: {
        params: Params,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: StockBodies.MovementRequest } } },
      },
      responses: {
        201: json(
          StockBodies.StockMovement,
          'The ledger line written (or, for a repeated Idempotency-Key, the first one)',
          CREATED_HEADERS,
        ),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      requireKindPermission(c, body.kind);
      requireOldPartAnswer(body);
      const { tenant } = c.var;
      const startedAt = tenant.now().toISOString();
      const part = await tenant.repo(Parts).require(c.req.valid('param').partId);
      const movement = await tenant.repo(StockLedger).move(part, body, { idempotency: idempotency(c, body) });
      // A ledger line never changes: its one version.
      c.header('etag', etag(1));
      c.header('location', c.req.path);
      // The first attempt's line was written before this request began.
      if (movement.at < startedAt) c.header('idempotent-replayed', 'true');
      return c.json(movement, 201);
    },
  );

  return routes;
}
