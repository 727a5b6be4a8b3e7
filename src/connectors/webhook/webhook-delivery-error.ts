import { refusesMessage } from '../http/sink-refusal.js';
import { PermanentDeliveryError } from '../ports/sinks.port.js';

/** PermanentDeliveryError when the receiver refused the notification itself; everything else is retried. */
export function webhookDeliveryError(error: unknown): unknown {
  if (!refusesMessage(error)) return error;
  return new PermanentDeliveryError(
    `the webhook receiver refused the notification (status ${error.upstreamStatus ?? 0})`,
  );
}
