import { describe, expect, it } from '@jest/globals';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';

describe(MemoryRateLimitStore.name, () => {
  const setup = (maxKeys?: number) => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(() => now, maxKeys);
    return { store, advance: (ms: number) => (now += ms) };
  };

  it('counts hits in a fixed window and blocks past the limit', async () => {
    const { store, advance } = setup();
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await store.increment('k', 60_000, 3));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(hits[3]).toMatchObject({ timeToExpire: 60, timeToBlockExpire: 60 });
    advance(59_500);
    expect(await store.increment('k', 60_000, 3)).toMatchObject({ timeToExpire: 1 });
    advance(500);
    expect(await store.increment('k', 60_000, 3)).toMatchObject({
      totalHits: 1,
      isBlocked: false,
      timeToExpire: 60,
    });
  });

  it('peeks without counting', async () => {
    const { store, advance } = setup();
    expect(await store.peek('k')).toEqual({ totalHits: 0, timeToExpire: 0 });
    await store.increment('k', 60_000, 5);
    advance(30_000);
    expect(await store.peek('k')).toEqual({ totalHits: 1, timeToExpire: 30 });
    expect(await store.peek('k')).toEqual({ totalHits: 1, timeToExpire: 30 });
    advance(30_000);
    expect(await store.peek('k')).toEqual({ totalHits: 0, timeToExpire: 0 });
  });

  it('drops expired windows as hits arrive, so memory follows the live keys', async () => {
    const { store, advance } = setup();
    for (let i = 0; i < 1000; i++) await store.increment(`ip:${i}`, 60_000, 5);
    expect(store.size).toBe(1000);
    advance(61_000);
    await store.increment('other', 60_000, 5);
    expect(store.size).toBe(1);
  });

  it('stays within its cap under a flood of distinct keys, forgetting the oldest window first', async () => {
    const { store, advance } = setup(100);
    await store.increment('busy-client', 60_000, 5);
    advance(1);
    for (let i = 0; i < 500; i++) await store.increment(`flood:${i}`, 60_000, 5);
    expect(store.size).toBe(100);
    expect(await store.peek('busy-client')).toEqual({ totalHits: 0, timeToExpire: 0 });
    expect((await store.peek('flood:499')).totalHits).toBe(1);
  });

  it('does constant work per hit however many hits a key has taken', async () => {
    const { store } = setup();
    for (let i = 0; i < 200_000; i++) await store.increment('hot', 60_000, 10);
    expect(await store.peek('hot')).toMatchObject({ totalHits: 200_000 });
    expect(store.size).toBe(1);
  });
});
