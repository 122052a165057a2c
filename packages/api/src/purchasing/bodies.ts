import {
  ApprovalInput,
  CancelLinesInput,
  DiscrepancyView,
  ExpectedDateInput,
  InspectionInput,
  OrderInput,
  PlanInput,
  PlanLineInput,
  PurchaseOrder,
  PurchasePlan,
  PutAwayInput,
  Receipt,
  ReceiptInput,
  SettlementInput,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** Purchasing's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  PurchasePlan,
  PlanInput,
  PlanLineInput,
  ApprovalInput,
  PurchaseOrder,
  OrderInput,
  ExpectedDateInput,
  CancelLinesInput,
  Receipt,
  ReceiptInput,
  InspectionInput,
  PutAwayInput,
  SettlementInput,
  DiscrepancyView,
});

export const Pages = {
  PurchasePlanPage: pageOf(Bodies.PurchasePlan, 'PurchasePlanPage'),
  PurchaseOrderPage: pageOf(Bodies.PurchaseOrder, 'PurchaseOrderPage'),
  ReceiptPage: pageOf(Bodies.Receipt, 'ReceiptPage'),
  DiscrepancyPage: pageOf(Bodies.DiscrepancyView, 'DiscrepancyPage'),
};
