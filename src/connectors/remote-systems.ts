import type { RemoteSystem, SystemConnector } from './connector-registry.js';
import { erpnextConnector } from './erpnext/erpnext.connector.js';
import { jiraConnector } from './jira/jira.connector.js';
import { odooConnector } from './odoo/odoo.connector.js';
import { webhookConnector } from './webhook/webhook.connector.js';

/** Every real core system Gatehouse can be bound to (SPEC §6). */
export const REMOTE_SYSTEMS: Record<RemoteSystem, SystemConnector> = {
  odoo: odooConnector,
  erpnext: erpnextConnector,
  jira: jiraConnector,
  webhook: webhookConnector,
};
