import { KEY_PREFIXES } from './keys.ts';
import type { TenantTable } from './tenant-table.ts';

/** A counter outlives its window by this much before TTL may delete it (nothing reads it then). */
const KEEP_AFTER_WINDOW_SECONDS = 60;

/**
 * The tenant's request counters, for the API's per-tenant, per-user and per-client (public page) limits: one item per
 * (subject, window), `<tenantId>#RATE#<subject>#<windowStart>` / `#RATE`, counted with an atomic ADD.
 *
 * In the tenant's own key space, so the tenant-scoped session that serves the request writes it (no
 * platform grant). Each window is a new partition key, and so is each subject: one busy tenant's
 * counters move to a fresh partition every window and never share one with its records or with
 * another tenant's; the API leases counts in blocks (rate-limit.ts), which keeps writes to one item
 * far below a partition's 1,000 writes per second.
 */
export class RequestCounters {
  constructor(private readonly table: TenantTable) {}

  /**
   * Adds `n` to `subject`'s count in the window that starts at `windowStart` (ms) and ends at
   * `windowEnd`; returns the count after it, this request's and every other instance's.
   */
  add(
    subject: 'TENANT' | `USER#${string}` | `CLIENT#${string}`,
    windowStart: number,
    windowEnd: number,
    n: number,
  ): Promise<number> {
    const pk = this.table.key(KEY_PREFIXES.requestCount, subject, String(windowStart));
    const expiresAt = Math.ceil(windowEnd / 1000) + KEEP_AFTER_WINDOW_SECONDS;
    return this.table.increment({ pk, sk: '#RATE' }, 'count', n, { type: 'RequestCount', expiresAt });
  }
}
