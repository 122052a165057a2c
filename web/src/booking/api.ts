import type { BookingChallenge, BookingReceipt, FreeSlots, PublicStore } from '@aftersales/domain';

/** An answer of the public booking API: the body, or the problem (code, field errors, extra details). */
export type Answer<T> =
  | { ok: true; body: T }
  | {
      ok: false;
      status: number;
      code: string;
      fieldErrors: { path: string; message: string }[];
      nextDays: string[];
      retryAfter: number;
    };

/** The public booking API of one store (same origin: the page and the API share CloudFront). */
export function bookingApi(storeId: string) {
  const base = `/public/v1/stores/${encodeURIComponent(storeId)}`;
  async function send<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok) return { ok: true, body: parsed as T };
    return {
      ok: false,
      status: res.status,
      code: typeof parsed.code === 'string' ? parsed.code : 'UNKNOWN',
      fieldErrors: Array.isArray(parsed.fieldErrors)
        ? (parsed.fieldErrors as { path: string; message: string }[])
        : [],
      nextDays: Array.isArray(parsed.nextDays) ? (parsed.nextDays as string[]) : [],
      retryAfter: Number(res.headers.get('retry-after') ?? 0),
    };
  }
  return {
    store: () => send<PublicStore>('GET', '/booking'),
    freeSlots: (from: string, days: number) =>
      send<FreeSlots>('GET', `/free-slots?from=${from}&days=${days}`),
    challenge: () => send<BookingChallenge>('POST', '/booking-challenge'),
    /** With an Idempotency-Key: a retry after a lost answer does not book twice. */
    request: (body: unknown, idempotencyKey: string) =>
      send<BookingReceipt>('POST', '/booking-requests', body, { 'idempotency-key': idempotencyKey }),
  };
}
