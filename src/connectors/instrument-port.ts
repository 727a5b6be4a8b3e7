import type { RequestContext, UpstreamCall } from '../common/http/request-context.js';

const MAX_RECORDED_CALLS = 20;

/** Asks a port wrapper for a view of the port that records into one request's calls. */
export const FOR_REQUEST = Symbol('forRequest');

type RecordingView<T> = (calls: UpstreamCall[]) => T;

/**
 * The port as seen by one request: each call is timed and added to the
 * request's upstream calls (system, operation, status, latency), which its
 * audit row and the metrics report. The request is named explicitly rather
 * than found through AsyncLocalStorage, whose promise hooks cost ~10 % of a
 * read on Node 20 (docs/benchmarks.md).
 */
export function forRequest<T extends object>(port: T, context: RequestContext | undefined): T {
  return context ? recordingInto(port, context.upstream) : port;
}

/** The port with each call recorded into `calls` (an outbox delivery's, for the metrics). */
export function recordingInto<T extends object>(port: T, calls: UpstreamCall[]): T {
  const view = (port as { [FOR_REQUEST]?: RecordingView<T> })[FOR_REQUEST];
  return typeof view === 'function' ? view(calls) : port;
}

/**
 * Wraps a port implementation so `forRequest(port, ctx)` times and records
 * every call into that request (`recordingInto` into any list, as the outbox
 * handlers do); called directly (readiness probes) it records nothing. No
 * adapter does any of this itself.
 */
export function instrumentPort<T extends object>(impl: T, system: string, port: string): T {
  const recording: RecordingView<T> = (calls) =>
    new Proxy(impl, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || property === 'constructor') return value;
        const method = value as (...args: unknown[]) => unknown;
        const operation = `${port}.${String(property)}`;
        return (...args: unknown[]): unknown => {
          const started = performance.now();
          const record = (status: 'ok' | 'error'): void => {
            if (calls.length >= MAX_RECORDED_CALLS) return;
            calls.push({
              system,
              operation,
              status,
              latencyMs: Math.round(performance.now() - started),
            });
          };
          try {
            const result = method.apply(target, args);
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
  return new Proxy(impl, {
    get(target, property, receiver) {
      return property === FOR_REQUEST ? recording : Reflect.get(target, property, receiver);
    },
  });
}
