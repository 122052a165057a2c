import * as z from 'zod';
import { filledText } from '../platform/fields.ts';

/**
 * The OEM's warranty rules as data, per OEM (kept apart from the claim model: the directory's OEM
 * record carries them, and the platform's tenancy schema imports this file).
 */

/** A labour operation the OEM pays for: which models and model years, and its allowance (标准工时). */
export const OemLabourOp = z.strictObject({
  code: filledText(20),
  /** Models it applies to (as the registry names them); absent: every model of the OEM's brands. */
  models: z.array(filledText(60)).optional(),
  fromYear: z.int().optional(),
  toYear: z.int().optional(),
  /** The most the OEM pays, in tenths of an hour (15 is 1.5 h). */
  allowanceTenths: z.int().check(z.positive()),
});
export type OemLabourOp = z.infer<typeof OemLabourOp>;

/**
 * The OEM's claim rules, as data (its warranty policy manual, in the shape the pre-check reads). A
 * change of policy is a new set of rules, not code.
 */
export const OemClaimRules = z.strictObject({
  /** 包修期: from the warranty start, first reached. */
  coverage: z.strictObject({ months: z.int().check(z.positive()), km: z.int().check(z.positive()) }),
  /** 延保: the extended warranty's reach from the warranty start. */
  extendedCoverage: z.strictObject({ months: z.int(), km: z.int() }).optional(),
  /** Operations it pays; a line's op not listed is an error. Empty: every op is accepted. */
  labourOps: z.array(OemLabourOp).default([]),
  /** Actual hours above the allowance by more than this (basis points) need a justification. */
  actualOverAllowanceBp: z.int().check(z.nonnegative()).default(2000),
  /** Sealed photos a claim carries at least (reception's walk-around). */
  requiredPhotos: z.int().check(z.nonnegative()).default(1),
  /** The causal part must be kept for the OEM (三包旧件) for this many days after the RO closed. */
  partsReturnRequired: z.boolean().default(true),
  retentionDays: z.int().check(z.positive()).default(90),
  /** Another claim for the same VIN and operation within this many days is flagged as a duplicate. */
  duplicateWindowDays: z.int().check(z.nonnegative()).default(30),
  /** A claim is submitted at most this many days after its repair order closed. */
  submissionDeadlineDays: z.int().check(z.positive()).default(30),
  /** A claim returned for information is answered within this many days. */
  infoAnswerDays: z.int().check(z.positive()).default(10),
  /** Cause and correction shorter than this read as weak 3C text (warning). */
  min3cLength: z.int().check(z.nonnegative()).default(10),
});
export type OemClaimRules = z.output<typeof OemClaimRules>;
export type OemClaimRulesInput = z.input<typeof OemClaimRules>;

/** The rules of an OEM that has published none: the industry's usual defaults, 3 years / 100,000 km. */
export const DEFAULT_OEM_CLAIM_RULES: OemClaimRules = OemClaimRules.parse({
  coverage: { months: 36, km: 100_000 },
});
