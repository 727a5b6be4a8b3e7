import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a hit reports (@nestjs/throttler does not export the record type from its index). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The current window of one counter, in the units @nestjs/throttler uses (hits, seconds). */
export interface WindowCount {
  totalHits: number;
  /** Seconds until the window resets; 0 when the counter does not exist. */
  timeToExpire: number;
}

/**
 * Fixed-window counters behind @nestjs/throttler's storage contract: `increment`
 * counts one hit and reports whether the hit is over `limit`; `peek` reads a
 * counter without counting (the failed-authentication gate needs that).
 * Blocking lasts until the window resets, so `blockDuration` is not used.
 */
export abstract class RateLimitStore implements ThrottlerStorage {
  abstract increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord>;

  abstract peek(key: string): Promise<WindowCount>;
}

/** Builds the throttler record for a window holding `hits` that resets in `msLeft`. */
export function windowRecord(hits: number, msLeft: number, limit: number): ThrottlerStorageRecord {
  const timeToExpire = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = hits > limit;
  return {
    totalHits: hits,
    timeToExpire,
    isBlocked,
    timeToBlockExpire: isBlocked ? timeToExpire : 0,
  };
}
