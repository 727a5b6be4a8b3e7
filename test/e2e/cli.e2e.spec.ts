import { spawnSync, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxWorker } from '../../src/outbox/outbox.worker.js';
import { WebhookReceiverFake } from '../contract/fakes/webhook-receiver.fake.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';
import { startTestApp, TestClock, type TestApp } from '../utils/test-app.js';

const WEBHOOK_SECRET = 'e2e-cli-webhook-secret-0123456789abcdef';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI against `dbFile`, as an operator would (npm run gatehouse -- …). */
function gatehouse(dbFile: string, args: string[]): Run {
  const result = spawnSync(process.execPath, ['dist/bin/gatehouse.js', ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: `file:${dbFile}`, ...TEST_SECRETS_ENV },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** SPEC §3: with --json, exactly one JSON object on stdout, whatever happened. */
function oneObject(run: Run): Record<string, unknown> {
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

function fieldsOf(body: Record<string, unknown>): string[] {
  const errors = (body.errors ?? []) as { field: string }[];
  return [...new Set(errors.map((e) => e.field))].sort();
}

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
}, 120_000);

describe('the CLI checks client policies and limits with the admin API rules', () => {
  let t: TestApp;
  let admin: string;
  const cli = (args: string[]) => gatehouse(t.dbFile, args);
  const BAD = [
    '--policies',
    '{"orderLookup":"Verified","requestAproval":"required"}',
    '--limits',
    '{"read":"60"}',
  ];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token(['clients:admin']);
  });
  afterAll(async () => t.close());

  it('refuses a misspelt policy, a wrong policy value and a limit given as a string, naming each', async () => {
    const run = cli([
      'clients',
      'create',
      '--name',
      'bad-bot',
      '--scopes',
      'orders:read',
      ...BAD,
      '--json',
    ]);
    expect(run.status).toBe(1);
    const body = oneObject(run);
    expect(body).toMatchObject({ error: 'validation_failed' });
    expect(fieldsOf(body)).toEqual([
      'limits.read',
      'policies.orderLookup',
      'policies.requestAproval',
    ]);
    for (const field of fieldsOf(body)) expect(body.message).toContain(field);

    // The admin HTTP API refuses the same input for the same fields.
    const api = await t.http
      .post('/v1/admin/clients')
      .auth(admin, { type: 'bearer' })
      .send({
        name: 'bad-bot',
        scopes: ['orders:read'],
        policies: { orderLookup: 'Verified', requestAproval: 'required' },
        limits: { read: '60' },
      });
    expect(api.status).toBe(400);
    expect(fieldsOf(api.body as Record<string, unknown>)).toEqual(fieldsOf(body));

    const listed = oneObject(cli(['clients', 'list', '--json'])) as {
      clients: { name: string }[];
    };
    expect(listed.clients.map((c) => c.name)).not.toContain('bad-bot');
  });

  it('says the same on stderr without --json, and prints nothing on stdout', () => {
    const run = cli(['clients', 'create', '--name', 'bad-bot', '--scopes', 'orders:read', ...BAD]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('policies.requestAproval: is not a known field');
    expect(run.stderr).toContain('policies.orderLookup');
    expect(run.stderr).toContain('limits.read');
  });

  it('stores valid policies and limits, and checks them again on update', () => {
    const created = oneObject(
      cli([
        'clients',
        'create',
        '--name',
        'careful-bot',
        '--scopes',
        'orders:read',
        '--policies',
        '{"orderLookup":"verified"}',
        '--limits',
        '{"read":60,"write":5}',
        '--json',
      ]),
    ) as { clientId: string };
    const shown = oneObject(cli(['clients', 'show', created.clientId, '--json']));
    expect(shown).toMatchObject({
      policies: { orderLookup: 'verified' },
      limits: { read: 60, write: 5 },
    });

    const bad = cli([
      'clients',
      'update',
      created.clientId,
      '--limits',
      '{"write":0,"burst":9}',
      '--json',
    ]);
    expect(bad.status).toBe(1);
    expect(fieldsOf(oneObject(bad))).toEqual(['limits.burst', 'limits.write']);
    const notJson = cli([
      'clients',
      'update',
      created.clientId,
      '--policies',
      'verified',
      '--json',
    ]);
    expect(notJson.status).toBe(1);
    expect(oneObject(notJson)).toMatchObject({
      error: 'validation_failed',
      errors: [{ field: 'policies', message: expect.stringContaining('must be a JSON object') }],
    });
    expect(oneObject(cli(['clients', 'show', created.clientId, '--json']))).toMatchObject({
      limits: { read: 60, write: 5 },
    });

    const updated = cli([
      'clients',
      'update',
      created.clientId,
      '--policies',
      '{"requestApproval":"required"}',
      '--json',
    ]);
    expect(updated.status).toBe(0);
    expect(oneObject(cli(['clients', 'show', created.clientId, '--json']))).toMatchObject({
      policies: { requestApproval: 'required' },
    });
  });
});

