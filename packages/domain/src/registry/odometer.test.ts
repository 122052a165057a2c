import { describe, expect, it } from 'vitest';
import { checkOdometerReading, ODOMETER_CLOCK_SKEW_MS } from './odometer.ts';

const now = new Date('2026-11-23T12:00:00.000Z');
const codeOf = (d: ReturnType<typeof checkOdometerReading>) => (d.ok ? 'ok' : d.error.code);
const fieldCodeOf = (d: ReturnType<typeof checkOdometerReading>) =>
  d.ok ? undefined : (d.error.details.fieldErrors as { code: string }[] | undefined)?.[0]?.code;

describe('odometer readings', () => {
  it('accepts a reading between its neighbours in time, typed after the later one', () => {
    // Act
    const d = checkOdometerReading(
      { km: 15_000, readAt: '2025-06-01T00:00:00.000Z' },
      {
        now,
        before: { km: 10_000, readAt: '2025-01-01T00:00:00.000Z' },
        after: { km: 20_000, readAt: '2026-01-01T00:00:00.000Z' },
      },
    );
    // Assess
    expect(d).toEqual({ ok: true, newest: false });
  });

  it('refuses a reading lower than an earlier one and higher than a later one', () => {
    const before = { km: 10_000, readAt: '2025-01-01T00:00:00.000Z' };
    const after = { km: 20_000, readAt: '2026-01-01T00:00:00.000Z' };
    expect(
      codeOf(checkOdometerReading({ km: 9_999, readAt: '2025-06-01T00:00:00.000Z' }, { now, before })),
    ).toBe('ODOMETER_DECREASED');
    expect(
      codeOf(checkOdometerReading({ km: 20_001, readAt: '2025-06-01T00:00:00.000Z' }, { now, after })),
    ).toBe('ODOMETER_ABOVE_LATER_READING');
  });

  it('allows a small clock skew but refuses a reading dated in the future', () => {
    const soon = new Date(now.getTime() + ODOMETER_CLOCK_SKEW_MS - 1000).toISOString();
    const later = new Date(now.getTime() + ODOMETER_CLOCK_SKEW_MS + 1000).toISOString();
    expect(checkOdometerReading({ km: 1, readAt: soon }, { now })).toEqual({ ok: true, newest: true });
    expect(fieldCodeOf(checkOdometerReading({ km: 1, readAt: later }, { now }))).toBe(
      'ODOMETER_READ_IN_FUTURE',
    );
  });

  it('refuses a reading from before the model year went on sale', () => {
    expect(
      fieldCodeOf(
        checkOdometerReading({ km: 1, readAt: '2020-12-31T23:59:59.000Z' }, { now, modelYear: 2022 }),
      ),
    ).toBe('ODOMETER_BEFORE_MODEL_YEAR');
    expect(
      checkOdometerReading({ km: 1, readAt: '2021-01-01T00:00:00.000Z' }, { now, modelYear: 2022 }).ok,
    ).toBe(true);
  });
});
