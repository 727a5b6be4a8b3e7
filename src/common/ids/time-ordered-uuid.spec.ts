import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { validate, version } from 'uuid';
import { timeOrderedUuid } from './time-ordered-uuid.js';

describe(timeOrderedUuid.name, () => {
  it('makes valid version-7 UUIDs that carry the current time in milliseconds', () => {
    const before = Date.now();
    const id = timeOrderedUuid();
    const after = Date.now();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });

  it('sorts ids made in later milliseconds after earlier ones', async () => {
    const first = timeOrderedUuid();
    await sleep(3);
    const second = timeOrderedUuid();
    expect(first < second).toBe(true);
  });

  it('never repeats, across many refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => timeOrderedUuid());
    expect(new Set(ids).size).toBe(ids.length);
    // Random bits differ even within one millisecond.
    expect(new Set(ids.map((id) => id.slice(15))).size).toBe(ids.length);
  });
});
