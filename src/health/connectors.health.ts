import { Injectable, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DeliveriesPort } from '../connectors/ports/deliveries.port.js';
import { InventoryPort } from '../connectors/ports/inventory.port.js';
import { OrdersPort } from '../connectors/ports/orders.port.js';
import { SalesRepsPort } from '../connectors/ports/sales-reps.port.js';
import { CrmLeadsPort, NotificationsPort, TicketsPort } from '../connectors/ports/sinks.port.js';

export const CONNECTOR_CHECK_TIMEOUT_MS = 3_000;

/**
 * What a connector adapter implements to take part in readiness: a cheap
 * request to its core system (Odoo `version`, ERPNext `ping`, Jira
 * `serverInfo`). Adapters without it are served from Gatehouse's own store
 * (embedded) and are exactly as ready as the database.
 */
export interface ConnectorProbe {
  ping(signal: AbortSignal): Promise<void>;
}

/**
 * `buffered`: writes reach this port through the outbox, so while its core
 * system is down they wait in the database and nothing an agent calls fails.
 * Such a port is reported (`upstream: "down"`) but does not fail readiness:
 * a help desk outage must not take inventory lookups out of rotation.
 */
export const CONNECTOR_PORTS: readonly (readonly [
  string,
  Type<object> | (abstract new () => object),
  { buffered: boolean },
])[] = [
  ['inventory', InventoryPort, { buffered: false }],
  ['orders', OrdersPort, { buffered: false }],
  ['deliveries', DeliveriesPort, { buffered: false }],
  ['salesReps', SalesRepsPort, { buffered: false }],
  ['tickets', TicketsPort, { buffered: true }],
  ['crmLeads', CrmLeadsPort, { buffered: true }],
  ['notifications', NotificationsPort, { buffered: true }],
];

function isProbe(adapter: object): adapter is ConnectorProbe {
  return typeof (adapter as Partial<ConnectorProbe>).ping === 'function';
}

/** One readiness entry per bound connector port. */
@Injectable()
export class ConnectorsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** `databaseUp` settles with the database check of the same probe. */
  checks(databaseUp: Promise<boolean>): (() => PromiseLike<HealthIndicatorResult>)[] {
    return CONNECTOR_PORTS.flatMap(([name, port, { buffered }]) => {
      const adapter = this.resolve(port);
      if (!adapter) return [];
      return [
        () =>
          this.health
            .check(`connector:${name}`)
            .attempt(async ({ signal }) => {
              if (!isProbe(adapter)) {
                if (!(await databaseUp)) throw new Error('the embedded store is unavailable');
                return { via: 'database' };
              }
              if (!buffered) {
                await adapter.ping(signal);
                return { via: 'ping' };
              }
              // Its own, shorter deadline: a slow help desk is reported, never a failed check.
              const deadline = AbortSignal.any([
                signal,
                AbortSignal.timeout(CONNECTOR_CHECK_TIMEOUT_MS - 500),
              ]);
              const upstream = adapter.ping(deadline).then(
                () => 'up',
                () => 'down',
              );
              if (!(await databaseUp)) throw new Error('the outbox is unavailable');
              return { via: 'ping', upstream: await upstream, writes: 'queued in the outbox' };
            })
            .withTimeout(CONNECTOR_CHECK_TIMEOUT_MS),
      ];
    });
  }

  private resolve(port: Type<object> | (abstract new () => object)): object | undefined {
    try {
      return this.moduleRef.get<object>(port, { strict: false });
    } catch {
      return undefined;
    }
  }
}
