import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { rootLoggerOptions } from '../observability/logging/root-logger.js';
import { loadConfig } from './app-config.js';
import { configError } from '../../test/utils/config-error.js';

describe('LOG_REDACT_PATHS', () => {
  it('accepts paths pino can redact, which then build the root logger', () => {
    const config = loadConfig({
      LOG_REDACT_PATHS: ' req.body.ssn , headers["x-secret"],*.iban, items[*].card ',
    });
    expect(config.logRedactPaths).toEqual([
      'req.body.ssn',
      'headers["x-secret"]',
      '*.iban',
      'items[*].card',
    ]);
    expect(() => pino(rootLoggerOptions(config), { write: () => undefined })).not.toThrow();
  });

  it('reports each path pino would reject at start-up as a configuration error', () => {
    const message = configError({ LOG_REDACT_PATHS: 'req.body.ssn,a..b,foo[,.' });
    expect(message).toContain('LOG_REDACT_PATHS: "a..b" is not a pino redact path');
    expect(message).toContain('LOG_REDACT_PATHS: "foo[" is not a pino redact path');
    expect(message).toContain('LOG_REDACT_PATHS: "." is not a pino redact path');
    expect(message).not.toContain('"req.body.ssn"');
  });

  it('lists a bad path together with the other bad variables', () => {
    const message = configError({ LOG_REDACT_PATHS: 'a..b', PORT: 'eighty' });
    expect(message).toMatch(/^Invalid configuration:\n/);
    expect(message).toContain('  - PORT:');
    expect(message).toContain('  - LOG_REDACT_PATHS:');
  });
});

describe('IDEMPOTENCY_TTL_HOURS', () => {
  it('keeps keys at least a day and at most 30 days', () => {
    expect(loadConfig({ IDEMPOTENCY_TTL_HOURS: '24' }).idempotencyTtlHours).toBe(24);
    expect(loadConfig({ IDEMPOTENCY_TTL_HOURS: '720' }).idempotencyTtlHours).toBe(720);
    expect(configError({ IDEMPOTENCY_TTL_HOURS: '23' })).toContain(
      'IDEMPOTENCY_TTL_HOURS must be at least 24',
    );
    expect(configError({ IDEMPOTENCY_TTL_HOURS: '721' })).toContain('IDEMPOTENCY_TTL_HOURS');
  });
});

describe('SEED_DEMO_DATA', () => {
  const postgres = {
    DATABASE_URL: 'postgresql://gatehouse@127.0.0.1:5432/gatehouse',
    GATEHOUSE_PEPPER: Buffer.alloc(32, 1).toString('base64'),
    GATEHOUSE_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  };

  it('seeds the embedded store by default, never PostgreSQL unless asked', () => {
    expect(loadConfig({}).seedDemoData).toBe(true);
    expect(loadConfig(postgres).seedDemoData).toBe(false);
    expect(loadConfig({ ...postgres, SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    expect(loadConfig({ SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
  });
});

describe('boolean flags (OUTBOX_ENABLED, SEED_DEMO_DATA)', () => {
  it('take the usual words for on and off, in any case', () => {
    for (const on of ['1', 'true', 'TRUE', 'yes', 'On', ' true ']) {
      expect(loadConfig({ OUTBOX_ENABLED: on }).outbox.enabled).toBe(true);
    }
    for (const off of ['0', 'false', 'FALSE', 'no', 'Off']) {
      expect(loadConfig({ OUTBOX_ENABLED: off }).outbox.enabled).toBe(false);
    }
  });

  it('refuse any other text: a typo must stop the start, not turn deliveries off', () => {
    const message = configError({ OUTBOX_ENABLED: 'ture', SEED_DEMO_DATA: 'yes-please' });
    expect(message).toContain('  - OUTBOX_ENABLED:');
    expect(message).toContain('  - SEED_DEMO_DATA:');
  });
});

describe('a bad number', () => {
  it('that is not a number is reported as such, not as out of range', () => {
    const message = configError({ PORT: 'abc' });
    expect(message.split('\n').filter((line) => line.includes('PORT'))).toEqual([
      '  - PORT: PORT must be an integer number',
    ]);
    expect(configError({ PORT: '70000' })).toContain('PORT must not be greater than 65535');
  });
});
