import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Logger } from '@nestjs/common';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isScope, type Scope } from '../auth/scopes.js';
import { SigningKeysService } from '../auth/signing-keys.service.js';
import { retireAfterSeconds } from '../auth/auth.module.js';
import { ApiKeysService } from '../clients/api-keys.service.js';
import { ClientsService } from '../clients/clients.service.js';
import { CredentialHasher } from '../clients/credential-hasher.js';
import { SystemClock } from '../common/clock.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { resolveServerSecrets } from '../config/local-secrets.js';
import { prepareStore } from '../database/prepare-store.js';
import { createPrismaClient, type PrismaService } from '../database/prisma.service.js';
import {
  clientChanges,
  CreateClientDto,
  newClientInput,
  UpdateClientDto,
} from '../admin/dto/admin.dto.js';
import { SecurityEventsService } from '../admin/security-events.service.js';
import { REJECT_REASON_MAX, REVIEW_LIMIT_MAX } from '../admin/dto/internal-requests.dto.js';
import { RequestReviewService, type Reviewer } from '../admin/request-review.service.js';
import { OutboxService } from '../outbox/outbox.service.js';
import {
  OUTBOX_LIST_LIMIT_MAX,
  OUTBOX_OPEN_STATUSES,
  OutboxListQuery,
  OutboxRetryCommand,
} from '../outbox/outbox-admin.dto.js';
import { OutboxAdminService, type OutboxMessageView } from '../outbox/outbox-admin.service.js';
import { OUTBOX_TOPICS } from '../outbox/outbox.types.js';
import {
  INTERNAL_REQUEST_ID_PATTERN,
  INTERNAL_REQUEST_STATUSES,
  type InternalRequestStatus,
} from '../tools/requests/dto/internal-request.dto.js';
import { InternalRequestsRepository } from '../tools/requests/requests.repository.js';
import { InternalRequestsReviewService } from '../tools/requests/requests-review.service.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import { AuditWriter } from '../audit/audit-writer.service.js';
import { invalidFields, jsonObjectOption, validateInput } from './cli-validation.js';

/**
 * The security team's CLI. It opens the store directly, so it works with the
 * server stopped. With --json every command prints exactly one JSON object.
 */
interface Services {
  clients: ClientsService;
  apiKeys: ApiKeysService;
  signingKeys: SigningKeysService;
  events: SecurityEventsService;
  audit: AuditTrailService;
  review: RequestReviewService;
  outbox: OutboxAdminService;
  prisma: PrismaService;
}

interface Output {
  json?: boolean;
}

async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (config.database === 'sqlite') mkdirSync(config.dataDir, { recursive: true });
  const secrets = resolveServerSecrets(config, (m) => process.stderr.write(`warning: ${m}\n`));
  await prepareStore(config, (m) => process.stderr.write(`${m}\n`));
  const prisma = createPrismaClient(config);
  const clock = new SystemClock();
  const hasher = new CredentialHasher(secrets.pepper);
  const writer = new AuditWriter(prisma, clock);
  const events = new SecurityEventsService(writer);
  try {
    return await fn({
      prisma,
      clients: new ClientsService(prisma, hasher, clock, config),
      apiKeys: new ApiKeysService(prisma, hasher, clock),
      signingKeys: new SigningKeysService(
        prisma,
        clock,
        secrets.keyEncryptionKey,
        retireAfterSeconds(config),
      ),
      events,
      audit: new AuditTrailService(prisma, writer, clock, secrets),
      review: new RequestReviewService(
        new InternalRequestsReviewService(
          new InternalRequestsRepository(prisma),
          new OutboxService(clock, prisma),
          clock,
        ),
        events,
      ),
      outbox: new OutboxAdminService(prisma, clock),
    });
  } finally {
    await writer.onModuleDestroy();
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

/** Durations like 0, 90s, 30m, 24h, 7d. */
export function durationArg(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match?.[1]) throw new InvalidArgumentError('use a duration such as 0, 90s, 30m, 24h or 7d');
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? ''] ?? 1;
  const seconds = Number(match[1]) * unit;
  if (seconds > 30 * 86400) throw new InvalidArgumentError('at most 30d');
  return seconds;
}

function dateArg(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be an ISO 8601 date');
  return date;
}

/** A bad option value found in an action (commander's own parsers reject the rest). */
function invalidArg(field: string, message: string): GatehouseError {
  return invalidFields([{ field, message }]);
}

