import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
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

interface RecentPing {
  outcome: Promise<void>;
  /** performance.now() when the ping settled; undefined while it runs. */
  settledAt?: number;
}

/** One readiness entry per bound connector port. */
@Injectable()
export class ConnectorsHealthIndicator {
  private readonly recent = new Map<ConnectorProbe, RecentPing>();
  private readonly cacheMs: number;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cacheMs = config.readinessPingCacheMs;
  }

  /** `databaseUp` settles with the database check of the same probe. */
  checks(databaseUp: Promise<boolean>): (() => PromiseLike<HealthIndicatorResult>)[] {
    return CONNECTOR_PORTS.flatMap(({ name, port, buffered }) => {
      const adapter = this.resolve(port);
      if (!adapter) return [];
      return [
        () =>
          this.health
            .check(`connector:${name}`)
            .attempt(async () => {
              if (!isProbe(adapter)) {
                if (!(await databaseUp)) throw new Error('the embedded store is unavailable');
                return { via: 'database' };
              }
              if (!buffered) {
                await this.ping(adapter);
                return { via: 'ping' };
              }
              const upstream = this.ping(adapter).then(
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

  /**
   * /readyz is public and every ping is an authenticated call to a core
   * system: concurrent probes share one ping, and its outcome answers every
   * probe for READINESS_PING_CACHE_MS, so probes cannot spend the core
   * system's quota or feed its circuit breaker. The ping's own deadline is
   * shorter than the check's, so a slow help desk is reported, not timed out.
   */
  private ping(adapter: ConnectorProbe): Promise<void> {
    const last = this.recent.get(adapter);
    if (
      last &&
      (last.settledAt === undefined || performance.now() - last.settledAt < this.cacheMs)
    ) {
      return last.outcome;
    }
    const entry: RecentPing = {
      outcome: adapter.ping(AbortSignal.timeout(CONNECTOR_CHECK_TIMEOUT_MS - 500)),
    };
    const settled = (): void => {
      entry.settledAt = performance.now();
    };
    entry.outcome.then(settled, settled);
    this.recent.set(adapter, entry);
    return entry.outcome;
  }

  private resolve(port: PortClass): object | undefined {
    try {
      return this.moduleRef.get<object>(port, { strict: false });
    } catch {
      return undefined;
    }
  }
}
