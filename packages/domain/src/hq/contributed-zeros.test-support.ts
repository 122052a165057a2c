import { StoreRole } from '../platform/tenancy.ts';

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
/** Every contribution's zeros in a store's view. */
export const NO_CONTRIBUTIONS = { ...NO_STAFF, ...NO_BOOKINGS, ...NO_PARTS };
