import type { XlsxCell } from '@aftersales/domain/xlsx-write';
import type { Claim } from './api.ts';

/** The most claims one export reads (40 pages of 50): past it the export says it was cut. */
export const EXPORT_LIMIT = 2000;

/** The export's columns, headed in the language shown. */
export interface ExportHeads {
  claim: string;
  status: string;
  type: string;
  oem: string;
  vin: string;
  vehicle: string;
  ro: string;
  created: string;
  submitted: string;
  claimed: string;
  approved: string;
  paid: string;
  creditNote: string;
}

/**
 * The archive's claims as rows: text as text, money as yuan numbers to the fen (so a spreadsheet sums
 * them), days as ISO dates (which Excel and every locale read alike), an absent value empty.
 */
export function claimRows(
  claims: readonly Claim[],
  heads: ExportHeads,
  label: { status: (s: Claim['status']) => string; type: (t: Claim['claimType']) => string },
): XlsxCell[][] {
  const yuan = (minor: number | undefined) => (minor === undefined ? null : Math.round(minor) / 100);
  return [
    [
      heads.claim,
      heads.status,
      heads.type,
      heads.oem,
      heads.vin,
      heads.vehicle,
      heads.ro,
      heads.created,
      heads.submitted,
      heads.claimed,
      heads.approved,
      heads.paid,
      heads.creditNote,
    ],
    ...claims.map((c) => [
      c.id,
      label.status(c.status),
      label.type(c.claimType),
      c.oemId,
      c.vin,
      `${c.brand} ${c.model}`.trim(),
      c.repairOrderId,
      c.createdAt.slice(0, 10),
      c.submittedAt ? c.submittedAt.slice(0, 10) : null,
      yuan(c.claimedMinor),
      yuan(c.decision?.approvedMinor),
      yuan(c.payment?.amountMinor),
      c.payment?.creditNote ?? null,
    ]),
  ];
}

const csvCell = (v: XlsxCell): string => {
  if (v === null) return '';
  // The only numbers are money, in yuan to the fen.
  const s = typeof v === 'number' ? v.toFixed(2) : typeof v === 'string' ? v : v.inline;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Rows as CSV: UTF-8 with a BOM, so that Excel reads the Chinese right; CRLF line ends. */
export function toCsv(rows: readonly XlsxCell[][]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Saves `content` as a file through the browser's download. */
export function download(name: string, content: string | Uint8Array, type: string): void {
  // A copy on its own ArrayBuffer: what a Blob takes (fflate's bytes may sit on any buffer).
  const part = typeof content === 'string' ? content : new Uint8Array(content);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
