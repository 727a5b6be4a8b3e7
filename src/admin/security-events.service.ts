import { Injectable, Logger } from '@nestjs/common';

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
  /** The id of the secret, key or signing key, never its value. */
  credentialId?: string;
  actor?: string;
}

/**
 * Credential lifecycle events. They go to the audit trail once it exists
 * (see docs/security.md); until then they are logged, ids only.
 */
@Injectable()
export class SecurityEventsService {
  private readonly logger = new Logger('SecurityEvents');

  record(type: SecurityEventType, details: SecurityEventDetails): Promise<void> {
    this.logger.log({ event: type, ...details });
    return Promise.resolve();
  }
}
