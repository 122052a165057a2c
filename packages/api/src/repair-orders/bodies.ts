import {
  CheckInInput,
  ClockOffInput,
  DeclinedWork,
  DeliveryInput,
  DispatchInput,
  EscalationNoteInput,
  LineWorkRequest,
  PartIssueInput,
  PartReturnInput,
  QualityCheckInput,
  QuoteApprovalInput,
  RepairOrder,
  RepairOrderPatch,
  RepairOrderSettlementInput,
  RepairOrderTransitionInput,
  WorkshopBoard,
} from '@aftersales/domain';
import * as z from 'zod';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The repair orders' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  CheckInInput,
  ClockOffInput,
  /** 未修项目: the vehicle's declined work still on offer. */
  DeclinedWorkList: z.object({ items: z.array(DeclinedWork) }),
  DeliveryInput,
  DispatchInput,
  EscalationNoteInput,
  LineWorkRequest,
  PartIssueInput,
  PartReturnInput,
  QualityCheckInput,
  QuoteApprovalInput,
  RepairOrder,
  RepairOrderPatch,
  RepairOrderSettlementInput,
  RepairOrderTransitionInput,
  WorkshopBoard,
});

export const Pages = { RepairOrderPage: pageOf(Bodies.RepairOrder, 'RepairOrderPage') };
