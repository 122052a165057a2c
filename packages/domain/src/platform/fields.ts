import * as z from 'zod';

/**
 * Field schemas, built the cheap way. Every chained zod method (`.trim().min(1).max(40)`) builds a whole
 * new schema, and a Lambda builds all of ours at cold start, before V8 has compiled zod: there 300 more
 * schemas cost 7–9 ms (README, "Benchmarks"). So a field states all its rules in one `.check(…)`, and
 * fields of the same kind share one schema (zod schemas are immutable). Validation, messages and the
 * document are the same as the chained form's.
 */

/** A string that may not be empty: ids and keys a client names. */
export const RequiredText = z.string().check(z.minLength(1));

/** A record's version for optimistic locking: 1, 2, 3… */
export const Version = z.int().check(z.positive());

/** An integer the server computes and clients only read (an import's counters). */
export const WholeNumber = z.int();

/** A number of things: 0 or more. */
export const Count = z.int().check(z.nonnegative());

/** An odometer reading (里程), in whole kilometres. */
export const Kilometres = z.int().check(z.nonnegative(), z.lte(2_000_000));

/** An instant as the server writes it: UTC, ISO 8601. */
export const Instant = z.iso.datetime();

/**
 * Text as people type it: trimmed, then at most `max` characters and at least `min` (with the message
 * a form shows when it is missing).
 */
export function trimmedText(max: number, min?: number, minMessage?: string): z.ZodString {
  const rules: z.core.$ZodCheck<string>[] = [z.trim()];
  if (min !== undefined) rules.push(z.minLength(min, minMessage));
  return z.string().check(...rules, z.maxLength(max));
}

/** At least one character that is not white space: what `String.prototype.trim` leaves non-empty. */
const NOT_BLANK = '\\S';

/**
 * Text a client must fill in: trimmed, then 1 to `max` characters. The document states what trimming
 * implies, `pattern: \S` (at least one character that is not white space): `minLength` alone would
 * promise that a blank value is taken. (`trimmedText(max, 1)` documents as the chained zod form does,
 * without it.)
 */
export function filledText(max: number, minMessage?: string): z.ZodString {
  return trimmedText(max, 1, minMessage).meta({ pattern: NOT_BLANK });
}
