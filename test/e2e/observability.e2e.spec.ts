import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeysService } from '../../src/clients/api-keys.service.js';
import { DatabaseHealthIndicator } from '../../src/health/database.health.js';
import { createNestLogger } from '../../src/observability/logging/nest-logger.js';
import { createRootLogger } from '../../src/observability/logging/root-logger.js';
import { sample } from '../utils/prometheus.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

interface Problem {
  type: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  retryable: boolean;
}

type Line = Record<string, unknown>;

/** The real root logger and Nest adapter, writing into memory instead of stdout. */
function captureLogs(): { lines: Line[]; text: () => string } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Line);
      }
      done();
    },
  });
  Logger.overrideLogger(
    createNestLogger(createRootLogger({ logLevel: 'info', logRedactPaths: [] }, sink)),
  );
  return { lines, text: () => JSON.stringify(lines) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('observability: request logs, /healthz, /readyz, /metrics', () => {
  let t: TestApp;
  let token: string;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token(['inventory:read']);
    logs = captureLogs();
  });
  afterAll(async () => {
    Logger.overrideLogger(false);
    await t.close();
  });

  const inventory = (sku: string, requestId: string) =>
    t.http
      .get(`/v1/inventory/${sku}`)
      .auth(token, { type: 'bearer' })
      .set('x-request-id', requestId);

  describe('request log', () => {
    it('writes one line per request with request id, client, tool, status and latency', async () => {
      const res = await inventory('BAN-GO-SOI-120', 'obs-log-000001');
      expect(res.status).toBe(200);
      await settle();
      const mine = logs.lines.filter((l) => l.reqId === 'obs-log-000001');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        level: 'info',
        msg: 'request completed',
        context: 'HTTP',
        method: 'GET',
        route: '/v1/inventory/:sku',
        path: '/v1/inventory/BAN-GO-SOI-120',
        status: 200,
        outcome: 'ok',
        tool: 'check_inventory',
        transport: 'http',
      });
      expect(mine[0]?.clientId).toMatch(/^cl_/);
      expect(typeof mine[0]?.latencyMs).toBe('number');
    });

    it('logs failures with their outcome and never a credential or secret', async () => {
      const client = await t.client(['inventory:read']);
      const key = await t.app.get(ApiKeysService).create(client.clientId, {});
      await t.http
        .get('/v1/inventory/NO-SUCH-SKU-1')
        .set('x-api-key', key.apiKey)
        .set('x-request-id', 'obs-log-000002');
      await t.http.post('/oauth/token').type('form').set('x-request-id', 'obs-log-000003').send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
      await t.http
        .get('/v1/inventory/BAN-GO-SOI-120')
        .auth(`${token}x`, { type: 'bearer' })
        .set('x-request-id', 'obs-log-000004');
      await settle();
      const byId = (id: string) => logs.lines.find((l) => l.reqId === id);
      expect(byId('obs-log-000002')).toMatchObject({
        status: 404,
        outcome: 'not_found',
        tool: 'check_inventory',
      });
      expect(byId('obs-log-000003')).toMatchObject({ route: '/oauth/token', status: 200 });
      expect(byId('obs-log-000004')).toMatchObject({ status: 401, outcome: 'denied' });
      const text = logs.text();
      for (const secret of [token, key.apiKey, client.clientSecret])
        expect(text).not.toContain(secret);
      expect(text).not.toContain(token.split('.')[2]);
    });

    it('tags the audit-outage error line with the request id it answered 503 to', async () => {
      const db = new Database(t.dbFile);
      db.exec(`CREATE TRIGGER obs_audit_outage BEFORE INSERT ON AuditEvent
               WHEN NEW.requestId = 'obs-log-outage-1'
               BEGIN SELECT RAISE(ABORT, 'simulated audit outage'); END;`);
      try {
        const res = await inventory('BAN-GO-SOI-120', 'obs-log-outage-1');
        expect(res.status).toBe(503);
      } finally {
        db.exec('DROP TRIGGER obs_audit_outage');
        db.close();
      }
      await settle();
      const mine = logs.lines.filter((l) => l.reqId === 'obs-log-outage-1');
      expect(mine.map((l) => l.msg)).toEqual([
        'audit trail unavailable; answering 503',
        'request completed',
      ]);
      expect(mine[0]).toMatchObject({ level: 'error', context: 'AuditRecorder' });
      expect(mine[1]).toMatchObject({ status: 503 });
    });
  });

  describe('GET /healthz and GET /readyz', () => {
    it('answers liveness without touching dependencies', async () => {
      const res = await t.http.get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('reports the database and every connector when ready', async () => {
      const res = await t.http.get('/readyz');
      expect(res.status).toBe(200);
      const body = res.body as { status: string; details: Record<string, { status: string }> };
      expect(body.status).toBe('ok');
      expect(body.details.database?.status).toBe('up');
      for (const port of [
        'inventory',
        'orders',
        'deliveries',
        'tickets',
        'crmLeads',
        'notifications',
      ]) {
        expect(body.details[`connector:${port}`]?.status).toBe('up');
      }
    });

    it('fails while the database file is gone and recovers without a restart', async () => {
      const moved = `${t.dbFile}.away`;
      renameSync(t.dbFile, moved);
      try {
        const down = await t.http.get('/readyz');
        expect(down.status).toBe(503);
        expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(down.headers['retry-after']).toBe('5');
        const problem = down.body as Problem;
        expect(problem).toMatchObject({
          status: 503,
          code: 'service_unavailable',
          retryable: true,
        });
        expect(problem.detail).toContain('database');
        expect(problem.detail).not.toContain(t.dbFile);
        expect((await t.http.get('/healthz')).status).toBe(200);
      } finally {
        renameSync(moved, t.dbFile);
      }
      expect(existsSync(t.dbFile)).toBe(true);
      expect((await t.http.get('/readyz')).status).toBe(200);
    });

    it('fails once the database file is replaced under the running process', async () => {
      // Its own app: the one it leaves behind writes to a deleted file until closed.
      const own = await startTestApp();
      try {
        expect((await own.http.get('/readyz')).status).toBe(200);
        const backup = `${own.dbFile}.backup`;
        copyFileSync(own.dbFile, backup);
        // How a backup is restored: the old WAL and shared-memory index belong to the old file.
        for (const file of [own.dbFile, `${own.dbFile}-wal`, `${own.dbFile}-shm`]) {
          rmSync(file, { force: true });
        }
        copyFileSync(backup, own.dbFile);

        const down = await own.http.get('/readyz');
        expect(down.status).toBe(503);
        const problem = down.body as Problem;
        expect(problem).toMatchObject({ status: 503, code: 'service_unavailable' });
        expect(problem.detail).toContain('database');
        expect(problem.detail).not.toContain(own.dbFile);
        // The public body names only the failed check; the indicator says why.
        const { database } = await own.app.get(DatabaseHealthIndicator).check();
        expect(database).toMatchObject({ status: 'down' });
        expect(database.message).toMatch(/database file was replaced.*restart/);
        expect(database.message).not.toContain(own.dbFile);
        // Only a restart opens the new file, so readiness does not come back by itself.
        expect((await own.http.get('/readyz')).status).toBe(503);
      } finally {
        await own.close();
      }
    });
  });

  describe('GET /metrics', () => {
    const scrape = async () => {
      const res = await t.http.get('/metrics');
      expect(res.status).toBe(200);
      return res.text;
    };

    it('serves Prometheus text with requests by tool, outcome and status and latency histograms', async () => {
      for (let i = 0; i < 3; i++)
        expect((await inventory('BAN-GO-SOI-120', `obs-met-00000${i}`)).status).toBe(200);
      expect((await inventory('NO-SUCH-SKU-2', 'obs-met-000009')).status).toBe(404);
      const res = await t.http.get('/metrics');
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.text;
      const labels = { route: '/v1/inventory/:sku', tool: 'check_inventory' };
      expect(
        sample(text, 'gatehouse_requests_total', { ...labels, status: '200', outcome: 'ok' }),
      ).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, 'gatehouse_requests_total', {
          ...labels,
          status: '404',
          outcome: 'not_found',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'gatehouse_request_duration_seconds_count', labels),
      ).toBeGreaterThanOrEqual(4);
      expect(
        sample(text, 'gatehouse_request_duration_seconds_bucket', { ...labels, le: '+Inf' }),
      ).toBeGreaterThanOrEqual(4);
      expect(text).toMatch(
        /^gatehouse_upstream_calls_total\{system="embedded",operation="inventory\.[A-Za-z]+",status="ok"\} \d+$/m,
      );
      expect(text).toMatch(
        /^gatehouse_upstream_call_duration_seconds_count\{system="embedded",operation="inventory\.[A-Za-z]+"\} \d+$/m,
      );
      expect(sample(text, 'gatehouse_audit_batches_total', {})).toBeGreaterThan(0);
      expect(sample(text, 'gatehouse_audit_events_total', {})).toBeGreaterThan(0);
      expect(sample(text, 'gatehouse_log_lines_dropped_total', {})).toBe(0);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    });

    it('counts the write transactions on the embedded store and the group commits they shared', async () => {
      const writer = await t.token(['leads:write']);
      const before = await scrape();
      const lead = (n: number) =>
        t.http
          .post('/v1/leads')
          .auth(writer, { type: 'bearer' })
          .set('idempotency-key', `obs-lead-key-${n}`)
          .send({ name: 'Khách', email: `obs-${n}@example.vn`, channel: 'web', consent: true });
      // Sent together, so their Idempotency-Key claims and writes can share commits.
      const answers = await Promise.all([1, 2, 3, 4].map(lead));
      expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      const after = await scrape();
      const delta = (name: string) =>
        (sample(after, name, {}) ?? NaN) - (sample(before, name, {}) ?? NaN);
      // Each lead: its key claim and its write transaction, at least.
      expect(delta('gatehouse_sqlite_write_transactions_total')).toBeGreaterThanOrEqual(8);
      expect(delta('gatehouse_sqlite_write_commits_total')).toBeGreaterThan(0);
      expect(delta('gatehouse_sqlite_write_commits_total')).toBeLessThanOrEqual(
        delta('gatehouse_sqlite_write_transactions_total'),
      );
    });

    it('counts throttled requests per tool and client', async () => {
      const client = await t.client(['inventory:read'], { limits: { read: 1 } });
      const limited = await t.tokenFor(client);
      const call = () =>
        t.http.get('/v1/inventory/BAN-GO-SOI-120').auth(limited, { type: 'bearer' });
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(429);
      const text = await scrape();
      expect(
        sample(text, 'gatehouse_throttled_total', {
          tool: 'check_inventory',
          client_id: client.clientId,
        }),
      ).toBe(1);
      expect(
        sample(text, 'gatehouse_requests_total', {
          tool: 'check_inventory',
          status: '429',
          outcome: 'throttled',
        }),
      ).toBeGreaterThanOrEqual(1);
    });

    it('counts a tool called through MCP under its tool, with transport="mcp"', async () => {
      const res = await t.http
        .post('/mcp')
        .auth(token, { type: 'bearer' })
        .set('accept', 'application/json, text/event-stream')
        .set('content-type', 'application/json')
        .send({
          jsonrpc: '2.0',
          id: 7,
          method: 'tools/call',
          params: { name: 'check_inventory', arguments: { sku: 'BAN-GO-SOI-120' } },
        });
      expect(res.status).toBe(200);
      const text = await scrape();
      expect(
        sample(text, 'gatehouse_requests_total', {
          tool: 'check_inventory',
          transport: 'mcp',
          status: '200',
        }),
      ).toBe(1);
      expect(
        sample(text, 'gatehouse_requests_total', {
          route: '/mcp',
          transport: 'mcp',
          status: '200',
        }),
      ).toBe(1);
    });

    it('reports the outbox backlog and the age of its oldest message', async () => {
      const old = new Date(Date.now() - 90_000);
      await t.prisma.outboxMessage.createMany({
        data: [
          {
            id: 'msg_obs_1',
            topic: 'crm.lead',
            aggregateId: 'LD-1',
            payload: '{}',
            status: 'pending',
            createdAt: old,
            nextAttemptAt: new Date(Date.now() + 3_600_000),
          },
          {
            id: 'msg_obs_2',
            topic: 'crm.lead',
            aggregateId: 'LD-2',
            payload: '{}',
            status: 'processing',
            lockedBy: 'elsewhere',
          },
          {
            id: 'msg_obs_3',
            topic: 'crm.lead',
            aggregateId: 'LD-3',
            payload: '{}',
            status: 'dead',
          },
        ],
      });
      try {
        const text = await scrape();
        expect(
          sample(text, 'gatehouse_outbox_messages', { status: 'pending' }),
        ).toBeGreaterThanOrEqual(1);
        expect(
          sample(text, 'gatehouse_outbox_messages', { status: 'processing' }),
        ).toBeGreaterThanOrEqual(1);
        expect(
          sample(text, 'gatehouse_outbox_messages', { status: 'dead' }),
        ).toBeGreaterThanOrEqual(1);
        expect(
          sample(text, 'gatehouse_outbox_oldest_pending_age_seconds', {}),
        ).toBeGreaterThanOrEqual(90);
      } finally {
        await t.prisma.outboxMessage.deleteMany({
          where: { id: { in: ['msg_obs_1', 'msg_obs_2', 'msg_obs_3'] } },
        });
      }
    });

    it('is hidden from requests forwarded by a proxy when no METRICS_TOKEN is set', async () => {
      const res = await t.http.get('/metrics').set('x-forwarded-for', '203.0.113.9');
      expect(res.status).toBe(404);
      expect((res.body as Problem).code).toBe('route_not_found');
    });
  });

  describe('GET /metrics with METRICS_TOKEN', () => {
    const metricsToken = 'scrape-token-for-tests-0123456789';
    let guarded: TestApp;

    beforeAll(async () => {
      guarded = await startTestApp({ env: { METRICS_TOKEN: metricsToken } });
    });
    afterAll(async () => guarded.close());

    it('requires the token as a bearer credential', async () => {
      const missing = await guarded.http.get('/metrics');
      expect(missing.status).toBe(401);
      expect((missing.body as Problem).code).toBe('missing_credentials');
      const wrong = await guarded.http
        .get('/metrics')
        .auth(`${metricsToken}-nope`, { type: 'bearer' });
      expect(wrong.status).toBe(401);
      expect((wrong.body as Problem).code).toBe('invalid_token');
      const right = await guarded.http
        .get('/metrics')
        .auth(metricsToken, { type: 'bearer' })
        .set('x-forwarded-for', '203.0.113.9');
      expect(right.status).toBe(200);
      expect(right.text).toContain('# TYPE gatehouse_requests_total counter');
    });
  });
});
