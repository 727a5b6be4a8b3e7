import { Global, Module } from '@nestjs/common';
import type { Provider } from '@nestjs/common';
import { instrumented } from './instrument-port.js';
import { EMBEDDED_READ_PROVIDERS } from './embedded/embedded-read.providers.js';
import { EMBEDDED_SINK_PROVIDERS } from './embedded/embedded-sinks.providers.js';

/**
 * Binds every port to an adapter. Only `embedded` exists in this build; real
 * systems (Odoo, ERPNext, Jira, webhooks) plug in here per capability.
 */
const PROVIDERS: Provider[] = [
  ...instrumented('embedded', EMBEDDED_READ_PROVIDERS, { cacheReads: true }),
  ...instrumented('embedded', EMBEDDED_SINK_PROVIDERS, { cacheReads: false }),
];

@Global()
@Module({
  providers: PROVIDERS,
  exports: PROVIDERS.map((p) => (typeof p === 'object' && 'provide' in p ? p.provide : p)),
})
export class ConnectorsModule {}
