import { Global, Module } from '@nestjs/common';
import type { Provider, Type } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/app-config.js';
import type { Capability } from '../config/connectors-config.js';
import {
  createConnectorContext,
  type CapabilityPorts,
  type ConnectorContext,
} from './connector-registry.js';
import { EmbeddedCrmAdapter } from './embedded/embedded-crm.adapter.js';
import { EmbeddedDeliveriesAdapter } from './embedded/embedded-deliveries.adapter.js';
import { EmbeddedInventoryAdapter } from './embedded/embedded-inventory.adapter.js';
import { EmbeddedNotificationsAdapter } from './embedded/embedded-notifications.adapter.js';
import { EmbeddedOrdersAdapter } from './embedded/embedded-orders.adapter.js';
import { EmbeddedSalesRepsAdapter } from './embedded/embedded-sales-reps.adapter.js';
import { EmbeddedTicketsAdapter } from './embedded/embedded-tickets.adapter.js';
import { instrumentPort } from './instrument-port.js';
import { DeliveriesPort } from './ports/deliveries.port.js';
import { InventoryPort } from './ports/inventory.port.js';
import { OrdersPort } from './ports/orders.port.js';
import { SalesRepsPort } from './ports/sales-reps.port.js';
import { CrmLeadsPort, NotificationsPort, TicketsPort } from './ports/sinks.port.js';
import { cachedReads } from './read-cache.js';
import { REMOTE_SYSTEMS } from './remote-systems.js';

const CONNECTOR_CONTEXT = Symbol('CONNECTOR_CONTEXT');

interface CapabilityBinding {
  capability: Capability;
  port: abstract new (...args: never[]) => object;
  embedded: Type<object>;
  /** Read-only ports get the short read cache (READ_CACHE_TTL_MS). */
  reads: boolean;
}

const CAPABILITIES: CapabilityBinding[] = [
  { capability: 'inventory', port: InventoryPort, embedded: EmbeddedInventoryAdapter, reads: true },
  { capability: 'orders', port: OrdersPort, embedded: EmbeddedOrdersAdapter, reads: true },
  {
    capability: 'deliveries',
    port: DeliveriesPort,
    embedded: EmbeddedDeliveriesAdapter,
    reads: true,
  },
  { capability: 'tickets', port: TicketsPort, embedded: EmbeddedTicketsAdapter, reads: false },
  { capability: 'leads', port: CrmLeadsPort, embedded: EmbeddedCrmAdapter, reads: false },
  {
    capability: 'notifications',
    port: NotificationsPort,
    embedded: EmbeddedNotificationsAdapter,
    reads: false,
  },
];

/** Port names in metrics and audit rows, e.g. `inventory.getStock`, `crmleads.pushLead`. */
function portName(port: abstract new (...args: never[]) => object): string {
  return port.name.replace(/Port$/, '').toLowerCase();
}

function bind(b: CapabilityBinding): Provider {
  return {
    provide: b.port,
    inject: [APP_CONFIG, CONNECTOR_CONTEXT, b.embedded],
    useFactory: (config: AppConfig, context: ConnectorContext, embedded: object) => {
      const system = config.connectors.bindings[b.capability];
      let adapter: object = embedded;
      if (system !== 'embedded') {
        const create = REMOTE_SYSTEMS[system][b.capability] as
          ((c: ConnectorContext) => CapabilityPorts[Capability]) | undefined;
        if (!create) {
          throw new ConfigError(`the ${system} connector cannot serve ${b.capability}`);
        }
        adapter = create(context);
      }
      const measured = instrumentPort(adapter, system, portName(b.port));
      return b.reads ? cachedReads(measured, config.readCacheTtlMs) : measured;
    },
  };
}

/**
 * Binds every port to the system chosen for its capability (CONNECTOR_*,
 * SPEC §6): the embedded store by default, or Odoo, ERPNext, Jira or a signed
 * webhook. Every binding is instrumented the same way, so audit rows and
 * metrics name the system and operation of each upstream call. Sales reps
 * (lead assignment) always come from the embedded store.
 */
const PROVIDERS: Provider[] = [
  {
    provide: CONNECTOR_CONTEXT,
    inject: [APP_CONFIG, Clock],
    useFactory: createConnectorContext,
  },
  ...CAPABILITIES.map((b) => b.embedded),
  ...CAPABILITIES.map(bind),
  EmbeddedSalesRepsAdapter,
  {
    provide: SalesRepsPort,
    inject: [EmbeddedSalesRepsAdapter, APP_CONFIG],
    useFactory: (impl: object, config: AppConfig) =>
      cachedReads(instrumentPort(impl, 'embedded', 'salesreps'), config.readCacheTtlMs),
  },
];

@Global()
@Module({
  providers: PROVIDERS,
  exports: [...CAPABILITIES.map((b) => b.port), SalesRepsPort],
})
export class ConnectorsModule {}
