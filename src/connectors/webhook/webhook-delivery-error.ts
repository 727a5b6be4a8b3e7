import { UpstreamStatusError } from '../http/upstream-http.js';
import { PermanentDeliveryError } from '../ports/sinks.port.js';

/**
 * Refusals about Gatehouse's configuration rather than the message: the
 * receiver does not accept the signature (401/403: a secret being rotated, a
 * clock off) or the URL is wrong (404). Retried, so fixing the configuration
 * delivers the backlog instead of dead-lettering it.
 */
const CONFIGURATION_STATUSES: ReadonlySet<number> = new Set([401, 403, 404]);

/** PermanentDeliveryError for any other 4xx but 408/425/429; everything else is retried. */
export function webhookDeliveryError(error: unknown): unknown {
  if (!(error instanceof UpstreamStatusError) || !error.permanent) return error;
  const status = error.upstreamStatus ?? 0;
  if (CONFIGURATION_STATUSES.has(status)) return error;
  return new PermanentDeliveryError(
    `the webhook receiver refused the notification (status ${status})`,
  );
}
