import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createNestLogger } from './observability/logging/nest-logger.js';
import { createRootLogger } from './observability/logging/root-logger.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Beyond the HTTP drain: time for the outbox worker, the audit writer and the database to close. */
const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const logger = createNestLogger(createRootLogger(loadConfig()));
  // Before createApp, so that migrations and first-start warnings are JSON lines too.
  Logger.overrideLogger(logger);
  const { app, config, demoClient } = await createApp({ logger });
  exitCleanlyOnSignals(app, config.shutdownTimeoutMs);
  await app.listen({ port: config.port, host: config.host });
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  new Logger('Gatehouse').log({ url: base }, 'listening');
  if (demoClient) {
    // Printed once, on the start that created the client; it is stored only as a hash.
    process.stdout.write(
      [
        '',
        'Demo client created (shown once, store it now):',
        `  client_id:     ${demoClient.clientId}`,
        `  client_secret: ${demoClient.clientSecret}`,
        `  scopes:        ${demoClient.scopes.join(' ')}`,
        '',
      ].join('\n') + '\n',
    );
  }
  process.stdout.write(`Gatehouse listening on ${base} — Swagger UI at ${base}/docs\n`);
}

/**
 * Nest's own signal handler (createApp enables it) runs the shutdown and then
 * re-raises the signal, so the process would end "killed by SIGTERM". This
 * handler joins the same shutdown (app.close() returns the one in flight),
 * exits 0 once it is complete, and stays installed so the re-raised signal
 * cannot kill the process before that. A shutdown that hangs exits 1.
 */
function exitCleanlyOnSignals(app: NestFastifyApplication, drainTimeoutMs: number): void {
  const log = new Logger('Gatehouse');
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal} received: shutting down`);
    setTimeout(() => {
      log.error('shutdown did not complete in time; exiting');
      process.exit(1);
    }, drainTimeoutMs + SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => {
        log.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error(
          { err: error instanceof Error ? error.message : String(error) },
          'shutdown failed',
        );
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
