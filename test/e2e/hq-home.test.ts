import { ADJUSTMENT_REASON_LABELS, AdjustmentReason } from '@aftersales/domain';
import { DEMO_GROUP_STORES } from '@aftersales/seed';
import { describe, expect, it } from 'vitest';
import { call } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { signIn, useBrowser } from './browser-support.ts';

/**
 * The HQ home in a real (headless) Chromium: an HQ user lands on the group overview, sees every store
 * of the group with the same figures the API gives, the group totals, and can read it in English.
 */
const inBrowser = useBrowser();

interface Figures {
  stores: { storeId: string; storeName: string; customers: number; vehicles: number }[];
  totals: { customers: number };
}

describe('HQ home in the browser', () => {
  it('lands an HQ executive on the group overview with every store’s figures and the totals', async () => {
    await inBrowser('hq-home', async (page) => {
      // Prepare
      await signIn(page, demo.hqExecutive);

      // Act
      await page.getByRole('heading', { name: '集团看板' }).waitFor();
      const table = page.getByRole('table');
      await table.waitFor();
      const cells = (rows: string) =>
        table
          .locator(rows)
          .evaluateAll((trs) =>
            trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
          );
      const rows = await cells('tbody tr');
      const [totals] = await cells('tfoot tr');
      // What the API said, read after the page (figures only grow while other tests run)
      const api = await call<Figures>(demo.hqExecutive, 'GET', `/v1/groups/${demo.group}/stores/figures`);

      // Assess: one row per store of the group, each as the API has it (or a little behind)
      expect(rows.map((r) => r[0]).sort()).toEqual(DEMO_GROUP_STORES.map((s) => s.name).sort());
      for (const row of rows) {
        const store = api.body.stores.find((s) => s.storeName === row[0])!;
        const [customers, vehicles] = [Number(row[1]!.replace(/,/g, '')), Number(row[2]!.replace(/,/g, ''))];
        expect(customers).toBeGreaterThanOrEqual(4); // the seed's customers per store in tests
        expect(customers).toBeLessThanOrEqual(store.customers);
        expect(vehicles).toBeGreaterThan(0);
        expect(vehicles).toBeLessThanOrEqual(store.vehicles);
      }
      expect(totals?.[0]).toBe('集团合计');
      expect(Number(totals?.[1]?.replace(/,/g, ''))).toBe(
        rows.reduce((n, r) => n + Number(r[1]!.replace(/,/g, '')), 0),
      );
      // The no-show rate (爽约率) follows its counts: no-shows over kept and no-shows, “—” for none;
      // the total's from the summed counts, not an average of the stores' rates
      const headers = await table.locator('thead th').allInnerTexts();
      const column = (name: string) => headers.map((h) => h.trim()).indexOf(name);
      const [kept, missed, rate] = ['预约到店（30天）', '爽约（30天）', '爽约率（30天）'].map(column);
      expect([missed! - kept!, rate! - missed!]).toEqual([1, 1]);
      const percent = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 });
      for (const row of [...rows, totals!]) {
        const [k, m] = [row[kept!]!, row[missed!]!].map((c) => Number(c.replace(/,/g, '')));
        expect(row[rate!]).toBe(k! + m! === 0 ? '—' : percent.format(m! / (k! + m!)));
      }
    });
  });

  it('reads in English, and opens a store from its row', async () => {
    await inBrowser('hq-home-en', async (page) => {
      // Prepare
      await signIn(page, demo.hqExecutive);
      await page.getByRole('heading', { name: '集团看板' }).waitFor();

      // Act
      await page.getByLabel('语言').selectOption('en');
      await page.getByRole('heading', { name: 'Group overview' }).waitFor();
      // The heading shows before the figures have arrived (the table comes with them).
      await page.getByRole('columnheader').first().waitFor();
      const headers = await page.getByRole('columnheader').allInnerTexts();
      // The staff column opens into a column per role
      const byRole = page.getByRole('button', { name: 'Show Staff by role' });
      await byRole.click();
      const opened = await page.getByRole('columnheader').allInnerTexts();
      const expanded = await page
        .getByRole('button', { name: 'Hide Staff by role' })
        .getAttribute('aria-expanded');
      const [firstRow] = await page
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) =>
            [...tr.querySelectorAll('th, td')].map((c) => Number((c.textContent ?? '').replace(/,/g, ''))),
          ),
        );
      const download = await page
        .getByRole('link', { name: 'Download every figure (CSV)' })
        .getAttribute('href');
      await page.getByRole('link', { name: DEMO_GROUP_STORES[0]!.name }).click();
      await page.getByText('(Group HQ view, read-only)').waitFor();

      // Assess: one staff column (人数) while closed, then the sum and each role's head count
      const figures = ['Store', 'Customers', 'Vehicles', 'Served (30 days)', 'Imports', 'Failed import rows'];
      const bookings = ['Bookings kept (30 d)', 'No-shows (30 d)', 'No-show rate (30 d)'];
      // The parts capability's: each ratio after the last figure it is computed from
      const parts = [
        'Stock value',
        'Issued at cost (30 d)',
        'Stock turnover (a year)',
        'Days of supply',
        'Part lines issued (30 d)',
        'Filled from stock (30 d)',
        'Fill rate (30 d)',
        'Write-offs (365 d)',
        'Obsolete stock',
      ];
      // The repair order's: revenue is one column that opens by payer, each rate after its counts
      const repairOrders = (revenue: string[]) => [
        'ROs opened (30 d)',
        'ROs delivered (30 d)',
        'Delivered on time (30 d)',
        'On-time delivery (30 d)',
        'Fixed first time (30 d)',
        'First-time fix (30 d)',
        ...revenue,
        'Flat-rate tenths (30 d)',
        'Clocked minutes (30 d)',
        'Hours clocked per RO (30 d)',
        'Labour efficiency (30 d)',
        'Comebacks (30 d)',
        'Comeback rate (30 d)',
      ];
      const revenueClosed = ['RO revenue (30 d) +'];
      // The claims': decisions and reasons are a column each that opens, each rate after its counts
      const decisionsClosed = 'Claims decided (30 d) +';
      const reasonsClosed = 'Rejections/adjustments by reason (30 d) +';
      const claims = [
        'Claims submitted (30 d)',
        'Amount claimed (30 d)',
        decisionsClosed,
        'Accepted in full (30 d)',
        'Rejection rate (30 d)',
        'Claims paid (30 d)',
        'Amount paid (30 d)',
        'Paid of claimed (30 d)',
        reasonsClosed,
      ];
      expect(headers.map((h) => h.trim())).toEqual([
        ...figures,
        'Staff +',
        ...bookings,
        ...parts,
        ...repairOrders(revenueClosed),
        ...claims,
      ]);
      expect(expanded).toBe('true');
      expect(opened.map((h) => h.trim())).toEqual([
        ...figures,
        'Staff −',
        // Head counts by role, contributed by the staff capability
        'Managers',
        'Technical directors',
        'Workshop managers',
        'Front-desk supervisors',
        'Advisors',
        'Customer service',
        'Claims',
        'Parts managers',
        'Parts clerks',
        'Warehouse',
        'Technicians',
        // The appointments capability's counts and the rate derived from them
        ...bookings,
        ...parts,
        ...repairOrders(revenueClosed),
        ...claims,
      ]);
      // The download has every figure, the staff sum and each role, whatever is open on screen
      const csv = decodeURIComponent(String(download).slice(String(download).indexOf(',') + 1)).split('\r\n');
      const byPayer = ['Customer pay', 'Warranty', 'Goodwill', 'Insurance', 'Internal'].map(
        (p) => `${p} (30 d)`,
      );
      const decisions = ['Accepted', 'Partly accepted', 'Rejected'].map((o) => `${o} (30 d)`);
      const reasons = AdjustmentReason.options.map((r) => `${ADJUSTMENT_REASON_LABELS[r].en} (30 d)`);
      const groups: Record<string, string[]> = {
        [revenueClosed[0]!]: ['RO revenue (30 d)', ...byPayer],
        [decisionsClosed]: ['Claims decided (30 d)', ...decisions],
        [reasonsClosed]: ['Rejections/adjustments by reason (30 d)', ...reasons],
      };
      const everyColumn = opened.flatMap((h) => groups[h.trim()] ?? [h.replace(/ [+−]$/, '').trim()]);
      expect(csv[0]).toBe(`\uFEFF${everyColumn.join(',')}`);
      expect(csv).toHaveLength(DEMO_GROUP_STORES.length + 3); // header, stores, totals, final line end
      expect(csv[0]).toMatch(/,Other \(30 d\)$/);
      // A rate is a percentage Excel reads as a number, or empty when there is nothing to divide by;
      // times and days are plain numbers to one decimal
      const column = (name: string) => csv[0]!.split(',').indexOf(name);
      for (const line of csv.slice(1, -1)) {
        const cells = line.split(',');
        expect(cells[column('No-show rate (30 d)')]).toMatch(/^(\d+(\.\d)?%)?$/);
        expect(cells[column('Days of supply')]).toMatch(/^(\d+(\.\d)?)?$/);
        // Money in yuan to the fen (the figures hold fen)
        expect(cells[column('Stock value')]).toMatch(/^\d+\.\d{2}$/);
      }
      const staff = firstRow!.slice(
        figures.length,
        -(bookings.length + parts.length + repairOrders(revenueClosed).length + claims.length),
      );
      expect(staff[0]).toBeGreaterThan(0);
      expect(staff[0]).toBe(staff.slice(1).reduce((n, c) => n + c, 0));
      expect(page.url()).toContain(`/s/${DEMO_GROUP_STORES[0]!.id}`);
    });
  });
});
