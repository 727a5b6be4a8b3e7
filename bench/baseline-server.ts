import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The bare-Fastify baseline: the same routes and the same JSON as Gatehouse
 * (captured from Gatehouse at the start of the run), with no auth, validation,
 * throttling, audit or database. Its req/s is the ceiling Gatehouse is compared to.
 */
interface Fixtures {
  inventory: unknown;
  lead: unknown;
  mcp?: unknown;
}

const port = Number(process.env.BASELINE_PORT);
const fixtures = JSON.parse(readFileSync(process.env.BASELINE_FIXTURES ?? '', 'utf8')) as Fixtures;

const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
app.get('/v1/inventory/:sku', () => fixtures.inventory);
app.post('/v1/leads', (_request, reply) => reply.code(201).send(fixtures.lead));
app.post('/mcp', () => fixtures.mcp ?? {});

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
