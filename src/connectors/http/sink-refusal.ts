import { UpstreamStatusError } from './upstream-http.js';

/**
 * Refusals about Gatehouse's configuration rather than the message: bad
 * credentials (401), a user without permission or a receiver that does not
 * accept the signature (403), a wrong URL (404). A sink keeps them retryable,
 * so fixing the configuration delivers the backlog instead of dead-lettering
 * every message queued meanwhile.
 */
const CONFIGURATION_STATUSES: ReadonlySet<number> = new Set([401, 403, 404]);

/**
 * True when the core system refused this message itself (a permanent 4xx
 * that is not about Gatehouse's configuration): no retry can make it succeed.
 */
export function refusesMessage(error: unknown): error is UpstreamStatusError {
  return (
    error instanceof UpstreamStatusError &&
    error.permanent &&
    !CONFIGURATION_STATUSES.has(error.upstreamStatus ?? 0)
  );
}
