import { createApp } from './app.factory.js';
import { ConfigError } from './config/app-config.js';

async function main(): Promise<void> {
  const { app, config, demoClient } = await createApp();
  await app.listen({ port: config.port, host: config.host });
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
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

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
