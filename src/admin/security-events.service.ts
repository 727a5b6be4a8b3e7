import { Injectable } from '@nestjs/common';
import { AuditWriter } from '../audit/audit-writer.service.js';
import { redact } from '../audit/redaction.js';

export type SecurityEventType =
  | 'client.created'
  | 'client.updated'
  | 'client.disabled'
  | 'secret.rotated'
  | 'secret.revoked'
  | 'api_key.created'
  | 'api_key.rotated'
  | 'api_key.revoked'
  | 'signing_key.rotated'
  | 'signing_key.revoked'
  | 'auth.failed'
  | 'internal_request.approved'
  | 'internal_request.rejected'
  | 'outbox.retried';

export interface SecurityEventDetails {
  clientId?: string;
  /** The id of the secret, key or signing key: never its value. */
  credentialId?: string;
  /** Who acted: the admin client id, or "cli". */
  actor?: string;
  requestId?: string;
  /** The record acted on when it is not a credential, e.g. an internal request id. */
  subject?: string;
  /** Free text from staff (a rejection reason); masked as the audit trail masks request bodies. */
  reason?: string;
}

/** Credential lifecycle and staff review events, written to the audit trail (kind "security"). */
@Injectable()
export class SecurityEventsService {
  constructor(private readonly writer: AuditWriter) {}

  record(
    type: SecurityEventType,
    details: SecurityEventDetails,
    transport: 'http' | 'cli' = 'http',
  ): Promise<void> {
    return this.writer.append({
      kind: 'security',
      transport,
      outcome: type === 'auth.failed' ? 'denied' : 'recorded',
      requestId: details.requestId ?? null,
      clientId: details.clientId ?? null,
      credentialId: details.credentialId ?? null,
      request: {
        event: type,
        actor: details.actor ?? null,
        ...(details.subject !== undefined ? { subject: details.subject } : {}),
        ...(details.reason !== undefined ? { reason: redact(details.reason) } : {}),
      },
    });
  }
}
