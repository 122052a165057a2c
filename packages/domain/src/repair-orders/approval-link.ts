import * as z from 'zod';
import { MessageLocale } from '../messages/model.ts';
import { AppError, ConflictError } from '../platform/errors.ts';
import { Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { Currency } from '../platform/money.ts';
import { Signature } from '../purchasing/model.ts';
import { Payer } from '../setup/model.ts';
import { JobLineStatus, LineDecision, LineTotals, PayerTotals, type RepairOrder } from './model.ts';

/**
 * 远程确认: a one-time link the advisor texts the customer, for one quote version. The raw token goes
 * out in the text only; the store keeps its hash, the order, the version, the sender and the expiry.
 * The link opens the quote (what is offered, with prices per payer; nothing else of the customer) and
 * takes the customer's word once.
 */

/** How long a link is good for: a day, and never past a newer quote of the order. */
export const APPROVAL_LINK_HOURS = 24;

/** What the advisor asks: the text's language, and the new promised time an add-on's approval sets. */
export const ApprovalLinkRequest = z.strictObject({
  locale: MessageLocale.default('zh-CN'),
  promisedAt: Instant.optional().meta({
    description:
      'The promised time the approval of add-on work (增修) sets: needed when the quote offers any.',
  }),
});
export type ApprovalLinkRequest = z.input<typeof ApprovalLinkRequest>;

/** A link as stored (keyed by its token's hash, in the order's store). */
export const ApprovalLink = z.object({
  repairOrderId: RequiredText,
  quoteVersion: Version,
  validUntil: Instant,
  sentBy: Signature,
  promisedAt: Instant.optional(),
  usedAt: Instant.optional(),
});
export type ApprovalLink = z.infer<typeof ApprovalLink>;

/** The advisor's receipt: which version, until when, and the text that carries it. */
export const ApprovalLinkIssued = z.object({
  repairOrderId: RequiredText,
  quoteVersion: Version,
  expiresAt: Instant,
  messageId: RequiredText,
});
export type ApprovalLinkIssued = z.infer<typeof ApprovalLinkIssued>;

/** One line as the customer sees it: the work in words, who pays, its price, and whether it is asked. */
export const PublicQuoteLine = z.object({
  lineId: RequiredText,
  complaint: z.string(),
  correction: z.string().optional(),
  payer: Payer,
  totals: LineTotals,
  /** Put to the customer now; other lines are shown as already decided. */
  offered: z.boolean(),
  status: JobLineStatus,
});

/** The quote behind a link: store, plate and the version's lines and totals, nothing else of the customer. */
export const PublicQuote = z.object({
  storeName: z.string(),
  plate: z.string().optional(),
  quoteVersion: Version,
  lines: z.array(PublicQuoteLine),
  byPayer: z.array(PayerTotals),
  taxRateBp: z.int(),
  total: z.int(),
  currency: Currency,
  expiresAt: Instant,
});
export type PublicQuote = z.infer<typeof PublicQuote>;

/** The customer's word through the link: each offered line approved or declined, and their typed name. */
export const RemoteApprovalInput = z.strictObject({
  approverName: trimmedText(60, 1),
  decisions: z.array(LineDecision).check(z.minLength(1, 'Approve or decline at least one line.')),
});
export type RemoteApprovalInput = z.infer<typeof RemoteApprovalInput>;

/** The customer's receipt. */
export const RemoteApprovalReceipt = z.object({
  quoteVersion: Version,
  approvedLineIds: z.array(RequiredText),
  declinedLineIds: z.array(RequiredText),
});
export type RemoteApprovalReceipt = z.infer<typeof RemoteApprovalReceipt>;

/** The lines of the current quote still waiting for the customer's word. */
function awaiting(ro: RepairOrder): string[] {
  const quote = ro.quotes.at(-1);
  if (!quote) return [];
  const offered = new Set(quote.lines.filter((l) => l.offered).map((l) => l.lineId));
  return ro.lines.filter((l) => offered.has(l.id) && l.status === 'awaiting_approval').map((l) => l.id);
}

/** The version a new link is for: the current quote, with lines awaiting approval (else 409). */
export function linkableQuoteVersion(ro: RepairOrder): number {
  const quote = ro.quotes.at(-1);
  if (!quote || awaiting(ro).length === 0)
    throw new ConflictError(
      409,
      'NOTHING_TO_APPROVE',
      `Repair order ${ro.id} has no quote waiting for the customer: quote the work first.`,
    );
  return quote.version;
}

/**
 * A link may be used: not used, not expired, and its version still the current quote with lines to
 * decide (a newer quote, or an answer given at the counter, closes it).
 */
export function requireUsableLink(link: ApprovalLink, ro: RepairOrder, now: Date): void {
  if (link.usedAt) throw new AppError(410, 'APPROVAL_LINK_USED', 'This link was already used.');
  if (Date.parse(link.validUntil) <= now.getTime())
    throw new AppError(410, 'APPROVAL_LINK_EXPIRED', 'This link has expired: ask the store for a new one.');
  if (ro.quotes.at(-1)?.version !== link.quoteVersion || awaiting(ro).length === 0)
    throw new AppError(
      410,
      'APPROVAL_LINK_OUTDATED',
      'The quote has changed or was answered since this link was sent: ask the store for the current one.',
    );
}

/** The quote as the link shows it. */
export function publicQuote(ro: RepairOrder, link: ApprovalLink, storeName: string): PublicQuote {
  const quote = ro.quotes.find((q) => q.version === link.quoteVersion);
  if (!quote) throw new Error(`Repair order ${ro.id} has no quote version ${link.quoteVersion}`);
  const lines = quote.lines.flatMap((q) => {
    const line = ro.lines.find((l) => l.id === q.lineId);
    if (!line) return [];
    return [
      {
        lineId: q.lineId,
        complaint: line.complaint,
        ...(line.correction ? { correction: line.correction } : {}),
        payer: q.payer,
        totals: q.totals,
        offered: q.offered,
        status: line.status,
      },
    ];
  });
  return {
    storeName,
    ...(ro.plate ? { plate: ro.plate } : {}),
    quoteVersion: quote.version,
    lines,
    byPayer: quote.byPayer,
    taxRateBp: quote.taxRateBp,
    total: quote.total,
    currency: quote.currency,
    expiresAt: link.validUntil,
  };
}