const POLICIES_EXAMPLE = '{"orderLookup":"verified","requestApproval":"required"}';
const LIMITS_EXAMPLE = '{"read":60,"write":10,"token":10}';

function requestIdArg(value: string): string {
  if (!INTERNAL_REQUEST_ID_PATTERN.test(value)) {
    throw invalidArg('id', 'must look like IR-7KQ2M9XD4TBA');
  }
  return value;
}

function print(opts: Output, json: unknown, human: string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
}

// stdout carries only the command's answer; Nest's console logger would write there too.
Logger.overrideLogger(false);

const SHOWN_ONCE = '(shown once; store it in your secret manager)';

/**
 * Under --json, stdout carries one JSON object even when commander itself
 * refuses the arguments: its usage text is held back and the error it throws
 * (exitOverride) is printed as JSON below. The settings are inherited by every
 * subcommand, so they are made before any is added.
 */
const jsonOutput = process.argv.slice(2).includes('--json');

const program = new Command('gatehouse')
  .description('Manage Gatehouse clients and credentials (works with the server stopped)')
  .exitOverride()
  .configureOutput({
    writeErr: (text) => {
      if (!jsonOutput) process.stderr.write(text);
    },
  })
  .showHelpAfterError();

// ------------------------------------------------------------------- clients
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
  .option('--policies <json>', `client policies (as in the admin API), e.g. ${POLICIES_EXAMPLE}`)
  .option('--limits <json>', `per-minute limits (as in the admin API), e.g. ${LIMITS_EXAMPLE}`)
  .option('--json', 'print one JSON object')
  .action(
    async (
      opts: Output & { name: string; scopes: Scope[]; policies?: string; limits?: string },
    ) => {
      // The admin API's CreateClientDto: a misspelt policy or a limit given as a string is refused.
      const body = await validateInput(CreateClientDto, {
        name: opts.name,
        scopes: opts.scopes,
        ...jsonObjectOption('policies', opts.policies, POLICIES_EXAMPLE),
        ...jsonObjectOption('limits', opts.limits, LIMITS_EXAMPLE),
      });
      const created = await withServices(async (s) => {
        const c = await s.clients.create(newClientInput(body));
        await s.events.record(
          'client.created',
          { clientId: c.clientId, credentialId: c.secretId, actor: 'cli' },
          'cli',
        );
        return c;
      });
      print(
        opts,
        {
          clientId: created.clientId,
          clientSecret: created.clientSecret,
          scopes: created.scopes,
          secretId: created.secretId,
        },
        [
          `client_id:     ${created.clientId}`,
          `client_secret: ${created.clientSecret}   ${SHOWN_ONCE}`,
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
    const list = await withServices((s) => s.clients.list());
    print(
      opts,
      { clients: list },
      list
        .map((c) => `${c.id}  ${c.status.padEnd(8)}  ${c.name}  [${c.scopes.join(' ')}]`)
        .join('\n') || '(no clients)',
    );
  });

clients
  .command('show <clientId>')
  .description('a client with its secrets and API keys (ids and dates only)')
  .option('--json', 'print one JSON object')
  .action(async (clientId: string, opts: Output) => {
    const view = await withServices(async (s) => ({
      ...(await s.clients.get(clientId)),
      secrets: await s.clients.secrets(clientId),
      apiKeys: await s.apiKeys.list(clientId),
    }));
    print(opts, view, JSON.stringify(view, null, 2));
  });

clients
  .command('disable <clientId>')
  .description('disable a client at once: its secrets, keys and live tokens stop working')
  .option('--json', 'print one JSON object')
  .action(async (clientId: string, opts: Output) => {
    const client = await withServices(async (s) => {
      const c = await s.clients.disable(clientId);
      await s.events.record('client.disabled', { clientId, actor: 'cli' }, 'cli');
      return c;
    });
    print(opts, client, `disabled ${client.id}`);
  });

clients
  .command('update <clientId>')
  .description('set scopes, policies, limits or name')
  .option('--name <name>', 'new name')
  .option('--scopes <list>', 'comma-separated scopes (replaces the set)', scopesArg)
  .option('--policies <json>', `policies (replaces the set), e.g. ${POLICIES_EXAMPLE}`)
  .option('--limits <json>', `per-minute limits (replaces the set), e.g. ${LIMITS_EXAMPLE}`)
  .option('--json', 'print one JSON object')
  .action(
    async (
      clientId: string,
      opts: Output & { name?: string; scopes?: Scope[]; policies?: string; limits?: string },
    ) => {
      // The admin API's UpdateClientDto: only what is given changes, and all of it is checked.
      const body = await validateInput(UpdateClientDto, {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.scopes ? { scopes: opts.scopes } : {}),
        ...jsonObjectOption('policies', opts.policies, POLICIES_EXAMPLE),
        ...jsonObjectOption('limits', opts.limits, LIMITS_EXAMPLE),
      });
      const client = await withServices(async (s) => {
        const c = await s.clients.update(clientId, clientChanges(body));
        await s.events.record('client.updated', { clientId, actor: 'cli' }, 'cli');
        return c;
      });
      print(opts, client, `updated ${client.id}: [${client.scopes.join(' ')}]`);
    },
  );

// ------------------------------------------------------------------- secrets
const secrets = program.command('secrets').description('client secrets');

secrets
  .command('rotate <clientId>')
  .description('add a new secret; the old ones keep working for the grace period')
  .option(
    '--grace <duration>',
    'how long old secrets keep working (0, 30m, 24h, 7d)',
    durationArg,
    86400,
  )
  .option('--json', 'print one JSON object')
  .action(async (clientId: string, opts: Output & { grace: number }) => {
    const rotated = await withServices(async (s) => {
      const r = await s.clients.rotateSecret(clientId, opts.grace);
      await s.events.record(
        'secret.rotated',
        { clientId, credentialId: r.secretId, actor: 'cli' },
        'cli',
      );
      return r;
    });
    print(
      opts,
      rotated,
      [
        `client_id:     ${rotated.clientId}`,
        `client_secret: ${rotated.clientSecret}   ${SHOWN_ONCE}`,
        `old secrets stop working at ${rotated.previousSecretsExpireAt}`,
      ].join('\n'),
    );
  });

secrets
  .command('revoke <clientId> <secretId>')
  .description('revoke one secret at once (tokens issued for it stop working too)')
  .option('--json', 'print one JSON object')
  .action(async (clientId: string, secretId: string, opts: Output) => {
    const revoked = await withServices(async (s) => {
      const r = await s.clients.revokeSecret(clientId, secretId);
      await s.events.record(
        'secret.revoked',
        { clientId, credentialId: secretId, actor: 'cli' },
        'cli',
      );
      return r;
    });
    print(opts, revoked, `revoked ${revoked.secretId} at ${revoked.revokedAt}`);
  });

// ---------------------------------------------------------------------- keys
const keys = program.command('keys').description('scoped API keys (gh_<keyId>_<secret>)');

keys
  .command('create <clientId>')
  .description('create an API key and print it once')
  .option('--name <name>', 'a label for the key')
  .option('--scopes <list>', "a subset of the client's scopes (default: all)", scopesArg)
  .option('--expires <date>', 'expiry, ISO 8601', dateArg)
  .option('--json', 'print one JSON object')
  .action(
    async (
      clientId: string,
      opts: Output & { name?: string; scopes?: Scope[]; expires?: Date },
    ) => {
      const created = await withServices(async (s) => {
        const k = await s.apiKeys.create(clientId, {
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.scopes ? { scopes: opts.scopes } : {}),
          expiresAt: opts.expires ?? null,
        });
        await s.events.record(
          'api_key.created',
          { clientId, credentialId: k.keyId, actor: 'cli' },
          'cli',
        );
        return k;
      });
      print(
        opts,
        created,
        [`key_id:  ${created.keyId}`, `api_key: ${created.apiKey}   ${SHOWN_ONCE}`].join('\n'),
      );
    },
  );

