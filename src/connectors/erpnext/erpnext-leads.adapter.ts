import { CrmLeadsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';
import type { ErpNextRestClient } from './erpnext-rest.client.js';
import { field, html, insertOnce } from './erpnext-sink.js';

/**
 * Leads (`crm.lead`) become ERPNext `Lead` documents. Everything without a
 * Lead field of its own (interest, channel, conversation, assigned rep) goes
 * into a CRM Note on the lead, with the message marker.
 */
export class ErpNextLeadsAdapter extends CrmLeadsPort {
  constructor(private readonly client: ErpNextRestClient) {
    super();
  }

  /** Readiness (health/connectors.health.ts): one authenticated call to ERPNext. */
  ping(signal: AbortSignal): Promise<void> {
    return this.client.ping(signal);
  }

  pushLead({ messageId, payload }: SinkDelivery): Promise<SinkReceipt> {
    const name = field(payload, 'name') ?? field(payload, 'email') ?? 'Unknown';
    const interest = record(payload.interest);
    const skus = Array.isArray(interest.skus)
      ? interest.skus.filter((s): s is string => typeof s === 'string')
      : [];
    const details: [string, string | null][] = [
      ['Interested in', skus.length > 0 ? skus.join(', ') : null],
      ['Note', field(interest, 'note')],
      ['Channel', field(payload, 'channel')],
      ['Region', field(payload, 'region')],
      ['Marketing consent', payload.consent === true ? 'yes' : 'no'],
      ['Conversation', field(payload, 'conversationId')],
      ['Assigned sales rep (Gatehouse)', field(payload, 'assignedRepId')],
      ['Gatehouse lead', field(payload, 'leadId')],
    ];
    return insertOnce(this.client, {
      doctype: 'Lead',
      messageId,
      markerTable: 'notes',
      markerField: 'note',
      markerFilter: (pattern) => ['CRM Note', 'note', 'like', pattern],
      build: (marker) => ({
        // v14+ composes lead_name from first_name; older sites read lead_name.
        first_name: name,
        lead_name: name,
        ...optional('email_id', field(payload, 'email')),
        ...optional('mobile_no', field(payload, 'phone')),
        ...optional('company_name', field(payload, 'company')),
        status: 'Lead',
        // No consent to be contacted for marketing: ERPNext keeps the lead out of newsletters.
        unsubscribed: payload.consent === true ? 0 : 1,
        notes: [
          {
            note: `<p>${details
              .filter((d): d is [string, string] => d[1] !== null)
              .map(([label, value]) => `${label}: ${html(value)}`)
              .join('<br>')}</p><p>${marker}</p>`,
          },
        ],
      }),
    });
  }
}

function optional(name: string, value: string | null): Record<string, string> {
  return value === null ? {} : { [name]: value };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
