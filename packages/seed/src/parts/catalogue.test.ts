import { addDays } from '@aftersales/domain';
import { describe, expect, it } from 'vitest';
import { DEMO_STORES } from '../platform/orgs.ts';
import { demoCatalogue } from './catalogue.ts';
import { planHistory } from './history.ts';

const TODAY = '2026-06-15';

describe('demo parts catalogue', () => {
  it.each(DEMO_STORES.map((s) => [s.name, s] as const))(
    '%s: a few hundred numbers, a month of history, and obsolete stock idle over a year',
    (_name, store) => {
      // Prepare / Act
      const catalogue = demoCatalogue(store, 'full');
      const histories = planHistory(store.id, catalogue, TODAY);

      // Assess: about 300 distinct numbers, each with a bin
      const numbers = new Set(catalogue.map((p) => p.fields.partNumber));
      expect(numbers.size).toBe(catalogue.length);
      expect(catalogue.length).toBeGreaterThanOrEqual(270);
      expect(catalogue.length).toBeLessThanOrEqual(300);
      expect(catalogue.every((p) => p.fields.defaultBin)).toBe(true);
      // A month of movements on the parts that are stocked
      const monthAgo = addDays(TODAY, -30);
      const recent = histories.filter((h) => h.steps.some((s) => s.at.day >= monthAgo));
      expect(recent.length).toBeGreaterThan(100);
      // 呆滞: parts received more than 12 months ago with nothing since, their units still on the shelf
      const yearAgo = addDays(TODAY, -365);
      const dormant = histories.filter(
        (h) => h.steps.length > 0 && h.steps.every((s) => s.at.day < yearAgo && 'move' in s),
      );
      expect(dormant.length).toBeGreaterThanOrEqual(10);
      for (const h of dormant) {
        const step = h.steps[0]!;
        expect('move' in step && step.move.kind === 'receive' && step.move.quantity).toBeGreaterThan(0);
      }
    },
  );
});
