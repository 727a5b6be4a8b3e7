import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';

import { PermanentDeliveryError } from '../connectors/ports/sinks.port.js';
import { UpstreamError } from '../connectors/ports/upstream.error.js';
import { loadConfig } from '../config/app-config.js';
import {
  describeFailure,
  RETRY_CAP_MS,
  retryDelayAfter,
  retryDelayMs,
  retryWindowMs,
} from './outbox-retry.js';

describe(retryDelayMs.name, () => {
  it('doubles with each attempt, between half and all of the exponential step', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, () => 1)).toBe(2_000);
    expect(retryDelayMs(2, () => 0)).toBe(2_000);
    expect(retryDelayMs(3, () => 1)).toBe(8_000);
  });

  it('is capped', () => {
    expect(retryDelayMs(30, () => 1)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(30, () => 0)).toBe(RETRY_CAP_MS / 2);
  });
});

describe(retryWindowMs.name, () => {
  const HOUR = 3_600_000;

  it('sums the delays between the attempts', () => {
    expect(retryWindowMs(1, () => 1)).toBe(0);
    expect(retryWindowMs(3, () => 1)).toBe(2_000 + 4_000);
  });

  it('gave up after 8.5-17 minutes with the old default of 10 attempts', () => {
    expect(retryWindowMs(10, () => 0)).toBe(511_000);
    expect(retryWindowMs(10, () => 1)).toBe(1_022_000);
  });

  it('keeps retrying through a four-hour outage with the default OUTBOX_MAX_ATTEMPTS', () => {
    const { maxAttempts } = loadConfig({ DATABASE_URL: 'file:./data/unused.db' }).outbox;
    expect(maxAttempts).toBe(60);
    // The window stated in .env.example, README.md and docs/operations.md.
    expect(retryWindowMs(maxAttempts, () => 0)).toBe(15_511_000); // 4 h 18 min
    expect(retryWindowMs(maxAttempts, () => 1)).toBe(31_022_000); // 8 h 37 min
    expect(retryWindowMs(maxAttempts, () => 0)).toBeGreaterThan(4 * HOUR);
  });
});

describe(retryDelayAfter.name, () => {
  const limited = (retryAfterMs?: number) =>
    new UpstreamError('jira', 'issue.create', 429, { retryAfterMs });

  it('waits as long as the core system asked when that is longer than the backoff', () => {
    expect(retryDelayAfter(limited(120_000), 1, () => 0)).toBe(120_000);
  });

  it('keeps the backoff when it is longer, or when nothing was asked', () => {
    expect(retryDelayAfter(limited(500), 3, () => 1)).toBe(8_000);
    expect(retryDelayAfter(limited(undefined), 1, () => 0)).toBe(1_000);
    expect(retryDelayAfter(new Error('boom'), 1, () => 0)).toBe(1_000);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayAfter(limited(24 * 3_600_000), 1, () => 0)).toBe(RETRY_CAP_MS);
  });
});

describe(describeFailure.name, () => {
  it('describes an upstream error by system, operation and status only', () => {
    const error = new UpstreamError('jira', 'createIssue', 502, {
      cause: new Error('https://user:secret@jira.internal/rest failed'),
    });
    expect(describeFailure(error)).toBe('jira createIssue failed (status 502)');
  });

  it('strips URLs and long tokens from other errors and keeps it short', () => {
    const error = new PermanentDeliveryError(
      `rejected by https://crm.internal/api?token=abc at key sk_live_0123456789abcdefghijklmnop ${'x '.repeat(300)}`,
    );
    const text = describeFailure(error);
    expect(text).toMatch(/^PermanentDeliveryError: rejected by \[url\] at key \[redacted\]/);
    expect(text).not.toContain('crm.internal');
    expect(text.length).toBeLessThanOrEqual(200);
  });
});
