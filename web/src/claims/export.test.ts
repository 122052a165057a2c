import { parseCsvRecords } from '@aftersales/domain/csv';
import { describe, expect, it } from 'vitest';
import type { Claim } from './api.ts';
import { claimRows, type ExportHeads, toCsv } from './export.ts';

const HEADS: ExportHeads = {
  claim: '索赔单',
  status: '状态',
  type: '索赔类型',
  oem: '厂家',
  vin: '车架号',
  vehicle: '车辆',
  ro: '维修工单',
  created: '创建日期',
  submitted: '提交时间',
  claimed: '索赔金额',
  approved: '批准金额',
  paid: '结算金额',
  creditNote: '结算单号',
};
const LABELS = { status: (s: string) => `S:${s}`, type: (t: string) => `T:${t}` };

/** A claim with only what the export reads (the rest of the record does not reach the file). */
function claim(over: Partial<Claim>): Claim {
  return {
    id: 'clm_1',
    status: 'paid',
    claimType: 'warranty',
    oemId: 'oem_FAWVOLKSWAGEN',
    vin: 'LSJA24U62JG269225',
    brand: 'Audi',
    model: 'A6L',
    repairOrderId: 'ro_1',
    createdAt: '2026-11-02T03:04:05.000Z',
    submittedAt: '2026-11-03T01:00:00.000Z',
    claimedMinor: 123456,
    decision: { outcome: 'partly_accepted', reasons: [], approvedMinor: 100005, at: '', by: 'OEM' },
    payment: { creditNote: 'CN-1, "A"', amountMinor: 100005, paidAt: '' },
    ...over,
  } as Claim;
}

describe('the archive export (索赔档案导出)', () => {
  it('writes a CSV Excel reads: BOM, CRLF, quoted cells, yuan to the fen, empty where nothing is', () => {
    // Prepare
    const rows = claimRows(
      [
        claim({}),
        claim({
          id: 'clm_2',
          status: 'draft',
          submittedAt: undefined,
          decision: undefined,
          payment: undefined,
        }),
      ],
      HEADS,
      LABELS,
    );

    // Act
    const csv = toCsv(rows);

    // Assess
    expect(csv.startsWith('\uFEFF索赔单,状态,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsvRecords(csv.slice(1)).map((r) => r.cells);
    expect(records).toEqual([
      Object.values(HEADS),
      [
        'clm_1',
        'S:paid',
        'T:warranty',
        'oem_FAWVOLKSWAGEN',
        'LSJA24U62JG269225',
        'Audi A6L',
        'ro_1',
        '2026-11-02',
        '2026-11-03',
        '1234.56',
        '1000.05',
        '1000.05',
        'CN-1, "A"',
      ],
      [
        'clm_2',
        'S:draft',
        'T:warranty',
        'oem_FAWVOLKSWAGEN',
        'LSJA24U62JG269225',
        'Audi A6L',
        'ro_1',
        '2026-11-02',
        '',
        '1234.56',
        '',
        '',
        '',
      ],
    ]);
  });

  it('gives the workbook money as numbers, so a spreadsheet sums them', () => {
    // Act
    const [, row] = claimRows([claim({})], HEADS, LABELS);

    // Assess
    expect(row?.slice(9, 12)).toEqual([1234.56, 1000.05, 1000.05]);
  });
});