keys
  .command('rotate <keyId>')
  .description('replace a key; the old one keeps working for the grace period')
  .option(
    '--grace <duration>',
    'how long the old key keeps working (0, 30m, 24h, 7d)',
    durationArg,
    86400,
  )
  .option('--json', 'print one JSON object')
  .action(async (keyId: string, opts: Output & { grace: number }) => {
    const rotated = await withServices(async (s) => {
      const r = await s.apiKeys.rotate(keyId, opts.grace);
      await s.events.record(
        'api_key.rotated',
        { clientId: r.clientId, credentialId: keyId, actor: 'cli' },
        'cli',
      );
      return r;
    });
    print(
      opts,
      rotated,
      [
        `key_id:  ${rotated.keyId}`,
        `api_key: ${rotated.apiKey}   ${SHOWN_ONCE}`,
        `old key ${keyId} stops working at ${rotated.previousKeyExpiresAt}`,
      ].join('\n'),
    );
  });

keys
  .command('revoke <keyId>')
  .description('revoke an API key at once')
  .option('--json', 'print one JSON object')
  .action(async (keyId: string, opts: Output) => {
    const revoked = await withServices(async (s) => {
      const r = await s.apiKeys.revoke(keyId);
      await s.events.record('api_key.revoked', { credentialId: keyId, actor: 'cli' }, 'cli');
      return r;
    });
    print(opts, revoked, `revoked ${revoked.keyId} at ${revoked.revokedAt}`);
  });

