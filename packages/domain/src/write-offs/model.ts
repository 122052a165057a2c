import * as z from 'zod';
import { BinLocation, PartNumber, Quantity } from '../parts/model.ts';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, Version } from '../platform/fields.ts';
import { BasisPoints } from '../platform/money.ts';
import { Bilingual } from '../setup/model.ts';

/**
 * 报损: stock that is damaged, defective or obsolete and cannot be claimed, returned or repaired, moved
 * into custody in the write-off location once the service manager, the claims supervisor and the parts
 * supervisor have each confirmed it. The loss is split by the store's policy (the seed's: 70% store,
 * 10% each service manager, parts manager, warehouse keeper); damage caused by a person is not the
 * store's loss: the person is charged all of it. DOMAIN.md § Parts and warehouse.
 */

/** 损坏, 质量缺陷, 呆滞 (obsolete). */
export const WriteOffCondition = z.enum(['damaged', 'defective', 'obsolete']);
export type WriteOffCondition = z.infer<typeof WriteOffCondition>;

export const WriteOffStatus = z.enum(['pending', 'posted', 'cancelled']);
export type WriteOffStatus = z.infer<typeof WriteOffStatus>;

/** The three who confirm a write-off (服务经理, 索赔主管, 配件主管), each by a user holding the role. */
export const WriteOffApprover = z.enum(['service_manager', 'claims_specialist', 'parts_manager']);
export type WriteOffApprover = z.infer<typeof WriteOffApprover>;

/** Who bears a share of an approved loss. */
export const LossParty = z.enum(['store', 'service_manager', 'parts_manager', 'warehouse_keeper']);
export type LossParty = z.infer<typeof LossParty>;

/** Shares of a loss in basis points, summing to 10000 (100 %). */
export const LossSplit = z
  .strictObject({
    store: BasisPoints,
    service_manager: BasisPoints,
    parts_manager: BasisPoints,
    warehouse_keeper: BasisPoints,
  })
  .check(
    z.refine((s) => s.store + s.service_manager + s.parts_manager + s.warehouse_keeper === 10_000, {
      message: 'The shares must add up to 10000 basis points (100 %).',
      path: ['store'],
    }),
  )
  .meta({
    description: 'Shares of a loss in basis points (1000 = 10 %); the four must add up to exactly 10000.',
    example: { store: 7000, service_manager: 1000, parts_manager: 1000, warehouse_keeper: 1000 },
  });
export type LossSplit = z.infer<typeof LossSplit>;

/** The seed's policy (损失分摊): 70% the store, 10% each the service manager, parts manager, keeper. */
export const DEFAULT_LOSS_SPLIT: LossSplit = {
  store: 7000,
  service_manager: 1000,
  parts_manager: 1000,
  warehouse_keeper: 1000,
};

/** Who last changed a store's policy (the audit log keeps every change; the screen shows the last). */
const ChangedBy = z.object({ userId: z.string(), name: z.string() });

/**
 * 损失分摊政策: the store's split of a write-off's loss, as the service manager sends it (PUT, the whole
 * of it). A write-off takes the policy in force when it is requested and keeps it.
 */
export const WriteOffPolicyInput = z.strictObject({ split: LossSplit });
export type WriteOffPolicyInput = z.input<typeof WriteOffPolicyInput>;
export type WriteOffPolicyFields = z.output<typeof WriteOffPolicyInput>;

/** The policy as stored: one per store, its id the store's. */
export const WriteOffPolicyRecord = z.object({
  ...WriteOffPolicyInput.shape,
  id: RequiredText,
  storeId: RequiredText,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
  updatedBy: ChangedBy,
});
export type WriteOffPolicyRecord = z.infer<typeof WriteOffPolicyRecord>;

/**
 * The policy as read: before the first save the seed's split (`DEFAULT_LOSS_SPLIT`) with `version` 0
 * (ETag `"0"`), so the first save is an edit like every other (`If-Match: "0"`).
 */
export const WriteOffPolicy = z.object({
  ...WriteOffPolicyInput.shape,
  storeId: RequiredText,
  version: Count.meta({ description: '0 until the store first sets its own split (the default).' }),
  updatedAt: Instant.optional(),
  updatedBy: ChangedBy.optional(),
});
export type WriteOffPolicy = z.infer<typeof WriteOffPolicy>;

