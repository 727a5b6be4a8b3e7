import { refusesMessage } from '../http/sink-refusal.js';
import { PermanentDeliveryError } from '../ports/sinks.port.js';

/**
 * What the outbox should see for a failed Jira call: a PermanentDeliveryError
 * when Jira refused the issue itself (400 with field errors), otherwise the
 * UpstreamError unchanged so the delivery is retried with backoff — including
 * 401/403/404, which are about Gatehouse's configuration (sink-refusal.ts).
 */
export function jiraDeliveryError(error: unknown, action: string): unknown {
  if (!refusesMessage(error)) return error;
  const status = error.upstreamStatus ?? 0;
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
