import type { Type } from '@nestjs/common';
import type { Capability } from '../config/connectors-config.js';
import { EmbeddedCrmAdapter } from './embedded/embedded-crm.adapter.js';
import { EmbeddedDeliveriesAdapter } from './embedded/embedded-deliveries.adapter.js';
import { EmbeddedInventoryAdapter } from './embedded/embedded-inventory.adapter.js';
import { EmbeddedNotificationsAdapter } from './embedded/embedded-notifications.adapter.js';
import { EmbeddedOrdersAdapter } from './embedded/embedded-orders.adapter.js';
import { EmbeddedSalesRepsAdapter } from './embedded/embedded-sales-reps.adapter.js';
import { EmbeddedTicketsAdapter } from './embedded/embedded-tickets.adapter.js';
import { DeliveriesPort } from './ports/deliveries.port.js';
import { InventoryPort } from './ports/inventory.port.js';
import { OrdersPort } from './ports/orders.port.js';
import { SalesRepsPort } from './ports/sales-reps.port.js';
import { CrmLeadsPort, NotificationsPort, TicketsPort } from './ports/sinks.port.js';

export type PortClass = abstract new (...args: never[]) => object;

export interface ConnectorPort {
  /** Its name in readiness (`connector:<name>`). */
  name: string;
  /** The CONNECTOR_* variable that binds it; null: always the embedded store. */
  capability: Capability | null;
  port: PortClass;
  embedded: Type<object>;
  /**
   * Writes reach this port through the outbox, so while its core system is
   * down they wait in the database and nothing an agent calls fails. Such a
   * port is reported in readiness but never fails it; the others are reads
   * and get the short read cache (READ_CACHE_TTL_MS).
   */
  buffered: boolean;
}

/** Every port the tools use: bound by ConnectorsModule, probed by /readyz. */
export const CONNECTOR_PORTS: readonly ConnectorPort[] = [
  {
    name: 'inventory',
    capability: 'inventory',
    port: InventoryPort,
    embedded: EmbeddedInventoryAdapter,
    buffered: false,
  },
  {
    name: 'orders',
    capability: 'orders',
    port: OrdersPort,
    embedded: EmbeddedOrdersAdapter,
    buffered: false,
  },
  {
    name: 'deliveries',
    capability: 'deliveries',
    port: DeliveriesPort,
    embedded: EmbeddedDeliveriesAdapter,
    buffered: false,
  },
  {
    name: 'salesReps',
    capability: null,
    port: SalesRepsPort,
    embedded: EmbeddedSalesRepsAdapter,
    buffered: false,
  },
  {
    name: 'tickets',
    capability: 'tickets',
    port: TicketsPort,
    embedded: EmbeddedTicketsAdapter,
    buffered: true,
  },
  {
    name: 'crmLeads',
    capability: 'leads',
    port: CrmLeadsPort,
    embedded: EmbeddedCrmAdapter,
    buffered: true,
  },
  {
    name: 'notifications',
    capability: 'notifications',
    port: NotificationsPort,
    embedded: EmbeddedNotificationsAdapter,
    buffered: true,
  },
];
