import { type AppError, ConflictError, ValidationError } from '../platform/errors.ts';
import type { OdometerReading } from './model.ts';

/** How far ahead of the server's clock a reading may be dated (a tablet's clock drifts). */
export const ODOMETER_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The earliest time a reading can be dated for a vehicle of `modelYear`: 1 January of the year
 * before, because a model year goes on sale in the year before it (a MY2025 car is sold in 2024).
 */
export function earliestReadingFor(modelYear: number): string {
  return new Date(Date.UTC(modelYear - 1, 0, 1)).toISOString();
}

type Point = Pick<OdometerReading, 'km' | 'readAt'>;

export interface OdometerContext {
  now: Date;
  modelYear?: number | undefined;
  /** The vehicle's latest reading dated at or before the new one, if any. */
  before?: Point | undefined;
  /** The vehicle's earliest reading dated after the new one, if any. */
  after?: Point | undefined;
}

export type OdometerDecision = { ok: true; newest: boolean } | { ok: false; error: AppError };

/**
 * Odometer readings only go up *in time*: a reading is judged against the readings before and after it
 * in time, not against the last one typed, so a late-entered old reading is accepted when it fits.
 */
export function checkOdometerReading(reading: Point, ctx: OdometerContext): OdometerDecision {
  const at = Date.parse(reading.readAt);
  if (at > ctx.now.getTime() + ODOMETER_CLOCK_SKEW_MS) {
    return {
      ok: false,
      error: new ValidationError([
        {
          path: 'readAt',
          code: 'ODOMETER_READ_IN_FUTURE',
          message: 'A reading cannot be dated in the future.',
        },
      ]),
    };
  }
  if (ctx.modelYear !== undefined && reading.readAt < earliestReadingFor(ctx.modelYear)) {
    return {
      ok: false,
      error: new ValidationError([
        {
          path: 'readAt',
          code: 'ODOMETER_BEFORE_MODEL_YEAR',
          message: `A model-year ${ctx.modelYear} vehicle cannot have a reading before ${ctx.modelYear - 1}.`,
        },
      ]),
    };
  }
  if (ctx.before && reading.km < ctx.before.km) {
    return {
      ok: false,
      error: new ConflictError(
        409,
        'ODOMETER_DECREASED',
        `The odometer read ${ctx.before.km} km at ${ctx.before.readAt}; a lower reading after that is not accepted.`,
        { lastOdometerKm: ctx.before.km, conflictingReading: ctx.before },
      ),
    };
  }
  if (ctx.after && reading.km > ctx.after.km) {
    return {
      ok: false,
      error: new ConflictError(
        409,
        'ODOMETER_ABOVE_LATER_READING',
        `The odometer read ${ctx.after.km} km later, at ${ctx.after.readAt}; a higher reading before that is not accepted.`,
        { conflictingReading: ctx.after },
      ),
    };
  }
  return { ok: true, newest: ctx.after === undefined };
}