describe('argument errors under --json (one JSON object on stdout, exit 1)', () => {
  let t: TestApp;
  const cli = (args: string[]) => gatehouse(t.dbFile, args);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it.each([
    [['clients', 'create', '--name', 'x', '--scopes', 'bogus:read'], 'bogus:read'],
    [['secrets', 'rotate', 'cl_aaaaaaaaaaaaaaaa', '--grace', '99y'], '--grace'],
    [['keys', 'create', 'cl_aaaaaaaaaaaaaaaa', '--expires', 'next tuesday'], '--expires'],
    [['clients', 'create', '--scopes', 'orders:read'], '--name'],
    [['clients', 'list', '--colour'], '--colour'],
    [['clients', 'frobnicate'], 'frobnicate'],
  ])('%j', (args, named) => {
    const run = cli([...args, '--json']);
    expect(run.status).toBe(1);
    const body = oneObject(run);
    expect(body).toEqual({ error: 'validation_failed', message: expect.stringContaining(named) });
    expect(run.stderr).not.toContain('Usage:');
  });

  it('still shows the usage on stderr without --json', () => {
    const run = cli(['clients', 'create', '--name', 'x', '--scopes', 'bogus:read']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('unknown scope(s): bogus:read');
    expect(run.stderr).toContain('Usage: gatehouse clients create');
  });

  it('audit export: --json needs --out, and then prints one summary object', () => {
    const refused = cli(['audit', 'export', '--json']);
    expect(refused.status).toBe(1);
    expect(oneObject(refused)).toMatchObject({
      error: 'validation_failed',
      errors: [{ field: 'out' }],
    });

    // Something to export: creating a client is a security event.
    expect(cli(['clients', 'create', '--name', 'audited', '--scopes', 'orders:read']).status).toBe(
      0,
    );
    const file = path.join(path.dirname(t.dbFile), 'audit.ndjson');
    const exported = cli(['audit', 'export', '--out', file, '--json']);
    expect(exported.status).toBe(0);
    const summary = oneObject(exported) as { exported: number };
    expect(summary).toMatchObject({ file, format: 'ndjson' });
    expect(summary.exported).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(summary.exported);
  });
});

describe('outbox dead letters: list, fix the core system, retry (docs/operations.md)', () => {
  let t: TestApp;
  let receiver: WebhookReceiverFake;
  let writer: string;
  const clock = new TestClock();
  const cli = (args: string[]) => gatehouse(t.dbFile, args);
  const drain = () => t.app.get(OutboxWorker).drain();
  /** The CLI makes a message due at its own (real) time: the app's clock must not lag behind it. */
  const catchUp = () => clock.advanceMs(Math.max(0, Date.now() - clock.now().getTime()));

  beforeAll(async () => {
    receiver = await new WebhookReceiverFake(WEBHOOK_SECRET).start();
    t = await startTestApp({
      clock,
      env: {
        OUTBOX_MAX_ATTEMPTS: '2',
        CONNECTOR_NOTIFICATIONS: 'webhook',
        NOTIFY_WEBHOOK_URL: receiver.url,
        NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
    writer = await t.token(['handoff:write'], { limits: { read: 1000, write: 1000 } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('dead-letters a notification the receiver keeps refusing, lists it without its payload, and resends it', async () => {
    const summary = 'Chị Lan, 0912 345 678, wants a refund';
    const res = await t.http
      .post('/v1/handoffs')
      .auth(writer, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ conversationId: 'conv-cli-outbox', reason: 'other', summary });
    expect(res.status).toBe(201);
    const handoffId = res.body.handoffId as string;

    // The staff webhook is down for both attempts OUTBOX_MAX_ATTEMPTS allows.
    receiver.failNext({ status: 503 });
    receiver.failNext({ status: 503 });
    await drain();
    clock.advanceMs(5_000);
    await drain();
    expect(receiver.processed).toHaveLength(0);

    const listed = cli(['outbox', 'list', '--status', 'dead', '--json']);
    expect(listed.status).toBe(0);
    const dead = oneObject(listed) as { total: number; messages: Record<string, unknown>[] };
    expect(dead.total).toBe(1);
    const [message] = dead.messages;
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_/),
      topic: 'staff.notify',
      aggregateId: handoffId,
      status: 'dead',
      attempts: 2,
      lastError: 'webhook notify.staff failed (status 503)',
      createdAt: expect.any(String),
      nextAttemptAt: expect.any(String),
    });
    const id = message?.id as string;
    const human = cli(['outbox', 'list']);
    expect(human.stdout).toContain(id);
    for (const out of [listed.stdout, human.stdout]) {
      expect(out).not.toContain('0912');
      expect(out).not.toContain('refund');
    }

    // The receiver is back: resend.
    const retried = cli(['outbox', 'retry', id, '--json']);
    expect(retried.status).toBe(0);
    expect(oneObject(retried)).toEqual({ requeued: [id], skipped: [] });
    const resend = await t.prisma.auditEvent.findMany({
      where: { kind: 'security', transport: 'cli' },
      orderBy: { seq: 'desc' },
      take: 1,
    });
    expect(resend.map((e) => JSON.parse(e.request) as unknown)).toEqual([
      { event: 'outbox.retried', actor: 'cli', subject: id },
    ]);
    catchUp();
    await expect(drain()).resolves.toBe(1);
    expect(receiver.processed.map((d) => d.id)).toEqual([id]);
    expect(receiver.processed[0]?.body.data.handoffId).toBe(handoffId);

    expect(oneObject(cli(['outbox', 'list', '--json']))).toEqual({ messages: [], total: 0 });
    // Only a dead message is requeued: a second retry changes nothing.
    expect(oneObject(cli(['outbox', 'retry', id, '--json']))).toEqual({
      requeued: [],
      skipped: [{ id, status: 'delivered' }],
    });
    expect(oneObject(cli(['outbox', 'retry', '--all-dead', '--json']))).toEqual({
      requeued: [],
      skipped: [],
    });
  });

  it('refuses bad input and says a named message does not exist (exit 2)', () => {
    const missing = cli(['outbox', 'retry', 'msg_00000000-0000-7000-8000-000000000000', '--json']);
    expect(missing.status).toBe(2);
    expect(oneObject(missing)).toEqual({
      requeued: [],
      skipped: [{ id: 'msg_00000000-0000-7000-8000-000000000000', status: 'not_found' }],
    });
    const cases: [string[], string][] = [
      [['outbox', 'retry'], 'messageIds'],
      [['outbox', 'retry', 'HO-1234'], 'messageIds'],
      [['outbox', 'retry', 'msg_1', '--all-dead'], 'messageIds'],
      [['outbox', 'retry', 'msg_1', '--topic', 'crm.lead'], 'topic'],
      [['outbox', 'retry', '--all-dead', '--topic', 'jira'], 'topic'],
      [['outbox', 'list', '--status', 'delivered'], 'status'],
      [['outbox', 'list', '--limit', '0'], 'limit'],
      [['outbox', 'list', '--limit', 'ten'], 'limit'],
    ];
    for (const [args, field] of cases) {
      const run = cli([...args, '--json']);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(fieldsOf(oneObject(run))).toEqual([field]);
    }
  });
});
