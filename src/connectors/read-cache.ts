import type { UpstreamCall } from '../common/http/request-context.js';
import { FOR_REQUEST } from './instrument-port.js';

/**
 * A short, bounded cache in front of a read-only port (SPEC §6: "a short read
 * cache where safe"). Agents ask the same stock or order question several
 * times in one conversation; within the TTL the answer comes from memory and
 * the core system is not asked again (nor recorded as asked). Write ports are
 * never wrapped.
 */
export function cachedReads<T extends object>(impl: T, ttlMs: number, maxEntries = 5000): T {
  if (ttlMs <= 0) return impl;
  const entries = new Map<string, { value: Promise<unknown>; expires: number }>();
  // Every view shares the entries: the per-request views of an instrumented
  // port (FOR_REQUEST) only differ in where a miss records its upstream call.
  const view = (source: T): T =>
    new Proxy(source, {
      get(target, property, receiver) {
        if (property === FOR_REQUEST) {
          const recording: unknown = Reflect.get(target, property, receiver);
          return typeof recording === 'function'
            ? (calls: UpstreamCall[]) => view((recording as (c: UpstreamCall[]) => T)(calls))
            : undefined;
        }
        const value: unknown = Reflect.get(target, property, receiver);
        // Readiness probes must reach the core system every time.
        if (typeof value !== 'function' || property === 'constructor' || property === 'ping') {
          return value;
        }
        const method = value as (...a: unknown[]) => unknown;
        return (...args: unknown[]): unknown => {
          const key = `${String(property)}:${JSON.stringify(args)}`;
          const now = Date.now();
          const hit = entries.get(key);
          if (hit && hit.expires > now) return hit.value;
          const result = Promise.resolve(method.apply(target, args));
          if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
          entries.set(key, { value: result, expires: now + ttlMs });
          // A failure is not remembered: the next call asks the core system again.
          result.catch(() => entries.delete(key));
          return result;
        };
      },
    });
  return view(impl);
}
