import { Global, Module } from '@nestjs/common';
import type { Provider } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/app-config.js';
import type { Capability } from '../config/connectors-config.js';
import {
  createConnectorContext,
  type CapabilityPorts,
  type ConnectorContext,
} from './connector-registry.js';
import { CONNECTOR_PORTS, type ConnectorPort, type PortClass } from './connector-ports.js';
import { instrumentPort } from './instrument-port.js';
import { cachedReads } from './read-cache.js';
import { REMOTE_SYSTEMS } from './remote-systems.js';

const CONNECTOR_CONTEXT = Symbol('CONNECTOR_CONTEXT');

/** Port names in metrics and audit rows, e.g. `inventory.getStock`, `crmleads.pushLead`. */
function portName(port: PortClass): string {
  return port.name.replace(/Port$/, '').toLowerCase();
}

function bind(b: ConnectorPort): Provider {
  return {
    provide: b.port,
    inject: [APP_CONFIG, CONNECTOR_CONTEXT, b.embedded],
    useFactory: (config: AppConfig, context: ConnectorContext, embedded: object) => {
      const system = b.capability ? config.connectors.bindings[b.capability] : 'embedded';
      let adapter: object = embedded;
      if (b.capability && system !== 'embedded') {
        const create = REMOTE_SYSTEMS[system][b.capability] as
          ((c: ConnectorContext) => CapabilityPorts[Capability]) | undefined;
        if (!create) {
          throw new ConfigError(`the ${system} connector cannot serve ${b.capability}`);
        }
        adapter = create(context);
      }
      const measured = instrumentPort(adapter, system, portName(b.port));
      return b.buffered ? measured : cachedReads(measured, config.readCacheTtlMs);
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
  ...CONNECTOR_PORTS.map((b) => b.embedded),
  ...CONNECTOR_PORTS.map(bind),
];

@Global()
@Module({
  providers: PROVIDERS,
  exports: CONNECTOR_PORTS.map((b) => b.port),
})
export class ConnectorsModule {}
