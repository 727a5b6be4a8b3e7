import { refusesMessage } from '../http/sink-refusal.js';
import { PermanentDeliveryError, type SinkReceipt } from '../ports/sinks.port.js';
import { OdooRpcError, type OdooRpcClient } from './odoo-rpc.client.js';
import { text } from './odoo-values.js';

/**
 * The token a sink writes into the record's description. Searching for it
 * before creating makes a redelivery of the same outbox message (after a crash
 * between create and acknowledge) return the first record instead of a second.
 */
export function deliveryMarker(messageId: string): string {
  return `[gatehouse-message:${messageId}]`;
}

export function odooReference(model: string, id: number): SinkReceipt {
  return { reference: `odoo:${model}:${id}` };
}

/**
 * Creates one record per outbox message on `model`. Validation refusals are
 * permanent (asking again cannot help); access refusals, timeouts, 5xx and an
 * open circuit stay UpstreamErrors so the outbox retries.
 */
export async function createOnce(
  rpc: OdooRpcClient,
  model: string,
  messageId: string,
  values: (marker: string) => Record<string, unknown>,
): Promise<SinkReceipt> {
  const marker = deliveryMarker(messageId);
  try {
    // Archived records count: a lead marked lost right away was still delivered.
    const found = await rpc.searchRead(
      model,
      [
        ['description', 'ilike', marker],
        ['active', 'in', [true, false]],
      ],
      { fields: ['description'], order: 'id asc', limit: 10 },
    );
    // ilike reads "_" and "%" as wildcards; only the exact, bracketed marker is this message.
    const existing = found.find((row) => text(row.description).includes(marker));
    if (existing) return odooReference(model, Number(existing.id));
    return odooReference(model, await rpc.create(model, values(marker)));
  } catch (error) {
    throw asDeliveryError(model, error);
  }
}

/**
 * Only a refusal of the record itself is permanent. An AccessError is about
 * the API user's rights, like a 401/403/404 about Gatehouse's configuration
 * (sink-refusal.ts): retried, so granting the rights delivers the backlog.
 */
function asDeliveryError(model: string, error: unknown): unknown {
  if (error instanceof OdooRpcError && error.fault === 'rejected') {
    return new PermanentDeliveryError(`odoo refused ${error.operation} (${error.fault})`);
  }
  if (refusesMessage(error)) {
    return new PermanentDeliveryError(
      `odoo refused ${model} with HTTP ${error.upstreamStatus ?? 0}`,
    );
  }
  return error;
}

/** Plain text as Odoo's HTML description fields expect it, one paragraph per line. */
export function toHtml(lines: readonly (string | null | undefined)[]): string {
  return lines
    .filter((line): line is string => typeof line === 'string' && line.trim() !== '')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Reads a payload field that the services always fill as a string or null. */
export function field(payload: Record<string, unknown>, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