/** The person whose handling caused the damage (人为损坏): charged the whole loss. */
export const LiablePerson = z.strictObject({
  name: filledText(60, 'Name the person.'),
  userId: filledText(60).optional(),
});
export type LiablePerson = z.infer<typeof LiablePerson>;

export const WriteOffInput = z.strictObject({
  /** As printed on the part and its bin card (scanned or typed). */
  partNumber: PartNumber,
  bin: BinLocation,
  quantity: Quantity,
  condition: WriteOffCondition,
  /** The requester's tick: it cannot be claimed from a supplier, returned or repaired. */
  notRecoverable: z.literal(true, 'Confirm it cannot be claimed, returned or repaired.'),
  reason: filledText(300, 'Say why it is written off.'),
  causedBy: LiablePerson.optional(),
  /** Absent: the store's policy. */
  split: LossSplit.optional(),
});
export type WriteOffInput = z.input<typeof WriteOffInput>;
export type WriteOffFields = z.output<typeof WriteOffInput>;

export const WriteOffApproval = z.object({
  role: WriteOffApprover,
  userId: z.string(),
  name: z.string(),
  at: Instant,
});
export type WriteOffApproval = z.infer<typeof WriteOffApproval>;

/** One share of the loss as charged: a party of the split, or the liable person. */
export const LossCharge = z.object({
  party: z.union([LossParty, z.literal('person')]),
  name: z.string().optional(),
  bp: BasisPoints,
  amountMinor: Count,
});
export type LossCharge = z.infer<typeof LossCharge>;

export const WriteOff = z.object({
  id: RequiredText,
  storeId: RequiredText,
  status: WriteOffStatus,
  partId: RequiredText,
  partNumber: z.string(),
  name: Bilingual,
  bin: z.string(),
  quantity: Count,
  condition: WriteOffCondition,
  notRecoverable: z.literal(true),
  reason: z.string(),
  causedBy: z.object({ name: z.string(), userId: z.string().optional() }).optional(),
  split: LossSplit,
  requestedBy: z.object({ userId: z.string(), name: z.string() }),
  approvals: z.array(WriteOffApproval),
  /** The loss at the moving average when requested; on posting, at the average it moved at. */
  valueMinor: Count,
  /** Who bears how much, in fen, summing exactly to `valueMinor` (on posting). */
  charges: z.array(LossCharge).optional(),
  cancelReason: z.string().optional(),
  postedAt: Instant.optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type WriteOff = z.infer<typeof WriteOff>;

export const WriteOffApprovalInput = z.strictObject({
  /** The role the caller confirms as; they must hold it in the store. */
  role: WriteOffApprover,
});
export type WriteOffApprovalInput = z.infer<typeof WriteOffApprovalInput>;

export const WriteOffCancelInput = z.strictObject({
  reason: filledText(300, 'Say why it is cancelled.'),
});
export type WriteOffCancelInput = z.infer<typeof WriteOffCancelInput>;

const WriteOffId = z.object({ writeOffId: RequiredText });

/** 报损: the warehouse asks, three supervisors confirm, the parts staff move it into custody. */
export const WRITE_OFFS = defineCapability({
  aggregates: { writeOff: ['approve', 'post', 'cancel'], writeOffPolicy: [] },
  events: {
    'writeOff.posted': WriteOffId.extend({ partId: RequiredText, quantity: Count, valueMinor: Count }),
    'writeOffPolicy.updated': z.object({ storeId: RequiredText, split: LossSplit }),
  },
  permissions: {
    'write_off:read': [
      'service_manager',
      'claims_specialist',
      'parts_manager',
      'parts_clerk',
      'warehouse_keeper',
    ],
    /** Ask for a write-off, or withdraw the request. */
    'write_off:request': ['parts_manager', 'parts_clerk', 'warehouse_keeper'],
    /** Confirm as one of the three (the role itself is checked against the caller's roles). */
    'write_off:approve': ['service_manager', 'claims_specialist', 'parts_manager'],
    /** Move the approved quantity into custody. */
    'write_off:post': ['parts_manager', 'warehouse_keeper'],
    /**
     * Set the store's loss split: the service manager, who answers for the department's losses; not
     * the parts staff, who bear shares of it themselves.
     */
    'write_off:configure': ['service_manager'],
  },
});
