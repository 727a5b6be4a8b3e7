import { PermanentDeliveryError } from '../ports/sinks.port.js';
import { UpstreamStatusError } from '../http/upstream-http.js';

/**
 * Refusals about Gatehouse's configuration, not about the message: bad
 * credentials (401), a user without permission (403), a wrong JIRA_URL (404).
 * They stay retryable, so fixing the configuration delivers the backlog
 * instead of dead-lettering every ticket queued meanwhile.
 */
const CONFIGURATION_STATUSES: ReadonlySet<number> = new Set([401, 403, 404]);

/**
 * What the outbox should see for a failed Jira call: a PermanentDeliveryError
 * when Jira refused the issue itself (400 with field errors), otherwise the
 * UpstreamError unchanged so the delivery is retried with backoff.
 */
export function jiraDeliveryError(error: unknown, action: string): unknown {
  if (!(error instanceof UpstreamStatusError) || !error.permanent) return error;
  const status = error.upstreamStatus ?? 0;
  if (CONFIGURATION_STATUSES.has(status)) return error;
  const fields = rejectedFields(error.body);
  const which = fields.length > 0 ? `, fields: ${fields.join(', ')}` : '';
  return new PermanentDeliveryError(`jira refused to ${action} (status ${status}${which})`);
}

/**
 * Only the names of the fields Jira complained about (`summary`,
 * `customfield_10010`): identifiers an operator needs, never Jira's messages,
 * which can quote the payload.
 */
function rejectedFields(body: unknown): string[] {
  if (body === null || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown }).errors;
  if (errors === null || typeof errors !== 'object') return [];
  return Object.keys(errors)
    .filter((name) => /^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(name))
    .slice(0, 5);
}
