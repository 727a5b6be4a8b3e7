import { Clock } from '../../src/common/clock.js';

/** A clock tests move by hand: expiry, grace and backoff timelines without sleeping. */
export class TestClock extends Clock {
  private current: number;

  constructor(start = Date.now()) {
    super();
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }

  advanceMs(ms: number): void {
    this.current += ms;
  }
}

/** A promise with its resolver, to hold a step open until the test releases it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
