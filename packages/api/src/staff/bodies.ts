import { StaffInput, StaffInvitation, StaffPatch, StaffView } from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The staff bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({ StaffInput, StaffPatch, Staff: StaffView, StaffInvitation });

export const Pages = { StaffPage: pageOf(Bodies.Staff, 'StaffPage') };
