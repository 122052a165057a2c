import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 维修工单 calls, on the shared store client; request and answer types come from the generated document. */

export type RepairOrder = Schemas['RepairOrder'];
export type JobLine = RepairOrder['lines'][number];
export type Quote = RepairOrder['quotes'][number];
/** The statuses of an order still on the board (delivered and cancelled ones have left it). */
export type OpenStatus = Exclude<RepairOrder['status'], 'delivered' | 'cancelled'>;

/** The open orders, by status then earliest promised, a page at a time. */
export function listOpenRepairOrders(s: StoreClient, q: { status?: OpenStatus } & Paging) {
  return s.data(s.api.GET('/v1/stores/{storeId}/repair-orders', { params: { ...s.at(), query: q } }));
}

export function getRepairOrder(s: StoreClient, repairOrderId: string) {
  return s.versioned(
    s.api.GET('/v1/stores/{storeId}/repair-orders/{repairOrderId}', { params: s.at({ repairOrderId }) }),
  );
}

export type DeclinedWork = Schemas['DeclinedWorkList']['items'][number];

/** 未修项目: the car's declined work still on offer, for the check-in to take up. */
export function listDeclinedWork(s: StoreClient, vehicleId: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/repair-orders/declined-work', {
      params: { ...s.at(), query: { vehicleId } },
    }),
  );
}

/** 接车 (Idempotency-Key: a retried check-in answers the first order). */
export function checkIn(s: StoreClient, input: Schemas['CheckInInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function transitionRepairOrder(
  s: StoreClient,
  repairOrderId: string,
  move: Schemas['RepairOrderTransitionInput'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/transitions', {
      params: s.changing(etag, { repairOrderId }),
      body: move,
    }),
  );
}

export function addLine(
  s: StoreClient,
  repairOrderId: string,
  work: Schemas['LineWorkRequest'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines', {
      params: s.changing(etag, { repairOrderId }),
      body: work,
    }),
  );
}

export function setLineWork(
  s: StoreClient,
  repairOrderId: string,
  lineId: string,
  work: Schemas['LineWorkRequest'],
  etag: string,
) {
  return s.versioned(
    s.api.PUT('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}', {
      params: s.changing(etag, { repairOrderId, lineId }),
      body: work,
    }),
  );
}

/** 报价: the next quote version of what is proposed. */
export function issueQuote(s: StoreClient, repairOrderId: string, etag: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/quotes', {
      params: s.changing(etag, { repairOrderId }),
    }),
  );
}

/** 客户确认: the quote's version is the precondition, not an If-Match. */
export function recordApproval(s: StoreClient, repairOrderId: string, input: Schemas['QuoteApprovalInput']) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/approvals', {
      params: s.at({ repairOrderId }),
      body: input,
    }),
  );
}

/** 远程确认: texts the customer a one-time link to the current quote (each call a new link). */
export function sendApprovalLink(
  s: StoreClient,
  repairOrderId: string,
  input: Schemas['ApprovalLinkRequest'],
) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/approval-links', {
      params: s.at({ repairOrderId }),
      body: input,
    }),
  );
}

export function settle(
  s: StoreClient,
  repairOrderId: string,
  input: Schemas['RepairOrderSettlementInput'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/settlement', {
      params: s.changing(etag, { repairOrderId }),
      body: input,
    }),
  );
}

export function deliver(
  s: StoreClient,
  repairOrderId: string,
  input: Schemas['DeliveryInput'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/delivery', {
      params: s.changing(etag, { repairOrderId }),
      body: input,
    }),
  );
}

export function repairOrderHistory(s: StoreClient, repairOrderId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/repair-orders/{repairOrderId}/history', {
      params: { ...s.at({ repairOrderId }), query: cursor ? { cursor } : {} },
    }),
  );
}
