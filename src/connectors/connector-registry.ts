import type { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { Capability, ConnectorSystem } from '../config/connectors-config.js';
import type { DeliveriesPort } from './ports/deliveries.port.js';
import type { InventoryPort } from './ports/inventory.port.js';
import type { OrdersPort } from './ports/orders.port.js';
import type { CrmLeadsPort, NotificationsPort, TicketsPort } from './ports/sinks.port.js';

/** The port each capability is served through. */
export interface CapabilityPorts {
  inventory: InventoryPort;
  orders: OrdersPort;
  deliveries: DeliveriesPort;
  tickets: TicketsPort;
  leads: CrmLeadsPort;
  notifications: NotificationsPort;
}

/** What a system's adapter factories receive. */
export interface ConnectorContext {
  config: AppConfig;
  clock: Clock;
  /**
   * One instance per key for the life of the app, so every capability bound to
   * a system shares its HTTP client, circuit breaker and session.
   */
  shared<T>(key: string, create: () => T): T;
}

/** The adapters one core system provides, by capability. */
export type SystemConnector = {
  [C in Capability]?: (context: ConnectorContext) => CapabilityPorts[C];
};

export type RemoteSystem = Exclude<ConnectorSystem, 'embedded'>;

export function createConnectorContext(config: AppConfig, clock: Clock): ConnectorContext {
  const instances = new Map<string, unknown>();
  return {
    config,
    clock,
    shared<T>(key: string, create: () => T): T {
      if (!instances.has(key)) instances.set(key, create());
      return instances.get(key) as T;
    },
  };
}
