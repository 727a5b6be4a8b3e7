import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { ConfigError } from '../../src/config/app-config.js';
import { ClientsService, type CreatedClient } from '../../src/clients/clients.service.js';
import { pgDirectOf, PrismaService } from '../../src/database/prisma.service.js';
import { isStoreUnavailable } from '../../src/database/store-unavailable.js';
import { OutboxWorker } from '../../src/outbox/outbox.worker.js';
import { postgresBinDir, startPostgres, type PostgresServer } from '../utils/postgres-server.js';
import { describeWithServer } from '../utils/native-servers.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';

/**
 * The scale-out topology on a real PostgreSQL: two Gatehouse instances share
 * one database (tokens, idempotency, outbox and one audit chain).
 */
describeWithServer(postgresBinDir() !== null, 'postgresql')('two instances on PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let client: CreatedClient;
  let db: pg.Client;

  const env = () => ({
    PATH: process.env.PATH,
    DATABASE_URL: url,
    OUTBOX_ENABLED: 'false',
    TOKEN_ISSUER: 'http://gatehouse.test',
    CLIENT_CACHE_TTL_MS: '0',
    DATABASE_POOL_SIZE: '4',
    SEED_DEMO_DATA: 'true',
    ...TEST_SECRETS_ENV,
  });
  const http = (app: NestFastifyApplication) => request(app.getHttpServer());
  const token = async (app: NestFastifyApplication) => {
    const res = await http(app)
      .post('/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  };
  let phone = 0;
  const lead = (email: string) => ({
    name: 'Lê Thu Hà',
    email,
    phone: `+849${20_000_000 + phone++}`,
    channel: 'web',
    consent: true,
  });

  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('gatehouse');
    url = server.url('gatehouse');
    // Sequential starts: the first migrates and seeds, the second finds both done.
    ({ app: a } = await createApp({ env: env(), logger: false }));
    ({ app: b } = await createApp({ env: env(), logger: false }));
    await a.getHttpAdapter().getInstance().ready();
    await b.getHttpAdapter().getInstance().ready();
    client = await a.get(ClientsService).create({
      name: 'pg-agent',
      scopes: [
        'inventory:read',
        'orders:read',
        'leads:write',
        'requests:write',
        'requests:read',
        'handoff:write',
        'audit:read',
      ],
      limits: { read: 10_000, write: 10_000 },
    });
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await a?.close();
    await b?.close();
    server?.stop();
  });

  it('migrated and seeded once', async () => {
    const migrations = await db.query(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    // Each migration exactly once, though both instances started on the empty database.
    const folders = readdirSync('prisma/postgres/migrations', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(migrations.rows.map((r: { migration_name: string }) => r.migration_name).sort()).toEqual(
      folders,
    );
    const orders = await db.query('SELECT COUNT(*)::int AS n FROM "SalesOrder"');
    expect(orders.rows[0].n).toBeGreaterThanOrEqual(1000);
  });

  it('accepts a token issued by one instance on the other', async () => {
    const fromA = await token(a);
    const res = await http(b).get('/v1/inventory?q=ban%20go%20soi').auth(fromA, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { sku: string }) => p.sku)).toContain('BAN-GO-SOI-120');
    const order = await http(b).get('/v1/orders/SO-2026-000123').auth(fromA, { type: 'bearer' });
    expect(order.body).toMatchObject({ status: 'shipped', customer: { email: 'l***@e***.vn' } });
  });

  it('replays an Idempotency-Key on the other instance', async () => {
    const key = randomUUID();
    const body = lead(`ha.le.${Date.now()}@example.vn`);
    const first = await http(a)
      .post('/v1/leads')
      .auth(await token(a), { type: 'bearer' })
      .set('idempotency-key', key)
      .send(body);
    const second = await http(b)
      .post('/v1/leads')
      .auth(await token(b), { type: 'bearer' })
      .set('idempotency-key', key)
      .send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    const rows = await db.query('SELECT COUNT(*)::int AS n FROM "Lead" WHERE email = $1', [
      body.email,
    ]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('deduplicates leads by email and by phone across instances, also when two race', async () => {
    const [ta, tb] = [await token(a), await token(b)];
    const post = (app: NestFastifyApplication, t: string, body: object) =>
      http(app)
        .post('/v1/leads')
        .auth(t, { type: 'bearer' })
        .set('idempotency-key', randomUUID())
        .send(body);
    const email = `dedupe.${Date.now()}@example.vn`;
    const first = await post(a, ta, lead(email));
    expect(first.status).toBe(201);
    const byEmail = await post(b, tb, { ...lead(email.toUpperCase()), phone: undefined });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ leadId: first.body.leadId, duplicate: true });
    const phoneOnly = lead(`other.${Date.now()}@example.vn`);
    const created = await post(a, ta, phoneOnly);
    const byPhone = await post(b, tb, {
      ...lead(`third.${Date.now()}@example.vn`),
      phone: phoneOnly.phone,
    });
    expect(byPhone.body).toMatchObject({ leadId: created.body.leadId, duplicate: true });

    // Same contact, different keys, both instances at once: one lead; the loser of the
    // unique index retries its transaction and answers the winner's lead as a duplicate.
    const racing = lead(`race.${Date.now()}@example.vn`);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(i % 2 ? a : b, i % 2 ? ta : tb, racing)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.body.leadId as string)).size).toBe(1);
    const rows = await db.query('SELECT COUNT(*)::int AS n FROM "Lead" WHERE email = $1', [
      racing.email,
    ]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('frees the Idempotency-Key of a write that failed, so the retry runs', async () => {
    const t = await token(a);
    const key = randomUUID();
    const bad = await http(a)
      .post('/v1/leads')
      .auth(t, { type: 'bearer' })
      .set('idempotency-key', key)
      .send({ ...lead(`fix.${Date.now()}@example.vn`), phone: '+84 12' });
    expect(bad.status).toBe(400);
    const marker = await db.query(
      'SELECT COUNT(*)::int AS n FROM "IdempotencyRecord" WHERE "key" = $1',
      [key],
    );
    expect(marker.rows[0].n).toBe(0);
    const good = await http(b)
      .post('/v1/leads')
      .auth(await token(b), { type: 'bearer' })
      .set('idempotency-key', key)
      .send(lead(`fix.${Date.now()}@example.vn`));
    expect(good.status).toBe(201);
    const stored = await db.query<{ status: string; responseStatus: number; expires: boolean }>(
      `SELECT "status", "responseStatus", "expiresAt" > "createdAt" + interval '1 hour' AS expires FROM "IdempotencyRecord" WHERE "key" = $1`,
      [key],
    );
    expect(stored.rows).toEqual([{ status: 'completed', responseStatus: 201, expires: true }]);

    // A marker left in flight by a process that died is taken over after a minute.
    const abandoned = randomUUID();
    await db.query(
      `INSERT INTO "IdempotencyRecord" ("clientId", "key", "requestHash", "status", "createdAt", "expiresAt")
       VALUES ($1, $2, 'other-hash', 'in_flight', now() AT TIME ZONE 'UTC' - interval '2 minutes', now() AT TIME ZONE 'UTC' + interval '1 day')`,
      [client.clientId, abandoned],
    );
    const takenOver = await http(a)
      .post('/v1/leads')
      .auth(t, { type: 'bearer' })
      .set('idempotency-key', abandoned)
      .send(lead(`abandoned.${Date.now()}@example.vn`));
    expect(takenOver.status).toBe(201);
    // A live one is not: another body under the same key is refused.
    const inFlight = randomUUID();
    await db.query(
      `INSERT INTO "IdempotencyRecord" ("clientId", "key", "requestHash", "status", "createdAt", "expiresAt")
       VALUES ($1, $2, 'other-hash', 'in_flight', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + interval '1 day')`,
      [client.clientId, inFlight],
    );
    const busy = await http(a)
      .post('/v1/leads')
      .auth(t, { type: 'bearer' })
      .set('idempotency-key', inFlight)
      .send(lead(`busy.${Date.now()}@example.vn`));
    expect(busy.status).toBe(422);
    expect(busy.body.code).toBe('idempotency_key_reused');
  });

  it('creates internal requests and handoffs with their outbox rows and audit events in one transaction', async () => {
    const t = await token(b);
    const request = await http(b)
      .post('/v1/internal-requests')
      .auth(t, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('x-request-id', 'pg-write-request-1')
      .send({ type: 'it_support', summary: 'VPN does not connect', requester: { name: 'Mai' } });
    expect(request.status).toBe(201);
    const handoff = await http(b)
      .post('/v1/handoffs')
      .auth(t, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .set('x-request-id', 'pg-write-handoff-1')
      .send({ conversationId: 'conv-pg-1', reason: 'complaint', summary: 'Broken desk leg' });
    expect(handoff.status).toBe(201);
    const rows = await db.query<{ topic: string; status: string }>(
      'SELECT topic, status FROM "OutboxMessage" WHERE "aggregateId" = ANY($1) ORDER BY topic',
      [[request.body.id, handoff.body.handoffId]],
    );
    expect(rows.rows.map((r) => r.topic)).toEqual(['staff.notify', 'ticket.create']);
    const stored = await db.query(
      'SELECT (SELECT "requester" FROM "InternalRequest" WHERE id = $1) AS requester, (SELECT "conversationId" FROM "Handoff" WHERE id = $2) AS conversation',
      [request.body.id, handoff.body.handoffId],
    );
    expect(stored.rows[0]).toEqual({ requester: '{"name":"Mai"}', conversation: 'conv-pg-1' });
    const audited = await db.query(
      `SELECT "requestId", "tool", "status" FROM "AuditEvent" WHERE "requestId" LIKE 'pg-write-%' ORDER BY "requestId"`,
    );
    expect(audited.rows).toEqual([
      { requestId: 'pg-write-handoff-1', tool: 'request_human_handoff', status: 201 },
      { requestId: 'pg-write-request-1', tool: 'create_internal_request', status: 201 },
    ]);
    // Delivered from the other instance; the ticket's receipt is written back on delivery.
    await a.get(OutboxWorker).drain();
    const after = await http(b)
      .get(`/v1/internal-requests/${request.body.id}`)
      .auth(t, { type: 'bearer' });
    expect(after.body).toMatchObject({ status: 'submitted', ticketRef: expect.any(String) });
    const notified = await db.query('SELECT status FROM "Handoff" WHERE id = $1', [
      handoff.body.handoffId,
    ]);
    expect(notified.rows).toEqual([{ status: 'notified' }]);
  });

  it('dead-letters a message no retry can deliver, with the reason and no claim left', async () => {
    // Due a second ago: PostgreSQL rounds now() to the column's milliseconds, which can land
    // after the worker's clock (whole milliseconds, truncated) if it claims within the same one.
    const id = `msg_pg_dead_${Date.now()}`;
    await db.query(
      `INSERT INTO "OutboxMessage" ("id", "topic", "aggregateId", "payload", "nextAttemptAt", "createdAt")
       VALUES ($1, 'no.such.topic', 'X-1', '{}', now() AT TIME ZONE 'UTC' - interval '1 second', now() AT TIME ZONE 'UTC')`,
      [id],
    );
    try {
      await b.get(OutboxWorker).drain();
      const row = await db.query(
        'SELECT status, attempts, "lastError", "lockedBy", "lockedUntil" FROM "OutboxMessage" WHERE id = $1',
        [id],
      );
      expect(row.rows).toEqual([
        {
          status: 'dead',
          attempts: 1,
          lastError: expect.stringContaining('no handler for topic no.such.topic'),
          lockedBy: null,
          lockedUntil: null,
        },
      ]);
    } finally {
      // Later tests count undelivered messages.
      await db.query('DELETE FROM "OutboxMessage" WHERE id = $1', [id]);
    }
  });

  it('approves a held request on one instance: the ticket enters the outbox with the audit event', async () => {
    const issue = async (c: CreatedClient) => {
      const res = await http(a)
        .post('/oauth/token')
        .auth(c.clientId, c.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      return res.body.access_token as string;
    };
    const held = await a.get(ClientsService).create({
      name: 'pg-held-agent',
      scopes: ['requests:write'],
      policies: { requestApproval: 'required' },
    });
    const admin = await a
      .get(ClientsService)
      .create({ name: 'pg-admin', scopes: ['clients:admin'] });
    const created = await http(a)
      .post('/v1/internal-requests')
      .auth(await issue(held), { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ type: 'quote', summary: 'Quote for 40 desks' });
    expect(created.body.status).toBe('pending_review');
    const outboxOf = async (id: string) =>
      (await db.query('SELECT topic FROM "OutboxMessage" WHERE "aggregateId" = $1', [id])).rows;
    expect(await outboxOf(created.body.id)).toEqual([]);
    const approved = await http(b)
      .post(`/v1/admin/internal-requests/${created.body.id}/approve`)
      .auth(await issue(admin), { type: 'bearer' })
      .set('x-request-id', 'pg-approve-1')
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('queued');
    expect(await outboxOf(created.body.id)).toEqual([{ topic: 'ticket.create' }]);
    const audited = await db.query(
      'SELECT COUNT(*)::int AS n FROM "AuditEvent" WHERE "requestId" = $1',
      ['pg-approve-1'],
    );
    expect(audited.rows[0].n).toBeGreaterThanOrEqual(1);
  });

  it('keeps one gap-free, valid audit chain under concurrent writes to both instances', async () => {
    const [ta, tb] = [await token(a), await token(b)];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        http(i % 2 ? a : b)
          .post('/v1/leads')
          .auth(i % 2 ? ta : tb, { type: 'bearer' })
          .set('idempotency-key', randomUUID())
          .send(lead(`burst.${i}.${Date.now()}@example.vn`)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    // Round robin across both instances: 40 consecutive places, so no rep gets
    // more than one lead more than another.
    const perRep = (
      await db.query(
        `SELECT "assignedRepId", COUNT(*)::int AS n FROM "Lead" WHERE email LIKE 'burst.%' GROUP BY "assignedRepId"`,
      )
    ).rows.map((r: { n: number }) => r.n);
    const reps = (await db.query('SELECT COUNT(*)::int AS n FROM "SalesRep" WHERE active')).rows[0]
      .n as number;
    expect(perRep).toHaveLength(reps);
    expect(Math.max(...perRep) - Math.min(...perRep)).toBeLessThanOrEqual(1);
    const seqs = (await db.query('SELECT seq FROM "AuditEvent" ORDER BY seq')).rows.map(
      (r: { seq: number }) => r.seq,
    );
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const verify = await http(a).get('/v1/audit-events/verify').auth(ta, { type: 'bearer' });
    expect(verify.body).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('audits concurrent reads on both instances once each, in one valid chain, at the right time', async () => {
    const [ta, tb] = [await token(a), await token(b)];
    const before = Date.now();
    // Quotes, backslashes, commas and braces travel through the batch insert's arrays.
    const skus = ['BAN-GO-SOI-120', 'NO-SUCH-SKU-9', 'Bad "sku" \\ ,{}'];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        http(i % 2 ? a : b)
          .get(`/v1/inventory/${encodeURIComponent(skus[i % 3] ?? '')}`)
          .auth(i % 2 ? ta : tb, { type: 'bearer' })
          .set('x-request-id', `pg-read-${String(i).padStart(4, '0')}`),
      ),
    );
    const after = Date.now();
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 60 }, (_, i) => [200, 404, 400][i % 3]),
    );
    const rows = (
      await db.query<{ requestId: string; time: Date; status: number }>(
        `SELECT "requestId", "time", "status" FROM "AuditEvent" WHERE "requestId" LIKE 'pg-read-%' ORDER BY "requestId"`,
      )
    ).rows;
    expect(rows.map((r) => r.requestId)).toEqual(
      Array.from({ length: 60 }, (_, i) => `pg-read-${String(i).padStart(4, '0')}`),
    );
    expect(rows.map((r) => r.status)).toEqual(results.map((r) => r.status));
    // TIMESTAMP(3) holds UTC wall time; read back as UTC it must fall inside the burst.
    const utc = (
      await db.query<{ ms: string }>(
        `SELECT (EXTRACT(EPOCH FROM "time" AT TIME ZONE 'UTC') * 1000)::bigint::text AS ms FROM "AuditEvent" WHERE "requestId" LIKE 'pg-read-%'`,
      )
    ).rows.map((r) => Number(r.ms));
    for (const ms of utc) {
      expect(ms).toBeGreaterThanOrEqual(before - 5);
      expect(ms).toBeLessThanOrEqual(after + 5);
    }
    const seqs = (await db.query('SELECT seq FROM "AuditEvent" ORDER BY seq')).rows.map(
      (r: { seq: number }) => r.seq,
    );
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const verify = await http(b).get('/v1/audit-events/verify').auth(tb, { type: 'bearer' });
    expect(verify.body).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
    await expect(
      db.query('UPDATE "AuditEvent" SET outcome = \'ok\' WHERE seq = 1'),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM "AuditEvent" WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
  });

  it('delivers outbox rows written by one instance from the other, exactly once', async () => {
    const body = lead(`outbox.${Date.now()}@example.vn`);
    const res = await http(a)
      .post('/v1/leads')
      .auth(await token(a), { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send(body);
    expect(res.status).toBe(201);
    await Promise.all([a.get(OutboxWorker).drain(), b.get(OutboxWorker).drain()]);
    const pending = await db.query(
      'SELECT COUNT(*)::int AS n FROM "OutboxMessage" WHERE status <> \'delivered\'',
    );
    expect(pending.rows[0].n).toBe(0);
    const sinks = await db.query(
      'SELECT sink, COUNT(*)::int AS n FROM "EmbeddedSinkRecord" GROUP BY sink ORDER BY sink',
    );
    const delivered = await db.query('SELECT COUNT(*)::int AS n FROM "OutboxMessage"');
    const total = sinks.rows.reduce((sum: number, r: { n: number }) => sum + r.n, 0);
    expect(total).toBe(delivered.rows[0].n);
  });

  it('survives a connection killed inside a direct transaction, and the pool goes on', async () => {
    const direct = pgDirectOf(a.get(PrismaService));
    if (!direct) throw new Error('no direct PostgreSQL access');
    await expect(
      direct.transaction((tx) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())')),
    ).rejects.toThrow(/terminat/);
    const answer = await direct.transaction((tx) => tx.query<{ n: number }>('SELECT 1 AS n'));
    expect(answer.rows).toEqual([{ n: 1 }]);
    // Statements inside a direct transaction are bounded; the pooled session is left as it was.
    const inside = await direct.transaction((tx) =>
      tx.query<{ statement_timeout: string }>('SHOW statement_timeout'),
    );
    expect(inside.rows).toEqual([{ statement_timeout: '20s' }]);
    const outside = await direct.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(outside.rows).toEqual([{ statement_timeout: '0' }]);
    const timedOut = await direct
      .transaction(async (tx) => {
        await tx.query('SET LOCAL statement_timeout = 50');
        return tx.query('SELECT pg_sleep(2)');
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect((timedOut as { code?: string }).code).toBe('57014');
    expect(isStoreUnavailable(timedOut)).toBe(true);
    const res = await http(a)
      .get('/v1/inventory/BAN-GO-SOI-120')
      .auth(await token(a), {
        type: 'bearer',
      });
    expect(res.status).toBe(200);
  });

  it('answers 503 with Retry-After while PostgreSQL is down, and recovers without a restart', async () => {
    const t = await token(a);
    const key = randomUUID();
    const body = lead(`outage.${Date.now()}@example.vn`);
    const write = () =>
      http(a).post('/v1/leads').auth(t, { type: 'bearer' }).set('idempotency-key', key).send(body);
    await db.end();
    server.pause();
    try {
      const down = await write();
      expect(down.status).toBe(503);
      expect(down.headers['retry-after']).toBe('5');
      expect(down.body).toMatchObject({ code: 'service_unavailable', retryable: true });
      expect(down.body.detail).toContain("Gatehouse's database did not answer");
      expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres/i);
      const read = await http(b).get('/v1/inventory/BAN-GO-SOI-120').auth(t, { type: 'bearer' });
      expect(read.status).toBe(503);
      expect(read.body.detail).toContain("Gatehouse's database did not answer");
      expect((await http(a).get('/readyz')).status).toBe(503);
    } finally {
      server.resume();
      db = new pg.Client({ connectionString: url });
      await db.connect();
    }
    const up = await write();
    expect(up.status).toBe(201);
    expect((await http(a).get('/readyz')).status).toBe(200);
  });

  it('propagates a client disabled on one instance to the other at once', async () => {
    const other = await a
      .get(ClientsService)
      .create({ name: 'doomed', scopes: ['inventory:read'] });
    const res = await http(a)
      .post('/oauth/token')
      .auth(other.clientId, other.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    const t = res.body.access_token as string;
    expect((await http(b).get('/v1/inventory?q=den').auth(t, { type: 'bearer' })).status).toBe(200);
    await a.get(ClientsService).disable(other.clientId);
    expect((await http(b).get('/v1/inventory?q=den').auth(t, { type: 'bearer' })).status).toBe(401);
  });

  it('names a database that does not exist, and how to create it, instead of a stack trace', async () => {
    const missing = await createApp({
      env: { ...env(), DATABASE_URL: server.url('not_created') },
      logger: false,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toBe(
      'Cannot open the PostgreSQL database named by DATABASE_URL: database "not_created" does not exist — create it first (createdb -O <role> <name>)',
    );
  });

  it('runs the CLI against PostgreSQL', () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
    const out = execFileSync(
      process.execPath,
      [
        'dist/bin/gatehouse.js',
        'clients',
        'create',
        '--name',
        'cli-pg',
        '--scopes',
        'orders:read',
        '--json',
      ],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: url, ...TEST_SECRETS_ENV },
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).toMatchObject({ scopes: ['orders:read'] });
    const verify = execFileSync(
      process.execPath,
      ['dist/bin/gatehouse.js', 'audit', 'verify', '--json'],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: url, ...TEST_SECRETS_ENV },
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(verify)).toMatchObject({ ok: true });
  }, 120_000);
});
