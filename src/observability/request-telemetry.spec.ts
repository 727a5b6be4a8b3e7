import { describe, expect, it } from '@jest/globals';
import { logLevelFor } from './request-telemetry.js';

describe('logLevelFor', () => {
  it('keeps probes and scrapes at debug, whatever they answer', () => {
    expect(logLevelFor('/healthz', 200)).toBe('debug');
    expect(logLevelFor('/readyz', 503)).toBe('debug');
    expect(logLevelFor('/metrics', 200)).toBe('debug');
    expect(logLevelFor('/metrics', 404)).toBe('debug');
  });

  it('logs a scrape refused for its token like a refused API call', () => {
    expect(logLevelFor('/metrics', 401)).toBe('log');
    expect(logLevelFor('/metrics?x=1', 429)).toBe('log');
    expect(logLevelFor('/v1/inventory/X', 401)).toBe('log');
  });

  it('logs API calls at log, and 5xx at warn', () => {
    expect(logLevelFor('/v1/inventory/BAN-GO-SOI-120', 200)).toBe('log');
    expect(logLevelFor('/v1/leads', 503)).toBe('warn');
    expect(logLevelFor('/metricsx', 200)).toBe('log');
  });
});
