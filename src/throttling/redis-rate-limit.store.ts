import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis, type Result } from 'ioredis';
import type { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import {
  RateLimitStore,
  windowRecord,
  type ThrottlerStorageRecord,
  type WindowCount,
} from './rate-limit.store.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gatehouseHit(key: string, windowMs: number): Result<[number, number], Context>;
    gatehousePeek(key: string): Result<[number, number], Context>;
  }
}

// One atomic step per hit, so instances never race between INCR and PEXPIRE.
// A key left without a TTL (PTTL -1) gets one instead of counting forever.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

const PEEK = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
return {hits, redis.call('PTTL', KEYS[1])}`;

const KEY_PREFIX = 'gatehouse:rl:';

export interface RedisStoreOptions {
  /** A hit that Redis has not answered within this time is counted locally instead. */
  commandTimeoutMs?: number;
  /** How long startup waits for the first connection before going on with local counters. */
  connectWaitMs?: number;
}

/**
 * Counters shared by every instance through Redis (one Lua script per hit).
 * Fail-open to local limits: while Redis is unreachable each instance keeps
 * limiting with its own in-memory counters, logs one warning per outage and
 * counts every such hit in `throttleStorageErrors` (the alert metric). It
 * never fails a request because of Redis, and goes back to the shared
 * counters by itself once Redis answers again.
 */
export class RedisRateLimitStore
  extends RateLimitStore
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('RateLimitStore');
  private readonly redis: Redis;
  private readonly connectWaitMs: number;
  /** Hits answered from local counters because Redis failed. */
  throttleStorageErrors = 0;
  /** True from the first failure until Redis answers again. */
  degraded = false;

  constructor(
    url: string,
    private readonly fallback: MemoryRateLimitStore,
    options: RedisStoreOptions = {},
  ) {
    super();
    this.connectWaitMs = options.connectWaitMs ?? 2000;
    this.redis = new Redis(url, {
      // Fail fast while disconnected instead of queueing requests behind a dead connection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    this.redis.defineCommand('gatehouseHit', { numberOfKeys: 1, lua: HIT });
    this.redis.defineCommand('gatehousePeek', { numberOfKeys: 1, lua: PEEK });
    this.redis.on('error', (error: Error) => this.markDegraded(error));
    this.redis.on('ready', () => this.markHealthy());
  }

  async onModuleInit(): Promise<void> {
    if (this.connected) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.connectWaitMs);
      this.redis.once('ready', done);
    });
    if (!this.connected) {
      this.markDegraded('no connection at startup');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      // Already gone; disconnect() below also cancels any pending reconnect.
    }
    this.redis.disconnect();
  }

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    if (this.connected) {
      try {
        const [hits, msLeft] = await this.redis.gatehouseHit(KEY_PREFIX + key, ttlMs);
        return windowRecord(hits, msLeft, limit);
      } catch (error) {
        this.markDegraded(error);
      }
    } else {
      this.markDegraded(`connection ${this.redis.status}`);
    }
    this.throttleStorageErrors += 1;
    return this.fallback.increment(key, ttlMs, limit);
  }

  async peek(key: string): Promise<WindowCount> {
    if (this.connected) {
      try {
        const [hits, msLeft] = await this.redis.gatehousePeek(KEY_PREFIX + key);
        return msLeft > 0
          ? { totalHits: hits, timeToExpire: Math.ceil(msLeft / 1000) }
          : { totalHits: 0, timeToExpire: 0 };
      } catch (error) {
        this.markDegraded(error);
      }
    } else {
      this.markDegraded(`connection ${this.redis.status}`);
    }
    this.throttleStorageErrors += 1;
    return this.fallback.peek(key);
  }

  private get connected(): boolean {
    return this.redis.status === 'ready';
  }

  private markDegraded(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `Redis is not answering (${reason}); rate limits now use this instance's own counters until it is back`,
    );
  }

  private markHealthy(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('Redis answers again; rate limits are shared across instances again');
  }
}
