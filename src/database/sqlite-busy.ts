import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long SQLite itself waits for another process's write lock, in the
 * calling thread. better-sqlite3 is synchronous, so SQLite's busy handler
 * blocks the whole event loop while it waits: with a long busy timeout, one
 * CLI command or `sqlite3` shell holding the write lock froze every request,
 * /healthz included. Longer waits happen in `whileBusy`, between turns of
 * the event loop.
 */
export const SQLITE_BLOCKING_BUSY_MS = 5;

const RETRYABLE_BUSY = /^SQLITE_BUSY(_RECOVERY|_TIMEOUT)?$/;

/** The longest pause between two attempts to take the write lock. */
const MAX_PAUSE_MS = 100;

/**
 * SQLITE_BUSY and its extended codes other than BUSY_SNAPSHOT: another
 * connection holds the lock, and the same statement may succeed later.
 * (BUSY_SNAPSHOT means a read transaction's snapshot went stale: retrying
 * the statement alone never helps.) Prisma's adapter wraps the driver error
 * and keeps its code as `originalCode`.
 */
export function isSqliteBusy(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  const driverCode =
    typeof code === 'string'
      ? code
      : cause && typeof cause === 'object'
        ? (cause as { originalCode?: unknown }).originalCode
        : undefined;
  return typeof driverCode === 'string' && RETRYABLE_BUSY.test(driverCode);
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY or `timeoutMs` has
 * passed, pausing 5, 10, 20 … 100 ms between attempts without blocking the
 * event loop. Only for work that has no effect when it fails busy: a BEGIN
 * IMMEDIATE, a single statement in autocommit, or synchronous work in its
 * own immediate transaction.
 */
export async function whileBusy<T>(attempt: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      const left = deadline - performance.now();
      if (!isSqliteBusy(error) || left <= 0) throw error;
      await sleep(Math.min(pause, left));
    }
  }
}
