import type { ConnectorContext, SystemConnector } from '../connector-registry.js';
import { ErpNextDeliveriesAdapter } from './erpnext-deliveries.adapter.js';
import { ErpNextInventoryAdapter } from './erpnext-inventory.adapter.js';
import { ErpNextLeadsAdapter } from './erpnext-leads.adapter.js';
import { ErpNextOrdersAdapter } from './erpnext-orders.adapter.js';
import { ErpNextRestClient } from './erpnext-rest.client.js';
import { ErpNextTicketsAdapter } from './erpnext-tickets.adapter.js';

/** One client per app: every capability bound to ERPNext shares its circuit breaker. */
function client(context: ConnectorContext): ErpNextRestClient {
  return context.shared('erpnext', () => {
    const { erpnext, upstream } = context.config.connectors;
    // loadConfig requires the ERPNEXT_* variables whenever a capability is bound to erpnext.
    if (!erpnext) throw new Error('ERPNext connector used without ERPNEXT_* settings');
    return new ErpNextRestClient(erpnext, upstream);
  });
}

export const erpnextConnector: SystemConnector = {
  inventory: (c) => new ErpNextInventoryAdapter(client(c), c.clock),
  orders: (c) => new ErpNextOrdersAdapter(client(c)),
  deliveries: (c) => new ErpNextDeliveriesAdapter(client(c)),
  tickets: (c) => new ErpNextTicketsAdapter(client(c)),
  leads: (c) => new ErpNextLeadsAdapter(client(c)),
};
