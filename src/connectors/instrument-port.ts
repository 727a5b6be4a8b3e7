import type { Provider } from '@nestjs/common';
import { requestContext } from '../common/http/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { cachedReads } from './read-cache.js';

const MAX_RECORDED_CALLS = 20;

/**
 * Wraps a port implementation so every call is timed and recorded in the
 * current request's context (system, operation, status, latency): the audit
 * trail and metrics see each upstream call without any adapter doing it.
 */
export function instrumentPort<T extends object>(impl: T, system: string, port: string): T {
  return new Proxy(impl, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      const operation = `${port}.${String(property)}`;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const calls = requestContext.getStore()?.upstream;
        const record = (status: 'ok' | 'error'): void => {
          if (calls && calls.length < MAX_RECORDED_CALLS) {
            calls.push({
              system,
              operation,
              status,
              latencyMs: Math.round(performance.now() - started),
            });
          }
        };
        try {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise) {
            return result.then(
              (v: unknown) => {
                record('ok');
                return v;
              },
              (error: unknown) => {
                record('error');
                throw error;
              },
            );
          }
          record('ok');
          return result;
        } catch (error) {
          record('error');
          throw error;
        }
      };
    },
  });
}

/**
 * Turns `{ provide: Port, useClass: Adapter }` into an instrumented binding of
 * the port; read-only ports also get the short read cache (READ_CACHE_TTL_MS).
 */
export function instrumented(
  system: string,
  providers: Provider[],
  options: { cacheReads: boolean },
): Provider[] {
  return providers.flatMap((p) => {
    if (typeof p !== 'object' || !('useClass' in p)) return [p];
    const binding = p;
    const token = binding.provide;
    const port = (typeof token === 'function' ? token.name : String(token))
      .replace(/Port$/, '')
      .toLowerCase();
    return [
      binding.useClass,
      {
        provide: token,
        inject: [binding.useClass, APP_CONFIG],
        useFactory: (impl: object, config: AppConfig) => {
          const measured = instrumentPort(impl, system, port);
          return options.cacheReads ? cachedReads(measured, config.readCacheTtlMs) : measured;
        },
      },
    ];
  });
}
