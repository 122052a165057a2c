import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 采购 calls, on the shared store client; request and answer types come from the generated document. */

export type PurchasePlan = Schemas['PurchasePlan'];
export type PurchaseOrder = Schemas['PurchaseOrder'];
export type Receipt = Schemas['Receipt'];

const base = '/v1/stores/{storeId}/purchasing' as const;

export const listPlans = (s: StoreClient, q: Paging = {}) =>
  s.data(s.api.GET(`${base}/plans`, { params: { ...s.at(), query: q } }));
export const getPlan = (s: StoreClient, planId: string) =>
  s.versioned(s.api.GET(`${base}/plans/{planId}`, { params: s.at({ planId }) }));
export const createPlan = (s: StoreClient, body: Schemas['PlanInput'], key: string) =>
  s.versioned(s.api.POST(`${base}/plans`, { params: s.creating(key), body }));
export const collectShortages = (s: StoreClient, planId: string, etag: string) =>
  s.versioned(s.api.POST(`${base}/plans/{planId}/collect`, { params: s.changing(etag, { planId }) }));
export const addPlanLine = (s: StoreClient, planId: string, body: Schemas['PlanLineInput'], etag: string) =>
  s.versioned(s.api.POST(`${base}/plans/{planId}/lines`, { params: s.changing(etag, { planId }), body }));

/** 部门审批 (`parts`) or 售后经理审批 (`final`). */
export function approvePlan(
  s: StoreClient,
  step: 'parts' | 'final',
  planId: string,
  body: Schemas['ApprovalInput'],
  etag: string,
) {
  const params = s.changing(etag, { planId });
  return s.versioned(
    step === 'parts'
      ? s.api.POST(`${base}/plans/{planId}/parts-approval`, { params, body })
      : s.api.POST(`${base}/plans/{planId}/final-approval`, { params, body }),
  );
}

export const listOrders = (s: StoreClient, q: Paging = {}) =>
  s.data(s.api.GET(`${base}/orders`, { params: { ...s.at(), query: q } }));
export const getOrder = (s: StoreClient, orderId: string) =>
  s.versioned(s.api.GET(`${base}/orders/{orderId}`, { params: s.at({ orderId }) }));
export const placeOrder = (s: StoreClient, body: Schemas['OrderInput'], key: string) =>
  s.versioned(s.api.POST(`${base}/orders`, { params: s.creating(key), body }));
/** 改期: the supplier's new delivery date, at the version the user saw. */
export const rescheduleOrder = (
  s: StoreClient,
  orderId: string,
  body: Schemas['ExpectedDateInput'],
  etag: string,
) => s.versioned(s.api.PATCH(`${base}/orders/{orderId}`, { params: s.changing(etag, { orderId }), body }));
export const orderReceipts = (s: StoreClient, orderId: string) =>
  s.data(s.api.GET(`${base}/orders/{orderId}/receipts`, { params: { ...s.at({ orderId }), query: {} } }));

export const getReceipt = (s: StoreClient, receiptId: string) =>
  s.versioned(s.api.GET(`${base}/receipts/{receiptId}`, { params: s.at({ receiptId }) }));
export const recordDelivery = (s: StoreClient, body: Schemas['ReceiptInput'], key: string) =>
  s.versioned(s.api.POST(`${base}/receipts`, { params: s.creating(key), body }));
export const inspectReceipt = (
  s: StoreClient,
  receiptId: string,
  body: Schemas['InspectionInput'],
  etag: string,
) =>
  s.versioned(
    s.api.POST(`${base}/receipts/{receiptId}/inspection`, { params: s.changing(etag, { receiptId }), body }),
  );
export const putAwayReceipt = (
  s: StoreClient,
  receiptId: string,
  body: Schemas['PutAwayInput'],
  etag: string,
) =>
  s.versioned(
    s.api.POST(`${base}/receipts/{receiptId}/put-away`, { params: s.changing(etag, { receiptId }), body }),
  );
export const settleClaim = (
  s: StoreClient,
  receiptId: string,
  body: Schemas['SettlementInput'],
  etag: string,
) =>
  s.versioned(
    s.api.POST(`${base}/receipts/{receiptId}/claim-settlement`, {
      params: s.changing(etag, { receiptId }),
      body,
    }),
  );

export const listDiscrepancies = (s: StoreClient, q: Paging = {}) =>
  s.data(s.api.GET(`${base}/discrepancies`, { params: { ...s.at(), query: q } }));
