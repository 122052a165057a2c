import { AdjustmentReason, reasonFigure } from '../claims/model.ts';
import { StoreRole } from '../platform/tenancy.ts';
import { Payer } from '../setup/model.ts';

/**
 * For the HQ suites: what every capability that contributes figures shows for a store with nothing
 * projected yet. A new contribution adds its zeros here, once.
 */
/** The staff capability's head counts, all zero. */
export const NO_STAFF = Object.fromEntries(StoreRole.options.map((r) => [`staff_${r}`, 0]));
/** The appointments capability's counts, and its no-show rate: nothing to divide by. */
export const NO_BOOKINGS = { appointmentsKeptLast30Days: 0, noShowsLast30Days: 0, noShowRate: null };
/** The parts capability's stock value, issues, write-offs and obsolete stock; its ratios divide nothing. */
export const NO_PARTS = {
  stockValueMinor: 0,
  partsIssuedCostLast30Days: 0,
  stockTurnover: null,
  daysOfSupply: null,
  partLinesIssuedLast30Days: 0,
  partLinesFilledLast30Days: 0,
  writeOffsLast365Days: 0,
  obsoleteStockValueMinor: 0,
  fillRate: null,
};
/** The repair orders' counts and revenue by payer; their rates divide nothing. */
export const NO_REPAIR_ORDERS = {
  repairOrdersOpenedLast30Days: 0,
  repairOrdersDeliveredLast30Days: 0,
  deliveredOnTimeLast30Days: 0,
  onTimeRate: null,
  firstTimeFixesLast30Days: 0,
  firstTimeFixRate: null,
  ...Object.fromEntries(Payer.options.map((p) => [`${p}RevenueLast30Days`, 0])),
  flatRateTenthsLast30Days: 0,
  clockedMinutesLast30Days: 0,
  labourEfficiency: null,
  hoursPerRepairOrder: null,
  comebacksLast30Days: 0,
  comebackRate: null,
};
/** The repair orders' per-day counts as an item stores them before anything is counted. */
export const NO_REPAIR_ORDER_DAYS = Object.fromEntries(
  [
    'repairOrdersOpenedByDay',
    'repairOrdersDeliveredByDay',
    'deliveredOnTimeByDay',
    'firstTimeFixesByDay',
    ...Payer.options.map((p) => `${p}RevenueByDay`),
    'flatRateTenthsByDay',
    'clockedMinutesByDay',
    'comebacksByDay',
  ].map((stored) => [stored, {}]),
);
/** The claims' counts, amounts and reasons; their rates divide nothing. */
export const NO_CLAIMS = {
  claimsSubmittedLast30Days: 0,
  claimedAmountLast30Days: 0,
  claimsAcceptedLast30Days: 0,
  claimsPartlyAcceptedLast30Days: 0,
  claimsRejectedLast30Days: 0,
  claimRejectionRate: null,
  claimAcceptanceRate: null,
  claimsPaidLast30Days: 0,
  claimsPaidAmountLast30Days: 0,
  claimPaidShare: null,
  ...Object.fromEntries(AdjustmentReason.options.map((r) => [reasonFigure(r), 0])),
};
/** The claims' per-day counts as an item stores them before anything is counted. */
export const NO_CLAIM_DAYS = Object.fromEntries(
  [
    'claimsSubmittedByDay',
    'claimedAmountByDay',
    'claimsAcceptedByDay',
    'claimsPartlyAcceptedByDay',
    'claimsRejectedByDay',
    'claimsPaidByDay',
    'claimsPaidAmountByDay',
    ...AdjustmentReason.options.map((r) => reasonFigure(r).replace(/Last30Days$/, 'ByDay')),
  ].map((stored) => [stored, {}]),
);
/** Every contribution's zeros in a store's view. */
export const NO_CONTRIBUTIONS = {
  ...NO_STAFF,
  ...NO_BOOKINGS,
  ...NO_PARTS,
  ...NO_REPAIR_ORDERS,
  ...NO_CLAIMS,
};
