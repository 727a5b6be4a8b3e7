import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { Scope } from '../../src/auth/scopes.js';
import type { ClientLimits } from '../../src/clients/client-policies.js';
import { ApiKeysService } from '../../src/clients/api-keys.service.js';
import { ThrottlingService } from '../../src/throttling/throttling.service.js';
import { sample } from '../utils/prometheus.js';
import { redisInstalled, startRedis, type RedisServer } from '../utils/redis-server.js';
import { describeWithServer } from '../utils/native-servers.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

const STOCK = '/v1/inventory/BAN-GO-SOI-120';

/**
 * Two Gatehouse instances sharing one real redis-server. Each instance runs on
 * its own copy of the SQLite template (the embedded store is single-instance
 * by design; several instances share PostgreSQL, see the scale-out suite), and
 * every test client is written into both copies with the same id and the same
 * hashed API key — so both instances resolve the same client, which is all the
 * shared counters are keyed on.
 */
describeWithServer(redisInstalled(), 'redis-server')('rate limits shared through Redis', () => {
  let redis: RedisServer;
  let a: TestApp;
  let b: TestApp;

  const env = () => ({
    REDIS_URL: redis.url,
    THROTTLE_READ_PER_MINUTE: '120',
    THROTTLE_WRITE_PER_MINUTE: '20',
    THROTTLE_TOKEN_PER_MINUTE: '10',
    THROTTLE_TOKEN_PER_IP_PER_MINUTE: '30',
    THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '20',
  });

  /** A client known to both instances, with one API key valid on both. */
  const sharedClient = async (limits: ClientLimits, others: TestApp[] = [b]) => {
    const scopes: Scope[] = ['inventory:read'];
    const client = await a.client(scopes, { limits });
    const key = await a.app.get(ApiKeysService).create(client.clientId, { scopes });
    const clientRow = await a.prisma.client.findUniqueOrThrow({ where: { id: client.clientId } });
    const keyRow = await a.prisma.apiKey.findUniqueOrThrow({ where: { id: key.keyId } });
    for (const other of others) {
      await other.prisma.client.create({ data: clientRow });
      await other.prisma.apiKey.create({ data: keyRow });
    }
    return key.apiKey;
  };
  const call = (t: TestApp, apiKey: string): Promise<Response> =>
    t.http.get(STOCK).set('x-api-key', apiKey);
  const stats = () => [a, b].map((t) => t.app.get(ThrottlingService).stats());
  /** What an operator sees of the shared store in /metrics. */
  const storeMetrics = async (t: TestApp) => {
    const text = (await t.http.get('/metrics')).text;
    return {
      degraded: sample(text, 'gatehouse_rate_limit_store_degraded', {}),
      fallback: sample(text, 'gatehouse_rate_limit_store_fallback_total', {}),
    };
  };

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([startTestApp({ env: env() }), startTestApp({ env: env() })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.close();
  });

  it('admits exactly the limit in total when N+1 calls alternate between the instances', async () => {
    const apiKey = await sharedClient({ read: 10 });
    const results: Response[] = [];
    for (let i = 0; i < 11; i++) results.push(await call(i % 2 === 0 ? a : b, apiKey));
    expect(results.map((r) => r.status)).toEqual([...Array<number>(10).fill(200), 429]);
    expect(results.slice(0, 10).map((r) => Number(r.headers['ratelimit-remaining']))).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ]);
    expect(results[10].headers['retry-after']).toMatch(/^\d+$/);
    expect(results[10].body).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('admits exactly the limit under concurrent calls on both instances', async () => {
    const apiKey = await sharedClient({ read: 10 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(i % 2 === 0 ? a : b, apiKey)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('shares the failed-authentication count per IP', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await (i % 2 === 0 ? a : b).http.get(STOCK).set('x-api-key', `gh_bad_${i}`);
      expect(res.status).toBe(401);
    }
    const apiKey = await sharedClient({ read: 10 });
    expect((await call(a, apiKey)).status).toBe(429);
    expect((await call(b, apiKey)).status).toBe(429);
    // Clean the shared counter so the next tests are not refused for this IP.
    await redis.stop();
    await redis.start();
    await waitUntil(() => stats().every((s) => !s.storageDegraded));
  });

  it('keeps limiting with local counters while Redis is down (no 5xx), then shares again by itself', async () => {
    const before = await sharedClient({ read: 3 });
    expect((await call(a, before)).status).toBe(200);

    await redis.stop();
    const during = await sharedClient({ read: 3 });
    const duringA: number[] = [];
    const duringB: number[] = [];
    for (let i = 0; i < 4; i++) duringA.push((await call(a, during)).status);
    for (let i = 0; i < 4; i++) duringB.push((await call(b, during)).status);
    // Fail-open to local limits: each instance enforces the limit on its own.
    expect(duringA).toEqual([200, 200, 200, 429]);
    expect(duringB).toEqual([200, 200, 200, 429]);
    for (const s of stats()) {
      expect(s.storageDegraded).toBe(true);
      expect(s.storageErrors).toBeGreaterThan(0);
    }
    for (const t of [a, b]) {
      const seen = await storeMetrics(t);
      expect(seen.degraded).toBe(1);
      expect(seen.fallback).toBeGreaterThan(0);
    }
    // A client first seen during the outage, so each instance's local window for it starts
    // empty (whether `before` was counted locally depends on when the reconnect landed):
    // ten concurrent calls on each instance get exactly its own limit of 3 through.
    const burstKey = await sharedClient({ read: 3 });
    const [burstA, burstB] = await Promise.all(
      [a, b].map((t) => Promise.all(Array.from({ length: 10 }, () => call(t, burstKey)))),
    );
    for (const burst of [burstA, burstB]) {
      expect(burst.map((r) => r.status).sort()).toEqual([
        ...Array<number>(3).fill(200),
        ...Array<number>(7).fill(429),
      ]);
      for (const refused of burst.filter((r) => r.status === 429)) {
        expect(refused.body).toMatchObject({ code: 'rate_limited', retryable: true });
        const retryAfter = Number(refused.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
    }

    await redis.start();
    await waitUntil(() => stats().every((s) => !s.storageDegraded));
    expect((await storeMetrics(a)).degraded).toBe(0);
    const after = await sharedClient({ read: 4 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(i % 2 === 0 ? a : b, after)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('starts with Redis down, limits locally, and joins the shared counters once Redis appears', async () => {
    await redis.stop();
    const c = await startTestApp({ env: env() });
    try {
      const statsOfC = () => c.app.get(ThrottlingService).stats();
      const local = await c.token(['inventory:read'], { limits: { read: 2 } });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await c.http.get(STOCK).auth(local, { type: 'bearer' })).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(statsOfC().storageDegraded).toBe(true);
      await redis.start();
      await waitUntil(
        () => !statsOfC().storageDegraded && stats().every((s) => !s.storageDegraded),
      );
      const apiKey = await sharedClient({ read: 2 }, [b, c]);
      const shared = [await call(a, apiKey), await call(c, apiKey), await call(b, apiKey)];
      expect(shared.map((r) => r.status)).toEqual([200, 200, 429]);
    } finally {
      await c.close();
    }
  }, 30_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}
