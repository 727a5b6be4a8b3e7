import type { OdooSettings } from '../../config/connectors-config.js';
import { ConfigError } from '../../config/app-config.js';
import type { ConnectorContext, SystemConnector } from '../connector-registry.js';
import { OdooCrmAdapter } from './odoo-crm.adapter.js';
import { OdooDeliveriesAdapter } from './odoo-deliveries.adapter.js';
import { OdooInventoryAdapter } from './odoo-inventory.adapter.js';
import { OdooOrdersAdapter } from './odoo-orders.adapter.js';
import { OdooRegions } from './odoo-regions.js';
import { OdooRpcClient } from './odoo-rpc.client.js';
import { OdooTicketsAdapter } from './odoo-tickets.adapter.js';
import { OdooWarehouses } from './odoo-warehouses.js';

function settingsOf(context: ConnectorContext): OdooSettings {
  const settings = context.config.connectors.odoo;
  if (!settings)
    throw new ConfigError('ODOO_URL, ODOO_DB, ODOO_USERNAME and ODOO_API_KEY are required');
  return settings;
}

/** One login, one circuit breaker and one HTTP client for every capability bound to Odoo. */
function rpcOf(context: ConnectorContext): OdooRpcClient {
  return context.shared(
    'odoo.rpc',
    () => new OdooRpcClient(settingsOf(context), context.config.connectors.upstream),
  );
}

/** Odoo (JSON-RPC external API): see docs/connectors/odoo.md. */
export const odooConnector: SystemConnector = {
  inventory: (context) =>
    new OdooInventoryAdapter(
      rpcOf(context),
      context.shared('odoo.warehouses', () => new OdooWarehouses(rpcOf(context), context.clock)),
      context.clock,
    ),
  orders: (context) => new OdooOrdersAdapter(rpcOf(context)),
  deliveries: (context) =>
    new OdooDeliveriesAdapter(
      rpcOf(context),
      context.shared('odoo.regions', () => new OdooRegions(rpcOf(context))),
    ),
  tickets: (context) => new OdooTicketsAdapter(rpcOf(context), settingsOf(context)),
  leads: (context) => new OdooCrmAdapter(rpcOf(context)),
};
