import type { OdooSettings } from '../../config/connectors-config.js';
import { TicketsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import { createOnce, field, toHtml } from './odoo-sink.js';

/** Helpdesk has four stars (0-3); a project task only "normal" (0) and "high" (1). */
const PRIORITY: Record<OdooSettings['ticketModel'], Record<string, string>> = {
  'helpdesk.ticket': { low: '0', normal: '1', high: '2', urgent: '3' },
  'project.task': { low: '0', normal: '0', high: '1', urgent: '1' },
};

export type OdooTicketSettings = Pick<
  OdooSettings,
  'ticketModel' | 'ticketProjectId' | 'helpdeskTeamId'
>;

/**
 * Internal requests become Helpdesk tickets or project tasks (ODOO_TICKET_MODEL),
 * in the configured team (ODOO_HELPDESK_TEAM_ID) or project (ODOO_TICKET_PROJECT_ID).
 */
export class OdooTicketsAdapter extends TicketsPort {
  private readonly model: OdooSettings['ticketModel'];

  constructor(
    private readonly rpc: OdooRpcClient,
    private readonly settings: OdooTicketSettings,
  ) {
    super();
    this.model = settings.ticketModel;
  }

  createTicket({ messageId, payload }: SinkDelivery): Promise<SinkReceipt> {
    return createOnce(this.rpc, this.model, messageId, (marker) => {
      const requester = requesterOf(payload.requester);
      const values: Record<string, unknown> = {
        name: field(payload, 'summary') ?? 'Request from Gatehouse',
        description: toHtml([
          field(payload, 'description'),
          `Type: ${field(payload, 'type') ?? 'other'}`,
          requester.name || requester.email || requester.team
            ? `Requester: ${[requester.name, requester.email, requester.team].filter(Boolean).join(', ')}`
            : null,
          prefixed('Related order', field(payload, 'relatedOrderNumber')),
          prefixed('Related SKU', field(payload, 'relatedSku')),
          prefixed('Conversation', field(payload, 'conversationId')),
          prefixed('Gatehouse request', field(payload, 'requestId')),
          marker,
        ]),
        priority: PRIORITY[this.model][field(payload, 'priority') ?? 'normal'] ?? '0',
      };
      if (this.model === 'helpdesk.ticket') {
        if (requester.email) values.partner_email = requester.email;
        if (requester.name) values.partner_name = requester.name;
        // Without a team Odoo picks one (the API user's, else the first): rarely the right queue.
        if (this.settings.helpdeskTeamId !== undefined) {
          values.team_id = this.settings.helpdeskTeamId;
        }
      } else if (this.settings.ticketProjectId !== undefined) {
        // Odoo refuses a create naming an unknown project (MissingError or ValidationError): dead letter.
        values.project_id = this.settings.ticketProjectId;
      }
      return values;
    });
  }

  ping(signal: AbortSignal): Promise<void> {
    return this.rpc.ping(signal);
  }
}

function prefixed(label: string, value: string | null): string | null {
  return value === null ? null : `${label}: ${value}`;
}

function requesterOf(value: unknown): { name?: string; email?: string; team?: string } {
  if (typeof value !== 'object' || value === null) return {};
  const r = value as Record<string, unknown>;
  return {
    ...(typeof r.name === 'string' ? { name: r.name } : {}),
    ...(typeof r.email === 'string' ? { email: r.email } : {}),
    ...(typeof r.team === 'string' ? { team: r.team } : {}),
  };
}
