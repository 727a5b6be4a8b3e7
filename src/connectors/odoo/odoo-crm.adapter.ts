import { CrmLeadsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import { createOnce, field, toHtml } from './odoo-sink.js';

/**
 * Leads become CRM leads (`crm.lead`, type `lead`), left unassigned: the rep
 * Gatehouse picked comes from its own directory, which has no Odoo user ids.
 * Odoo's own assignment rules (CRM > Teams) apply as for any new lead.
 */
export class OdooCrmAdapter extends CrmLeadsPort {
  constructor(private readonly rpc: OdooRpcClient) {
    super();
  }

  pushLead({ messageId, payload }: SinkDelivery): Promise<SinkReceipt> {
    return createOnce(this.rpc, 'crm.lead', messageId, (marker) => {
      const name = field(payload, 'name') ?? 'Unnamed prospect';
      const company = field(payload, 'company');
      const interest = interestOf(payload.interest);
      const source = payload.source as { clientName?: unknown } | null | undefined;
      const values: Record<string, unknown> = {
        type: 'lead',
        name: company ? `${company} (${name})` : name,
        contact_name: name,
        description: toHtml([
          interest.note,
          interest.skus.length > 0 ? `Products: ${interest.skus.join(', ')}` : null,
          `Channel: ${field(payload, 'channel') ?? 'unknown'}`,
          `Region: ${field(payload, 'region') ?? 'not given'}`,
          `Consent to contact: ${payload.consent === true ? 'yes' : 'no'}`,
          typeof source?.clientName === 'string' ? `Via: ${source.clientName}` : null,
          field(payload, 'conversationId') && `Conversation: ${field(payload, 'conversationId')}`,
          field(payload, 'leadId') && `Gatehouse lead: ${field(payload, 'leadId')}`,
          marker,
        ]),
      };
      if (company) values.partner_name = company;
      const email = field(payload, 'email');
      if (email) values.email_from = email;
      const phone = field(payload, 'phone');
      if (phone) values.phone = phone;
      return values;
    });
  }

  ping(signal: AbortSignal): Promise<void> {
    return this.rpc.ping(signal);
  }
}

function interestOf(value: unknown): { skus: string[]; note: string | null } {
  if (typeof value !== 'object' || value === null) return { skus: [], note: null };
  const { skus, note } = value as { skus?: unknown; note?: unknown };
  return {
    skus: Array.isArray(skus) ? skus.filter((s): s is string => typeof s === 'string') : [],
    note: typeof note === 'string' && note.trim() !== '' ? note : null,
  };
}
