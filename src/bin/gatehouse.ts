import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, ConfigError } from '../config/app-config.js';
import { resolveServerSecrets } from '../config/local-secrets.js';
import { PrismaService } from '../database/prisma.service.js';
import { prepareStore } from '../database/prepare-store.js';
import { ClientsService } from '../clients/clients.service.js';
import { CredentialHasher } from '../clients/credential-hasher.js';
import { SystemClock } from '../common/clock.js';
import { isScope, type Scope } from '../auth/scopes.js';
import { parseLimits, parsePolicies } from '../clients/client-policies.js';
import { mkdirSync } from 'node:fs';

/**
 * The security team's CLI. It opens the store directly, so it works with the
 * server stopped. With --json every command prints exactly one JSON object.
 */
interface Output {
  json?: boolean;
}

async function withServices<T>(fn: (s: { clients: ClientsService }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (config.database === 'sqlite') mkdirSync(config.dataDir, { recursive: true });
  const secrets = resolveServerSecrets(config, (m) => process.stderr.write(`warning: ${m}\n`));
  await prepareStore(config, (m) => process.stderr.write(`${m}\n`));
  const prisma = new PrismaService(config);
  try {
    const clients = new ClientsService(
      prisma,
      new CredentialHasher(secrets.pepper),
      new SystemClock(),
      config,
    );
    return await fn({ clients });
  } finally {
    await prisma.$disconnect();
  }
}

function scopesArg(value: string): Scope[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((s) => !isScope(s));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown scope(s): ${unknown.join(', ')}`);
  if (list.length === 0) throw new InvalidArgumentError('at least one scope is required');
  return list as Scope[];
}

function jsonArg(value: string): string {
  try {
    JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('must be a JSON object');
  }
  return value;
}

function print(opts: Output, json: unknown, human: string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
}

const program = new Command('gatehouse')
  .description('Manage Gatehouse clients and credentials (works with the server stopped)')
  .showHelpAfterError();

const clients = program.command('clients').description('OAuth clients used by agents');

clients
  .command('create')
  .description('create a client and print its id and secret once')
  .requiredOption('--name <name>', 'a name for the agent, e.g. sales-bot')
  .requiredOption(
    '--scopes <list>',
    'comma-separated scopes, e.g. inventory:read,orders:read',
    scopesArg,
  )
  .option('--policies <json>', 'client policies, e.g. {"orderLookup":"verified"}', jsonArg)
  .option('--limits <json>', 'per-minute limits, e.g. {"read":60,"write":10}', jsonArg)
  .option('--json', 'print one JSON object')
  .action(
    async (
      opts: Output & { name: string; scopes: Scope[]; policies?: string; limits?: string },
    ) => {
      const created = await withServices(({ clients: service }) =>
        service.create({
          name: opts.name,
          scopes: opts.scopes,
          policies: parsePolicies(opts.policies ?? '{}'),
          limits: parseLimits(opts.limits ?? '{}'),
        }),
      );
      print(
        opts,
        created,
        [
          `client_id:     ${created.clientId}`,
          `client_secret: ${created.clientSecret}   (shown once; store it in your secret manager)`,
          `scopes:        ${created.scopes.join(' ')}`,
        ].join('\n'),
      );
    },
  );

clients
  .command('list')
  .description('list clients (never secrets)')
  .option('--json', 'print one JSON object')
  .action(async (opts: Output) => {
    const list = await withServices(({ clients: service }) => service.list());
    print(
      opts,
      { clients: list },
      list
        .map((c) => `${c.id}  ${c.status.padEnd(8)}  ${c.name}  [${c.scopes.join(' ')}]`)
        .join('\n') || '(no clients)',
    );
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
});
