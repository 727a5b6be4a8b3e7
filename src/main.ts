import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory.js';
import type { CreatedClient } from './clients/clients.service.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createNestLogger } from './observability/logging/nest-logger.js';
import { createRootLogger } from './observability/logging/root-logger.js';

/** Only the signals that mean "stop": SIGUSR2 (heap snapshots), SIGHUP and the rest keep their own meaning. */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Beyond the HTTP drain: time for the outbox worker, the audit writer and the database to close. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const startup = loadConfig();
  const logger = createNestLogger(createRootLogger(startup));
  // Before createApp, so that migrations and first-start warnings are JSON lines too.
  Logger.overrideLogger(logger);
  // Before createApp: a signal during start-up must not kill the process halfway through
  // seeding, nor close the database under the start-up still using it.
  const shutdown = new ShutdownOnSignals(startup.shutdownTimeoutMs);
  const { app, config } = await createApp({ logger, onDemoClient: printDemoClient });
  if (!shutdown.requested) await app.listen({ port: config.port, host: config.host });
  if (shutdown.requested) {
    await shutdown.stop(app);
    return;
  }
  shutdown.attach(app);
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  new Logger('Gatehouse').log({ url: base }, 'listening');
  process.stdout.write(`Gatehouse listening on ${base} — Swagger UI at ${base}/docs\n`);
}

/** Printed once, on the start that created the client, right after: it is stored only as a hash. */
function printDemoClient(client: CreatedClient): void {
  process.stdout.write(
    [
      '',
      'Demo client created (shown once, store it now):',
      `  client_id:     ${client.clientId}`,
      `  client_secret: ${client.clientSecret}`,
      `  scopes:        ${client.scopes.join(' ')}`,
      '',
    ].join('\n') + '\n',
  );
}

/**
 * SIGTERM and SIGINT: drain and close the app (`app.close()` runs every
 * module's shutdown hooks), then exit 0; a shutdown that fails or hangs past
 * the drain timeout and a grace period exits 1. A signal during start-up is
 * held until the start-up completes, and the app is then closed without
 * listening.
 */
class ShutdownOnSignals {
  private readonly log = new Logger('Gatehouse');
  private app: NestFastifyApplication | undefined;
  private signal: NodeJS.Signals | undefined;

  constructor(private readonly drainTimeoutMs: number) {
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, (s) => this.received(s));
  }

  get requested(): boolean {
    return this.signal !== undefined;
  }

  attach(app: NestFastifyApplication): void {
    this.app = app;
  }

  async stop(app: NestFastifyApplication): Promise<void> {
    try {
      await app.close();
    } catch (error) {
      this.log.error(
        { err: error instanceof Error ? error.message : String(error) },
        'shutdown failed',
      );
      process.exit(1);
    }
    this.log.log('stopped');
    process.exit(0);
  }

  private received(signal: NodeJS.Signals): void {
    if (this.signal !== undefined) return;
    this.signal = signal;
    setTimeout(() => {
      this.log.error('shutdown did not complete in time; exiting');
      process.exit(1);
    }, this.drainTimeoutMs + SHUTDOWN_GRACE_MS).unref();
    if (this.app) {
      this.log.log(`${signal} received: shutting down`);
      void this.stop(this.app);
    } else {
      this.log.log(`${signal} received during start-up: stopping once it completes`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
