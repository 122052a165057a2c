import type { PublicQuote, RemoteApprovalReceipt } from '@aftersales/domain';

/** An answer of the link's API: the body, or the problem's status and code. */
export type Answer<T> = { ok: true; body: T } | { ok: false; status: number; code: string };

/** The public routes of one link (same origin: the page and the API share CloudFront). */
export function approvalApi(storeId: string, token: string) {
  const path = `/public/v1/stores/${encodeURIComponent(storeId)}/approval-links/${encodeURIComponent(token)}`;
  async function send<T>(method: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok) return { ok: true, body: parsed as T };
    return { ok: false, status: res.status, code: typeof parsed.code === 'string' ? parsed.code : 'UNKNOWN' };
  }
  return {
    quote: () => send<PublicQuote>('GET'),
    answer: (approverName: string, decisions: { lineId: string; approved: boolean }[]) =>
      send<RemoteApprovalReceipt>('POST', { approverName, decisions }),
  };
}