// -------------------------------------------------------------- signing keys
const signing = program.command('signing-keys').description('ES256 token signing keys');

signing
  .command('rotate')
  .description('add a new signing key; the old one stays in JWKS until its tokens expire')
  .option('--json', 'print one JSON object')
  .action(async (opts: Output) => {
    const rotated = await withServices(async (s) => {
      const r = await s.signingKeys.rotate();
      await s.events.record('signing_key.rotated', { credentialId: r.kid, actor: 'cli' }, 'cli');
      return r;
    });
    print(
      opts,
      rotated,
      `active signing key: ${rotated.kid}; retiring: ${rotated.retiring.join(', ') || '-'}`,
    );
  });

signing
  .command('revoke <kid>')
  .description(
    'stop a leaked signing key now: it leaves JWKS and its tokens fail (a new key replaces an active one)',
  )
  .option('--json', 'print one JSON object')
  .action(async (kid: string, opts: Output) => {
    const revoked = await withServices(async (s) => {
      const r = await s.signingKeys.revoke(kid);
      if (!r) {
        throw new GatehouseError('credential_not_found', {
          detail: `No active or retiring signing key ${kid}.`,
        });
      }
      await s.events.record('signing_key.revoked', { credentialId: kid, actor: 'cli' }, 'cli');
      return r;
    });
    print(opts, revoked, `revoked signing key ${revoked.kid}; active: ${revoked.active}`);
  });

signing
  .command('list')
  .description('signing keys and their state (retires keys whose tokens have all expired)')
  .option('--json', 'print one JSON object')
  .action(async (opts: Output) => {
    const list = await withServices((s) => s.signingKeys.list());
    print(
      opts,
      { keys: list },
      list.map((k) => `${k.kid}  ${k.status.padEnd(8)}  created ${k.createdAt}`).join('\n') ||
        '(none)',
    );
  });

// ------------------------------------------------------------------ requests
const requests = program
  .command('requests')
  .description('internal requests held for human approval (the review queue)');

const CLI_REVIEWER: Reviewer = { actor: 'cli', transport: 'cli' };

requests
  .command('list')
  .description('list internal requests, oldest first (--status pending_review: the review queue)')
  .option('--status <status>', `only this status: ${INTERNAL_REQUEST_STATUSES.join(', ')}`)
  .option('--limit <n>', `page size, 1-${REVIEW_LIMIT_MAX}`, '20')
  .option('--cursor <cursor>', 'nextCursor of the previous page (same --status)')
  .option('--json', 'print one JSON object')
  .action(async (opts: Output & { status?: string; limit: string; cursor?: string }) => {
    const status = opts.status;
    if (
      status !== undefined &&
      !(INTERNAL_REQUEST_STATUSES as readonly string[]).includes(status)
    ) {
      throw invalidArg('status', `must be one of ${INTERNAL_REQUEST_STATUSES.join(', ')}`);
    }
    const limit = Number(opts.limit);
    if (!/^\d+$/.test(opts.limit) || limit < 1 || limit > REVIEW_LIMIT_MAX) {
      throw invalidArg('limit', `must be an integer from 1 to ${REVIEW_LIMIT_MAX}`);
    }
    const page = await withServices((s) =>
      s.review.list({
        status: status as InternalRequestStatus | undefined,
        cursor: opts.cursor,
        limit,
      }),
    );
    print(
      opts,
      page,
      [
        ...page.items.map(
          (r) =>
            `${r.id}  ${r.status.padEnd(14)}  ${r.priority.padEnd(6)}  ${r.type.padEnd(14)}  ${r.createdAt}  ${r.clientId}  ${r.summary}`,
        ),
        ...(page.items.length === 0 ? ['(no internal requests)'] : []),
        ...(page.nextCursor ? [`more: --cursor ${page.nextCursor}`] : []),
      ].join('\n'),
    );
  });

