import type { DataAccess } from '@aftersales/data';
import { TenantId } from '@aftersales/domain';
import type { RateLimit, RateLimits } from '@aftersales/runtime';
import type { Context, MiddlewareHandler } from 'hono';
import { requestLog } from './auth.ts';
import { clientKey } from './client-address.ts';
import type { AppEnv } from './env.ts';
import { problemResponse } from './problem.ts';

/** Counts `n` more requests in a window (`start`–`end`, ms); answers the window's total after them. */
type Count = (n: number, start: number, end: number) => Promise<number>;

/** What this instance holds of one counter's current window. */
interface Lease {
  windowStart: number;
  /** Requests this instance may still admit in the window without asking the counter. */
  tokens: number;
  /** Requests this instance has been granted in the window (the size of its next lease). */
  granted: number;
  /** The counter said the window is used up: refuse without asking again until it ends. */
  exhausted: boolean;
}

const MAX_KEYS = 10_000;

/**
 * Fixed-window limits counted across every instance, bought in leases.
 *
 * A limit of `burst` requests per `burst / perSecond` seconds: the average is `perSecond` and a burst
 * of `burst` passes at once. Lambda runs many instances, so the count that decides is one DynamoDB
 * item per (subject, window) (`RequestCounters`), not memory. Asking it on every request would cost a
 * write per limit per request (two per request: user and tenant), so an instance takes a *lease*: it
 * adds a block of requests to the counter and admits that many locally. The first lease of a window
 * is one request, each next one as large as all it had before (1, 1, 2, 4, … up to a tenth of the
 * limit), so a quiet caller costs one write per limit per window and a busy one a write per tenth of
 * the limit.
 *
 * Honest about its errors: the shared count never admits more than the limit in a window; a lease an
 * instance does not use up is lost for the window (the busier instances may be refused a little early:
 * at most what each idle instance had already used), and a fixed window lets up to twice the burst
 * through around its boundary. Once the counter is used up this instance refuses without a write
 * until the window ends, so a flood costs no writes.
 */
export class WindowLeases {
  private readonly leases = new Map<string, Lease>();

  /** Admits one request (`undefined`), or answers the seconds until the window ends. */
  async take(key: string, rule: RateLimit, now: number, count: Count): Promise<number | undefined> {
    const windowMs = Math.max(1, Math.round((rule.burst / rule.perSecond) * 1000));
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const windowEnd = windowStart + windowMs;
    let lease = this.leases.get(key);
    if (lease?.windowStart !== windowStart) {
      if (this.leases.size >= MAX_KEYS) this.leases.clear();
      lease = { windowStart, tokens: 0, granted: 0, exhausted: false };
      this.leases.set(key, lease);
    }
    if (lease.tokens === 0 && !lease.exhausted) {
      const n = Math.min(Math.max(1, lease.granted), Math.max(1, Math.floor(rule.burst / 10)));
      const total = await count(n, windowStart, windowEnd);
      // The part of this block that still fits under the limit (other instances counted first).
      const granted = Math.max(0, Math.min(n, rule.burst - (total - n)));
      if (granted < n) lease.exhausted = true;
      lease.granted += granted;
      lease.tokens += granted;
    }
    if (lease.tokens > 0) {
      lease.tokens--;
      return undefined;
    }
    return Math.max(1, Math.ceil((windowEnd - now) / 1000));
  }
}

/**
 * The per-client limits of every `/v1` request, after the caller and their tenant are known: first the
 * user's own limit in the tenant (a refused request does not use the tenant's), then the tenant's. A
 * request over either answers 429 `RATE_LIMITED` with `Retry-After`.
 *
 * Store and group routes count in the tenant's DynamoDB partition (the same locally, on DynamoDB
 * Local): two writes per lease, so a fraction of a write per request when busy. The few routes outside
 * a tenant (`/v1/me`, sign-out: cheap, per user) count in this instance's memory only; the WAF's rate
 * rule per client address stands in front of everything.
 */
export function rateLimit(data: DataAccess, limits: RateLimits, now: () => Date): MiddlewareHandler<AppEnv> {
  const leases = new WindowLeases();
  const local = new Map<string, number>();
  const inMemory =
    (key: string): Count =>
    async (n, start) => {
      if (local.size >= MAX_KEYS) local.clear();
      const total = (local.get(`${key}|${start}`) ?? 0) + n;
      local.set(`${key}|${start}`, total);
      return total;
    };
  return async (c, next) => {
    const at = now().getTime();
    const userId = c.var.principal.user.id;
    const tenantId = c.var.access?.store.id ?? c.var.groupAccess?.groupId ?? c.var.oemAccess?.oemId;
    let retryAfter: number | undefined;
    if (tenantId) {
      const shared = sharedCount(data, tenantId, c);
      retryAfter =
        (await leases.take(`${tenantId}|USER#${userId}`, limits.user, at, shared(`USER#${userId}`))) ??
        (await leases.take(tenantId, limits.tenant, at, shared('TENANT')));
    } else {
      retryAfter = await leases.take(`USER#${userId}`, limits.user, at, inMemory(userId));
    }
    return retryAfter === undefined ? next() : refuse(c, retryAfter);
  };
}

/**
 * A counter of the tenant's `RequestCounters` for one subject. Made only when a lease is bought: most
 * requests are admitted from one already held.
 */
const sharedCount =
  (data: DataAccess, tenantId: string, c: Context<AppEnv>) =>
  (subject: 'TENANT' | `USER#${string}` | `CLIENT#${string}`): Count =>
  async (n, start, end) => {
    try {
      return await data.requestCounters(tenantId).add(subject, start, end, n);
    } catch (err) {
      // A limiter that cannot count lets the request through rather than turn its own trouble
      // (throttling of a counter item) into every tenant's outage; the log says so.
      requestLog(c).error('request counter unavailable; request admitted', { err });
      return n;
    }
  };

function refuse(c: Context<AppEnv>, retryAfter: number): Response {
  c.header('retry-after', String(retryAfter));
  return problemResponse(c, 429, 'RATE_LIMITED', `Too many requests; try again in ${retryAfter} s.`);
}

/** The public booking page's limit per client address per store: a customer books in a dozen requests. */
export const DEFAULT_PUBLIC_LIMIT: RateLimit = { perSecond: 0.5, burst: 30 };

/**
 * The per-client limit of the public routes (`/public/v1/stores/:storeId/*`), which have no user: each
 * client address (hashed) in each store, counted in the store's partition like the signed-in limits, so
 * every instance shares it — locally on DynamoDB Local, in AWS behind the WAF's rate rule for the
 * public paths and API Gateway's throttling of them (infra), which stop floods before they cost a write.
 */
export function publicRateLimit(
  data: DataAccess,
  limit: RateLimit,
  now: () => Date,
): MiddlewareHandler<AppEnv> {
  const leases = new WindowLeases();
  return async (c, next) => {
    const storeId = c.req.param('storeId') ?? '';
    // An id no store can have is not counted: the route answers 404 without reading anything.
    if (!TenantId.safeParse(storeId).success) return next();
    const client = `CLIENT#${clientKey(c.var.clientAddress)}` as const;
    const retryAfter = await leases.take(
      `${storeId}|${client}`,
      limit,
      now().getTime(),
      sharedCount(data, storeId, c)(client),
    );
    return retryAfter === undefined ? next() : refuse(c, retryAfter);
  };
}
