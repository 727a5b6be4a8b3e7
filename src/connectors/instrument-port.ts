import { requestContext } from '../common/http/request-context.js';

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
