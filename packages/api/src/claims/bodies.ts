import {
  ClaimAppealInput,
  ClaimCreateInput,
  ClaimEdit,
  ClaimSubmitInput,
  ClaimWithdrawInput,
  OemClaim,
  OemDecisionInput,
  OemInfoRequestInput,
  OemPartInput,
  OemPartRequestInput,
  OemPaymentInput,
  PartShipmentInput,
  PrecheckFinding,
  WarrantyClaim,
} from '@aftersales/domain';
import { WebhookDeliveryCopy } from '@aftersales/domain/webhooks';
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

export const Pages = {
  WarrantyClaimPage: pageOf(Bodies.WarrantyClaim, 'WarrantyClaimPage'),
  ClaimDeliveryPage: pageOf(WebhookDeliveryCopy.meta({ id: 'ClaimDelivery' }), 'ClaimDeliveryPage'),
};

/** The OEM API's bodies, with the examples an OEM's developer starts from. */
export const OemBodies = named({
  OemClaim,
  OemDecisionInput: OemDecisionInput.meta({
    examples: [
      { outcome: 'accepted' },
      {
        outcome: 'partly_accepted',
        lines: [
          {
            lineId: 'L1',
            approvedMinor: 20000,
            adjustments: [{ reason: 'EXCESS_LABOUR_HOURS', amountMinor: 6600, note: 'Allowance is 1.5 h.' }],
          },
        ],
        note: 'Labour paid at the standard time.',
      },
      { outcome: 'rejected', reasons: ['NOT_COVERED'], note: 'Brake pads are wear parts.' },
    ],
  }),
  OemInfoRequestInput: OemInfoRequestInput.meta({
    example: { question: 'Send a photo of the disc with the thickness measurement.' },
  }),
  OemPaymentInput: OemPaymentInput.meta({ example: { creditNote: 'CN-2026-000123', amountMinor: 20000 } }),
  OemPartRequestInput: OemPartRequestInput.meta({
    example: { partId: 'L1P1', withinDays: 14, note: 'Ship to the Changchun returns centre.' },
  }),
  OemPartInput: OemPartInput.meta({ example: { partId: 'L1P1' } }),
});

export const OemPages = { OemClaimPage: pageOf(OemBodies.OemClaim, 'OemClaimPage') };
