import { describe, expect, it } from 'vitest';
import { formatsFor, NO_VALUE } from './format.ts';

/** Intl separates "6:58" from "AM" with a narrow no-break space: compare what a reader sees. */
const plain = (s: string) => s.replace(/\s/g, ' ');

describe('one way of writing dates per language', () => {
  it('writes a calendar date and a date-time with the same date part in zh-CN', () => {
    // Prepare
    const f = formatsFor('zh-CN', 'Asia/Shanghai');

    // Act
    const invoiced = f.date('2017-09-25');
    const served = f.dateTime('2026-11-23T22:58:00Z');

    // Assess: the card that showed `2017-09-25` next to `2026年11月24日 06:58` now reads alike
    expect(invoiced).toBe('2017年9月25日');
    expect(served).toBe('2026年11月24日 06:58');
  });

  it('writes them alike in English too', () => {
    // Prepare
    const f = formatsFor('en', 'Asia/Shanghai');

    // Act
    const invoiced = f.date('2017-09-25');
    const served = plain(f.dateTime('2026-11-23T22:58:00Z'));

    // Assess
    expect(invoiced).toBe('Sep 25, 2017');
    expect(served).toBe('Nov 24, 2026, 6:58 AM');
  });

  it('never moves a calendar date to another day, whatever the time zone', () => {
    // Prepare: a store far west of UTC, where midnight UTC is still the day before
    const f = formatsFor('en', 'America/Los_Angeles');

    // Act
    const delivered = f.date('2024-03-01');

    // Assess
    expect(delivered).toBe('Mar 1, 2024');
  });

  it('shows the store’s local time for an instant', () => {
    // Prepare
    const beijing = formatsFor('zh-CN', 'Asia/Shanghai');
    const utc = formatsFor('zh-CN', 'UTC');

    // Act
    const at = '2026-11-23T22:58:00Z';

    // Assess
    expect(beijing.dateTime(at)).toBe('2026年11月24日 06:58');
    expect(utc.dateTime(at)).toBe('2026年11月23日 22:58');
  });

  it('tells dates from date-times in audit history values, and leaves other text alone', () => {
    // Prepare
    const f = formatsFor('zh-CN', 'Asia/Shanghai');

    // Act
    const values = ['2017-09-25', '2026-11-23T22:58:00.000Z', '京A12345', '2024'].map(f.dateOrDateTime);

    // Assess
    expect(values).toEqual(['2017年9月25日', '2026年11月24日 06:58', '京A12345', '2024']);
  });

  it('shows a dash for a missing value and survives a time zone the browser does not know', () => {
    // Prepare
    const f = formatsFor('en', 'Mars/Olympus_Mons');

    // Act
    const missing = [f.date(undefined), f.dateTime(undefined), f.number(undefined)];
    const served = f.dateTime('2026-11-23T22:58:00Z');

    // Assess
    expect(missing).toEqual([NO_VALUE, NO_VALUE, NO_VALUE]);
    expect(served).toMatch(/^Nov 2[34], 2026/);
  });

  it('groups thousands the way each language does', () => {
    // Act
    const zh = formatsFor('zh-CN').number(123456);
    const en = formatsFor('en').number(123456);

    // Assess
    expect([zh, en]).toEqual(['123,456', '123,456']);
  });

  it('writes fen as whole yuan with the yuan sign, and a dash for no amount', () => {
    // Act
    const [zh, en] = [formatsFor('zh-CN'), formatsFor('en')].map((f) => f.yuan(1_234_567));
    const none = formatsFor('en').yuan(undefined);

    // Assess
    expect([zh, en]).toEqual(['¥12,346', '¥12,346']);
    expect(none).toBe(NO_VALUE);
  });

  it('writes a fraction as a percentage to one decimal, and a dash for a rate of nothing', () => {
    // Act
    const [zh, en] = [formatsFor('zh-CN'), formatsFor('en')].map((f) => [
      f.percent(1 / 8),
      f.percent(2 / 12),
    ]);
    const none = [formatsFor('en').percent(null), formatsFor('en').percent(undefined)];

    // Assess
    expect([zh, en]).toEqual([
      ['12.5%', '16.7%'],
      ['12.5%', '16.7%'],
    ]);
    expect(none).toEqual([NO_VALUE, NO_VALUE]);
  });
});
