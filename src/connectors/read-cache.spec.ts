import { describe, expect, it } from '@jest/globals';
import { cachedReads } from './read-cache.js';

class CountingPort {
  calls = 0;
  failNext = false;
  stock(sku: string): Promise<{ sku: string; n: number }> {
    this.calls += 1;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('upstream down'));
    }
    return Promise.resolve({ sku, n: this.calls });
  }
}

describe(cachedReads.name, () => {
  it('answers repeated reads with the same arguments from memory within the TTL', async () => {
    const port = new CountingPort();
    const cached = cachedReads(port, 60_000);
    expect(await cached.stock('A')).toEqual({ sku: 'A', n: 1 });
    expect(await cached.stock('A')).toEqual({ sku: 'A', n: 1 });
    expect(await cached.stock('B')).toEqual({ sku: 'B', n: 2 });
    expect(port.calls).toBe(2);
  });

  it('asks again after the TTL', async () => {
    const port = new CountingPort();
    const cached = cachedReads(port, 1);
    await cached.stock('A');
    await new Promise((r) => setTimeout(r, 5));
    await cached.stock('A');
    expect(port.calls).toBe(2);
  });

  it('does not remember failures', async () => {
    const port = new CountingPort();
    port.failNext = true;
    const cached = cachedReads(port, 60_000);
    await expect(cached.stock('A')).rejects.toThrow('upstream down');
    await new Promise((r) => setImmediate(r));
    expect(await cached.stock('A')).toEqual({ sku: 'A', n: 2 });
  });

  it('is bounded', async () => {
    const port = new CountingPort();
    const cached = cachedReads(port, 60_000, 2);
    await cached.stock('A');
    await cached.stock('B');
    await cached.stock('C');
    await cached.stock('A');
    expect(port.calls).toBe(4);
  });

  it('is off with a TTL of 0', async () => {
    const port = new CountingPort();
    const cached = cachedReads(port, 0);
    await cached.stock('A');
    await cached.stock('A');
    expect(port.calls).toBe(2);
  });
});
