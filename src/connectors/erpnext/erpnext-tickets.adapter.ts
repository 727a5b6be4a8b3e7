import { TicketsPort, type SinkDelivery, type SinkReceipt } from '../ports/sinks.port.js';
import type { ErpNextRestClient } from './erpnext-rest.client.js';
import { field, html, insertOnce } from './erpnext-sink.js';

/** ERPNext's Issue subject is a Data field: 140 characters. */
const SUBJECT_MAX = 140;

/** ERPNext ships the Issue Priority records Low, Medium and High; there is no "Urgent". */
const PRIORITIES: Record<string, string> = {
  low: 'Low',
  normal: 'Medium',
  high: 'High',
  urgent: 'High',
};

/** Internal requests (`ticket.create`) become ERPNext `Issue` documents. */
export class ErpNextTicketsAdapter extends TicketsPort {
  constructor(private readonly client: ErpNextRestClient) {
    super();
  }

  /** Readiness (health/connectors.health.ts): one authenticated call to ERPNext. */
  ping(signal: AbortSignal): Promise<void> {
    return this.client.ping(signal);
  }

  createTicket({ messageId, payload }: SinkDelivery): Promise<SinkReceipt> {
    const summary = field(payload, 'summary') ?? 'Internal request';
    const type = field(payload, 'type') ?? 'other';
    const priority = field(payload, 'priority') ?? 'normal';
    const requester = record(payload.requester);
    const email = field(requester, 'email');
    const details: [string, string | null][] = [
      ['Type', type],
      ['Priority', priority],
      ['Requester', field(requester, 'name')],
      ['Requester email', email],
      ['Team', field(requester, 'team')],
      ['Related order', field(payload, 'relatedOrderNumber')],
      ['Related SKU', field(payload, 'relatedSku')],
      ['Conversation', field(payload, 'conversationId')],
      ['Gatehouse request', field(payload, 'requestId')],
    ];
    return insertOnce(this.client, {
      doctype: 'Issue',
      messageId,
      markerField: 'description',
      markerFilter: (pattern) => ['description', 'like', pattern],
      build: (marker) => ({
        subject: truncate(`[${type}] ${summary}`, SUBJECT_MAX),
        description: [
          `<p>${html(summary)}</p>`,
          `<p>${html(field(payload, 'description') ?? '')}</p>`,
          `<p>${details
            .filter((d): d is [string, string] => d[1] !== null)
            .map(([label, value]) => `${label}: ${html(value)}`)
            .join('<br>')}</p>`,
          `<p>${marker}</p>`,
        ].join(''),
        priority: PRIORITIES[priority] ?? 'Medium',
        ...(email !== null && { raised_by: email }),
      }),
    });
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
