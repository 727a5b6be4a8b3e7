import { describe, expect, it } from '@jest/globals';
import { newRequestContext } from '../common/http/request-context.js';
import { forRequest, instrumentPort } from './instrument-port.js';
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

describe('connector instrumentation, per request', () => {
  it('records the calls made for a request, and only those', async () => {
    const port = instrumentPort(new CountingPort(), 'erp', 'inventory');
    const first = newRequestContext();
    const second = newRequestContext();
    await forRequest(port, first).stock('A');
    await forRequest(port, second).stock('B');
    await port.stock('C');
    expect(first.upstream).toEqual([
      { system: 'erp', operation: 'inventory.stock', status: 'ok', latencyMs: expect.any(Number) },
    ]);
    expect(second.upstream).toHaveLength(1);
  });

  it('records failures as errors', async () => {
    const impl = new CountingPort();
    impl.failNext = true;
    const ctx = newRequestContext();
    await expect(
      forRequest(instrumentPort(impl, 'erp', 'inventory'), ctx).stock('A'),
    ).rejects.toThrow();
    expect(ctx.upstream[0]).toMatchObject({ status: 'error' });
  });

  it('through the read cache: a miss is recorded for its request, a hit is not a call', async () => {
    const impl = new CountingPort();
    const port = cachedReads(instrumentPort(impl, 'erp', 'inventory'), 60_000);
    const first = newRequestContext();
    const second = newRequestContext();
    expect(await forRequest(port, first).stock('A')).toEqual({ sku: 'A', n: 1 });
    expect(await forRequest(port, second).stock('A')).toEqual({ sku: 'A', n: 1 });
    expect(impl.calls).toBe(1);
    expect(first.upstream).toHaveLength(1);
    expect(second.upstream).toHaveLength(0);
  });

  it('leaves a port without instrumentation as it is', () => {
    const impl = new CountingPort();
    expect(forRequest(impl, newRequestContext())).toBe(impl);
  });
});
