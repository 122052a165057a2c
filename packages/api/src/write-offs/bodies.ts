import {
  WriteOff,
  WriteOffApprovalInput,
  WriteOffCancelInput,
  WriteOffInput,
  WriteOffPolicy,
  WriteOffPolicyInput,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The write-offs' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  WriteOffInput,
  WriteOff,
  WriteOffApprovalInput,
  WriteOffCancelInput,
  WriteOffPolicyInput,
  WriteOffPolicy,
});

export const Pages = { WriteOffPage: pageOf(Bodies.WriteOff, 'WriteOffPage') };
