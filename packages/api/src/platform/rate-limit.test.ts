import { describe, expect, it } from 'vitest';
import { WindowLeases } from './rate-limit.ts';

/** One shared counter per window, as the DynamoDB item is; `writes` counts the calls (each an UpdateItem). */
function sharedCounter() {
  const totals = new Map<number, number>();
  const stats = { writes: 0 };
  const count = async (n: number, start: number) => {
    stats.writes++;
    const total = (totals.get(start) ?? 0) + n;
    totals.set(start, total);
    return total;
  };
  return { count, stats };
}

const RULE = { perSecond: 20, burst: 40 };
const T0 = 1_800_000_000_000; // the start of a 2 s window

describe('WindowLeases', () => {
  it('admits the burst, refuses the next with the seconds left, and writes far less than once a request', async () => {
    // Prepare
    const leases = new WindowLeases();
    const { count, stats } = sharedCounter();
    // Act
    const answers = [];
    for (let i = 0; i < 41; i++) answers.push(await leases.take('u', RULE, T0 + i, count));
    const writesWhenUsedUp = stats.writes;
    for (let i = 0; i < 100; i++) await leases.take('u', RULE, T0 + 500, count);
    // Assess
    expect(answers.filter((a) => a === undefined)).toHaveLength(40);
    expect(answers[40]).toBe(2);
    expect(writesWhenUsedUp).toBeLessThanOrEqual(13);
    // Used up: refused without asking the counter again until the window ends.
    expect(stats.writes).toBe(writesWhenUsedUp);
    expect(await leases.take('u', RULE, T0 + 2000, count)).toBeUndefined();
  });

  it('never admits more than the limit across instances sharing the counter', async () => {
    // Prepare: three instances, one counter
    const instances = [new WindowLeases(), new WindowLeases(), new WindowLeases()];
    const { count } = sharedCounter();
    // Act: requests arrive on each in turn
    let admitted = 0;
    for (let i = 0; i < 300; i++)
      if ((await instances[i % 3]!.take('t', RULE, T0 + i, count)) === undefined) admitted++;
    // Assess: every lease taken counts, an unused one is lost for the window (never admitted twice)
    expect(admitted).toBeLessThanOrEqual(40);
    expect(admitted).toBeGreaterThanOrEqual(30);
  });
});
