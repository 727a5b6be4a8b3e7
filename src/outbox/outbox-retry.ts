import { PermanentDeliveryError } from '../connectors/ports/sinks.port.js';
import { UpstreamError } from '../connectors/ports/upstream.error.js';

export const RETRY_BASE_MS = 2_000;
export const RETRY_CAP_MS = 10 * 60_000;
const MAX_ERROR_LENGTH = 200;

/**
 * Delay before retry number `attempt` (1-based): exponential, capped, with
 * "equal jitter" (half fixed, half random) so failed messages do not retry in lockstep.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * How long a message that keeps failing is retried before it is dead-lettered:
 * the sum of the delays between its `maxAttempts` attempts (the time the
 * attempts themselves take, and longer waits a core system asks for, come on
 * top). `random` 0 gives the shortest window, 1 the longest.
 */
export function retryWindowMs(maxAttempts: number, random: () => number = Math.random): number {
  let total = 0;
  for (let attempt = 1; attempt < maxAttempts; attempt++) total += retryDelayMs(attempt, random);
  return total;
}

/**
 * The delay before the next attempt after `error`: the backoff, or longer when
 * the core system said how long to wait (`Retry-After` on a 429 or 503), up to
 * the cap, so a rate-limited Jira is not asked again before it allows it.
 */
export function retryDelayAfter(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): number {
  const backoff = retryDelayMs(attempt, random);
  const asked = error instanceof UpstreamError ? error.retryAfterMs : undefined;
  return asked === undefined ? backoff : Math.max(backoff, Math.min(asked, RETRY_CAP_MS));
}

/**
 * A short description of a delivery failure for `lastError`. Upstream messages
 * can carry URLs, tokens or payload fragments, so only known-safe text is kept.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof UpstreamError) {
    const status = error.upstreamStatus === undefined ? '' : ` (status ${error.upstreamStatus})`;
    return `${error.system} ${error.operation} failed${status}`.slice(0, MAX_ERROR_LENGTH);
  }
  if (error instanceof Error) {
    const message = error.message
      .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]')
      .replace(/[A-Za-z0-9_\-+/=.]{24,}/g, '[redacted]')
      .replace(/\s+/g, ' ')
      .trim();
    return `${error.name}${message ? `: ${message}` : ''}`.slice(0, MAX_ERROR_LENGTH);
  }
  return 'unknown delivery error';
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentDeliveryError;
}
