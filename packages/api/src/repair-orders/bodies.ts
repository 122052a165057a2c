import { CheckInInput, RepairOrder, RepairOrderPatch, RepairOrderTransitionInput } from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The repair orders' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({ CheckInInput, RepairOrder, RepairOrderPatch, RepairOrderTransitionInput });

export const Pages = { RepairOrderPage: pageOf(Bodies.RepairOrder, 'RepairOrderPage') };
