import {
  RateLimitStore,
  windowRecord,
  type ThrottlerStorageRecord,
  type WindowCount,
} from './rate-limit.store.js';

interface Window {
  hits: number;
  resetAt: number;
}

/**
 * In-process fixed-window counters: one small record per key, O(1) per hit.
 * (@nestjs/throttler's default storage keeps a timestamp per hit and scans
 * them on every request, which collapses under real limits; SPEC §11.)
 * A key is re-inserted whenever its window restarts, so the map stays in
 * window-start order: expired windows are dropped from the front as hits
 * arrive, and when a flood of distinct keys hits the cap the window that
 * started longest ago goes first.
 */
export class MemoryRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {
    super();
  }

  get size(): number {
    return this.windows.size;
  }

  increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.dropExpired(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (window) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.dropOldest();
      window = { hits: 0, resetAt: now + ttlMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return Promise.resolve(windowRecord(window.hits, window.resetAt - now, limit));
  }

  peek(key: string): Promise<WindowCount> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) return Promise.resolve({ totalHits: 0, timeToExpire: 0 });
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    });
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt > now) return;
      this.windows.delete(key);
    }
  }

  private dropOldest(): void {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}
