import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CONNECTOR_PORTS, type PortClass } from '../connectors/connector-ports.js';

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
    return CONNECTOR_PORTS.flatMap(({ name, port, buffered }) => {
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

  private resolve(port: PortClass): object | undefined {
    try {
      return this.moduleRef.get<object>(port, { strict: false });
    } catch {
      return undefined;
    }
  }
}