requests
  .command('approve <id>')
  .description('approve a held request: it goes to the ticket system (pending_review -> queued)')
  .option('--json', 'print one JSON object')
  .action(async (id: string, opts: Output) => {
    const requestId = requestIdArg(id);
    const request = await withServices((s) => s.review.approve(requestId, CLI_REVIEWER));
    print(opts, request, `approved ${request.id}: ${request.status}`);
  });

requests
  .command('reject <id>')
  .description('reject a held request: no ticket is made (pending_review -> rejected)')
  .option('--reason <text>', `why, for the audit trail (at most ${REJECT_REASON_MAX} characters)`)
  .option('--json', 'print one JSON object')
  .action(async (id: string, opts: Output & { reason?: string }) => {
    const requestId = requestIdArg(id);
    const { reason } = opts;
    if (reason !== undefined && (reason.trim() === '' || reason.length > REJECT_REASON_MAX)) {
      throw invalidArg('reason', `must be 1-${REJECT_REASON_MAX} characters, not blank`);
    }
    const request = await withServices((s) => s.review.reject(requestId, reason, CLI_REVIEWER));
    print(opts, request, `rejected ${request.id}`);
  });

// --------------------------------------------------------------------- audit
const audit = program.command('audit').description('the append-only, hash-chained audit trail');

audit
  .command('verify')
  .description('check the hash chain and name the first broken link')
  .option('--json', 'print one JSON object')
  .action(async (opts: Output) => {
    const result = await withServices((s) => s.audit.verify());
    const { ok, checked, firstBrokenSeq } = result;
    print(
      opts,
      { ok, checked, firstBrokenSeq },
      ok
        ? `ok: ${checked} events verified`
        : `BROKEN at seq ${firstBrokenSeq} (${checked} events checked)`,
    );
    if (!ok) process.exitCode = 2;
  });

audit
  .command('export')
  .description(
    'write events as NDJSON (oldest first) to stdout, or to --out and print a summary; ' +
      '--json needs --out (without it stdout is the NDJSON export itself)',
  )
  .option('--format <format>', 'only ndjson', 'ndjson')
  .option('--out <file>', 'write to this file instead of stdout')
  .option('--from <date>', 'from this time (ISO 8601)', dateArg)
  .option('--to <date>', 'before this time (ISO 8601)', dateArg)
  .option('--json', 'with --out (required): print one JSON summary object')
  .action(async (opts: Output & { format: string; out?: string; from?: Date; to?: Date }) => {
    if (opts.format !== 'ndjson') throw invalidArg('format', 'only ndjson is supported');
    if (opts.json && !opts.out) {
      throw invalidArg(
        'out',
        'is required with --json (without --out the export is written to stdout as NDJSON, one event a line)',
      );
    }
    const count = await withServices(async (s) => {
      const out = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
      let n = 0;
      for await (const event of s.audit.stream({
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
      })) {
        if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, 'drain');
        n += 1;
      }
      if (opts.out) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
      return n;
    });
    if (opts.out)
      print(
        opts,
        { exported: count, file: opts.out, format: 'ndjson' },
        `exported ${count} events to ${opts.out}`,
      );
  });

audit
  .command('purge')
  .description(
    'delete events older than --before, leaving a signed checkpoint that verification continues from',
  )
  .requiredOption('--before <date>', 'delete events before this time (ISO 8601)', dateArg)
  .option('--json', 'print one JSON object')
  .action(async (opts: Output & { before: Date }) => {
    const result = await withServices((s) => s.audit.purge(opts.before));
    print(
      opts,
      result,
      `purged ${result.purged} events; checkpoint at seq ${result.checkpointSeq ?? '-'}`,
    );
  });

/**
 * commander's own refusals (a bad --scopes, an unknown option, a missing
 * argument) have already been written to stderr with the usage, except under
 * --json; `--help` ends here too, with exit code 0.
 */
function reportCommanderError(error: CommanderError): void {
  process.exitCode = error.exitCode;
  if (error.exitCode === 0 || !jsonOutput) return;
  const message =
    error.code === 'commander.help' ? 'a command is required (see --help)' : error.message;
  const body = { error: 'validation_failed', message: message.replace(/^error: /, '') };
  process.stdout.write(`${JSON.stringify(body)}\n`);
}

