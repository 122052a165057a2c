/**
 * A small per-process cache for directory look-ups (memberships, store profiles) that every request
 * needs: a warm Lambda answers most requests with no directory read. Entries live `ttlMs`, so a role
 * change reaches running functions within that time. Time is the app's clock (tests move it instead of
 * waiting).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    // A failed load is not cached: the next request tries again.
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Forgets an entry: the next `get` loads it again (a change made by this instance, seen at once). */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
