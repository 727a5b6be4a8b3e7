import { Global, Module } from '@nestjs/common';
import { DeliveriesPort } from './ports/deliveries.port.js';
import { InventoryPort } from './ports/inventory.port.js';
import { OrdersPort } from './ports/orders.port.js';
import { SalesRepsPort } from './ports/sales-reps.port.js';
import { CrmLeadsPort, NotificationsPort, TicketsPort } from './ports/sinks.port.js';
import { EMBEDDED_READ_PROVIDERS } from './embedded/embedded-read.providers.js';
import { EMBEDDED_SINK_PROVIDERS } from './embedded/embedded-sinks.providers.js';

/**
 * Binds every port to an adapter. Only `embedded` exists in this build; real
 * systems (Odoo, ERPNext, Jira, webhooks) plug in here per capability.
 */
@Global()
@Module({
  providers: [...EMBEDDED_READ_PROVIDERS, ...EMBEDDED_SINK_PROVIDERS],
  exports: [InventoryPort, OrdersPort, DeliveriesPort, SalesRepsPort, TicketsPort, CrmLeadsPort, NotificationsPort],
})
export class ConnectorsModule {}
