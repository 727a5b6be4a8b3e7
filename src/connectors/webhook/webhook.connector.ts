import { ConfigError } from '../../config/app-config.js';
import type { SystemConnector } from '../connector-registry.js';
import { UpstreamHttp } from '../http/upstream-http.js';
import { WebhookNotificationsAdapter } from './webhook-notifications.adapter.js';
import { webhookKey } from './webhook-signature.js';

/** A signed webhook serves notifications only (SPEC §6); see docs/connectors/webhook.md. */
export const webhookConnector: SystemConnector = {
  notifications: (context) => {
    const settings = context.config.connectors.webhook;
    if (!settings) {
      throw new ConfigError(
        'the webhook connector is bound but NOTIFY_WEBHOOK_* is not configured',
      );
    }
    const http = context.shared(
      'webhook.http',
      () =>
        new UpstreamHttp({
          system: 'webhook',
          baseUrl: settings.url,
          settings: context.config.connectors.upstream,
          headers: () => ({ 'user-agent': 'Gatehouse-Webhooks/1' }),
        }),
    );
    return new WebhookNotificationsAdapter(http, webhookKey(settings.secret), context.clock);
  },
};
