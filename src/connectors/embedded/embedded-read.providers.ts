import type { Provider } from '@nestjs/common';
import { DeliveriesPort } from '../ports/deliveries.port.js';
import { InventoryPort } from '../ports/inventory.port.js';
import { OrdersPort } from '../ports/orders.port.js';
import { SalesRepsPort } from '../ports/sales-reps.port.js';
import { EmbeddedDeliveriesAdapter } from './embedded-deliveries.adapter.js';
import { EmbeddedInventoryAdapter } from './embedded-inventory.adapter.js';
import { EmbeddedOrdersAdapter } from './embedded-orders.adapter.js';
import { EmbeddedSalesRepsAdapter } from './embedded-sales-reps.adapter.js';

/** Binds the read ports (inventory, orders, deliveries, sales reps) to the embedded store. */
export const EMBEDDED_READ_PROVIDERS: Provider[] = [
  { provide: InventoryPort, useClass: EmbeddedInventoryAdapter },
  { provide: OrdersPort, useClass: EmbeddedOrdersAdapter },
  { provide: DeliveriesPort, useClass: EmbeddedDeliveriesAdapter },
  { provide: SalesRepsPort, useClass: EmbeddedSalesRepsAdapter },
];