// -------------------------------------------------------------------- outbox
const outbox = program
  .command('outbox')
  .description('writes waiting for, or given up on, delivery to the core systems');

function describeMessage(m: OutboxMessageView): string {
  return [
    m.id,
    m.status.padEnd(10),
    m.topic.padEnd(12),
    m.aggregateId,
    `attempts ${m.attempts}`,
    `created ${m.createdAt}`,
    `next ${m.nextAttemptAt}`,
    `last error: ${m.lastError ?? '-'}`,
  ].join('  ');
}

outbox
  .command('list')
  .description('undelivered messages, oldest first (ids, topics and errors; never the payload)')
  .option('--status <status>', `only this status: ${OUTBOX_OPEN_STATUSES.join(', ')}`)
  .option('--topic <topic>', `only this topic: ${OUTBOX_TOPICS.join(', ')}`)
  .option('--limit <n>', `at most this many, 1-${OUTBOX_LIST_LIMIT_MAX}`, '50')
  .option('--json', 'print one JSON object')
  .action(async (opts: Output & { status?: string; topic?: string; limit: string }) => {
    const query = await validateInput(OutboxListQuery, {
      ...(opts.status !== undefined ? { status: opts.status } : {}),
      ...(opts.topic !== undefined ? { topic: opts.topic } : {}),
      limit: opts.limit,
    });
    const page = await withServices((s) => s.outbox.list(query));
    print(
      opts,
      page,
      [
        ...page.messages.map(describeMessage),
        page.messages.length === 0
          ? '(no undelivered messages)'
          : `${page.messages.length} of ${page.total} shown`,
      ].join('\n'),
    );
  });

outbox
  .command('retry')
  .description(
    'move dead messages back to pending, attempts reset, due now (only those still dead); ' +
      'exit code 2 when a named message does not exist',
  )
  .argument('[messageIds...]', 'ids from `outbox list`, e.g. msg_0197a3f2-…')
  .option('--all-dead', 'every dead message (of --topic, if given)')
  .option('--topic <topic>', `with --all-dead: only this topic: ${OUTBOX_TOPICS.join(', ')}`)
  .option('--json', 'print one JSON object')
  .action(async (ids: string[], opts: Output & { allDead?: boolean; topic?: string }) => {
    if (opts.topic !== undefined && !opts.allDead) {
      throw invalidArg('topic', 'only goes with --all-dead');
    }
    if (ids.length > 0 && opts.allDead) {
      throw invalidArg('messageIds', 'name messages or use --all-dead, not both');
    }
    if (ids.length === 0 && !opts.allDead) {
      throw invalidArg('messageIds', 'name at least one message id, or use --all-dead');
    }
    const command = await validateInput(OutboxRetryCommand, {
      ...(ids.length > 0 ? { messageIds: ids } : { allDead: true }),
      ...(opts.topic !== undefined ? { topic: opts.topic } : {}),
    });
    const result = await withServices(async (s) => {
      const r = await s.outbox.retry(
        command.messageIds
          ? { ids: command.messageIds }
          : { allDead: true, ...(command.topic ? { topic: command.topic } : {}) },
      );
      // A resend reaches a core system again: the trail says who asked for it.
      for (const id of r.requeued) {
        await s.events.record('outbox.retried', { subject: id, actor: 'cli' }, 'cli');
      }
      return r;
    });
    print(
      opts,
      result,
      [
        `requeued ${result.requeued.length} message(s)${result.requeued.length ? ':' : ''}`,
        ...result.requeued.map((id) => `  ${id}`),
        ...result.skipped.map((m) =>
          m.status === 'not_found' ? `not found: ${m.id}` : `skipped ${m.id}: ${m.status}`,
        ),
      ].join('\n'),
    );
    if (result.skipped.some((m) => m.status === 'not_found')) process.exitCode = 2;
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) return reportCommanderError(error);
  const message =
    error instanceof GatehouseError
      ? (error.options.detail ?? error.message)
      : error instanceof ConfigError || error instanceof Error
        ? error.message
        : String(error);
  const code = error instanceof GatehouseError ? error.code : 'error';
  const errors = error instanceof GatehouseError ? error.options.errors : undefined;
  if (jsonOutput) {
    process.stdout.write(
      `${JSON.stringify({ error: code, message, ...(errors ? { errors } : {}) })}\n`,
    );
  } else process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
});
