import { Injectable } from '@nestjs/common';
import { AuditWriter } from '../audit/audit-writer.service.js';

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
  | 'auth.failed';

export interface SecurityEventDetails {
  clientId?: string;
  /** The id of the secret, key or signing key: never its value. */
  credentialId?: string;
  /** Who acted: the admin client id, or "cli". */
  actor?: string;
  requestId?: string;
}

/** Credential lifecycle events, written to the audit trail (kind "security"). */
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
      request: { event: type, actor: details.actor ?? null },
    });
  }
}
