import {
  ClaimAppealInput,
  ClaimCreateInput,
  ClaimEdit,
  ClaimSubmitInput,
  ClaimWithdrawInput,
  PartShipmentInput,
  PrecheckFinding,
  WarrantyClaim,
} from '@aftersales/domain';
import * as z from 'zod';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The claims' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  WarrantyClaim,
  ClaimCreateInput,
  ClaimEdit,
  ClaimSubmitInput,
  ClaimWithdrawInput,
  ClaimAppealInput,
  PartShipmentInput,
  ClaimPrecheck: z.object({ claimId: z.string(), at: z.string(), findings: z.array(PrecheckFinding) }),
  ClaimsWithPartsAsked: z.object({ items: z.array(WarrantyClaim) }),
});

export const Pages = { WarrantyClaimPage: pageOf(Bodies.WarrantyClaim, 'WarrantyClaimPage') };
