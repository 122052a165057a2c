import * as z from 'zod';

/**
 * Money (金额), everywhere in the product: an integer number of the currency's minor units (fen for CNY)
 * with its ISO 4217 code. Integers because labour, parts and tax are summed and multiplied: in minor
 * units every sum is exact and rounding happens once, where a rule says so (`taxOnMinor`), never as a
 * side effect of binary fractions. The currency travels with the amount so that a non-CN store (the
 * jurisdictions include EU and US) needs no change of shape.
 */
export const Currency = z.enum(['CNY']);
export type Currency = z.infer<typeof Currency>;

export const Money = z.strictObject({
  /** Minor units: 12000 is ¥120.00. */
  amountMinor: z
    .int()
    .check(z.gte(0, 'An amount cannot be negative.'), z.lte(100_000_000_00))
    .meta({ description: 'Minor units of the currency (fen): 12000 is ¥120.00.', example: 12000 }),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

/** A yuan amount as typed (`120.5`) → minor units, rounded half away from zero to the fen. */
export function toMinor(major: number): number {
  return Math.sign(major) * Math.round(Math.abs(major) * 100);
}

/** A rate in basis points (1/100 of a percent): 600 is 6 %, 1300 is 13 % (增值税税率). */
export const BasisPoints = z
  .int()
  .check(
    z.gte(0, 'A rate is 0 to 10000 basis points (0–100 %).'),
    z.lte(10_000, 'A rate is 0 to 10000 basis points (0–100 %).'),
  );

/** Tax on an amount in minor units: rounded half up to the fen, once. */
export function taxOnMinor(amountMinor: number, rateBp: number): number {
  return Math.round((amountMinor * rateBp) / 10_000);
}
