import { Prisma } from '../generated/sqlite/client.js';

/** What an agent is told when the store is the reason a request failed. */
export const STORE_UNAVAILABLE_DETAIL =
  "Gatehouse's database did not answer. Retry shortly; a write's Idempotency-Key makes the retry safe.";

/**
 * SQLSTATE classes and codes that mean PostgreSQL cannot be reached, is
 * refusing work or took too long (57014: a statement timeout, e.g. waiting on
 * the audit chain head's lock).
 */
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|57014|53300)$/;
/** Socket errors from connecting to, or talking with, a database server. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
]);
/** SQLite cannot take the write now: locked beyond the busy timeout, the file gone or the disk full. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/;
/**
 * Prisma's codes for an unreachable server, a timed-out operation, a lost
 * connection, an exhausted pool, and a transaction that could not start (or
 * ran out of time) because the store was locked or saturated.
 */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** pg and pg-pool raise these without a code. */
const PG_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect)/;

/**
 * True when a request failed because the database is unreachable or refusing
 * work, rather than because of the request or a bug: such failures answer
 * 503 with Retry-After, since the same request will succeed once the store
 * is back (and a write's Idempotency-Key makes the retry safe).
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof Prisma.PrismaClientInitializationError) return true;
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (e instanceof Prisma.PrismaClientKnownRequestError && PRISMA_UNAVAILABLE.has(code)) {
        return true;
      }
      if (NETWORK.has(code) || SQLITE_UNAVAILABLE.test(code) || PG_UNAVAILABLE.test(code)) {
        return true;
      }
    }
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
    e = cause;
  }
  return false;
}
