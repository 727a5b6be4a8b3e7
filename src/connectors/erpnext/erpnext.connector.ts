import type { ErpNextSettings } from '../../config/connectors-config.js';
import type { ConnectorContext, SystemConnector } from '../connector-registry.js';
import { ErpNextDeliveriesAdapter } from './erpnext-deliveries.adapter.js';
import { ErpNextInventoryAdapter } from './erpnext-inventory.adapter.js';
import { ErpNextLeadsAdapter } from './erpnext-leads.adapter.js';
import { ErpNextOrdersAdapter } from './erpnext-orders.adapter.js';
import { ErpNextRestClient } from './erpnext-rest.client.js';
import { ErpNextTicketsAdapter } from './erpnext-tickets.adapter.js';
import { FrappeTimeZone } from './erpnext-time.js';

function settingsOf(context: ConnectorContext): ErpNextSettings {
  const { erpnext } = context.config.connectors;
  // loadConfig requires the ERPNEXT_* variables whenever a capability is bound to erpnext.
  if (!erpnext) throw new Error('ERPNext connector used without ERPNEXT_* settings');
  return erpnext;
}

/** One client per app: every capability bound to ERPNext shares its circuit breaker. */
function client(context: ConnectorContext): ErpNextRestClient {
  return context.shared(
    'erpnext',
    () => new ErpNextRestClient(settingsOf(context), context.config.connectors.upstream),
  );
}

/** The site's time zone, in which Frappe stores every date and datetime. */
function zone(context: ConnectorContext): FrappeTimeZone {
  return context.shared('erpnext.zone', () => new FrappeTimeZone(settingsOf(context).timeZone));
}

export const erpnextConnector: SystemConnector = {
  inventory: (c) => new ErpNextInventoryAdapter(client(c), c.clock, zone(c)),
  orders: (c) => new ErpNextOrdersAdapter(client(c), zone(c)),
  deliveries: (c) => new ErpNextDeliveriesAdapter(client(c), zone(c)),
  tickets: (c) => new ErpNextTicketsAdapter(client(c)),
  leads: (c) => new ErpNextLeadsAdapter(client(c)),
};
