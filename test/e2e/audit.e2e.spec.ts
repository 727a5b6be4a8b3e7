import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { startTestApp, type TestApp } from '../utils/test-app.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';

interface AuditRow {
  seq: number;
  requestId: string | null;
  outcome: string;
  status: number | null;
  tool: string | null;
  transport: string;
  clientId: string | null;
  agentId: string | null;
  conversationId: string | null;
  endUserHash: string | null;
  request: string;
  response: string;
  upstream: string;
  kind: string;
}

describe('audit trail (SPEC §8)', () => {
  let t: TestApp;
  let db: Database.Database;
  let reader: string;
  let auditor: string;

  const rows = (): AuditRow[] =>
    db.prepare('SELECT * FROM AuditEvent ORDER BY seq').all() as AuditRow[];
  let phoneSeq = 0;
  /** A new lead each call: leads are deduplicated on email and on phone. */
  const lead = (email: string) => ({
    name: 'Phạm Minh Châu',
    email,
    phone: `+849${10_000_000 + phoneSeq++}`,
    channel: 'zalo',
    consent: true,
  });

  beforeAll(async () => {
    t = await startTestApp();
    db = new Database(t.dbFile);
    reader = await t.token(['inventory:read', 'orders:read', 'leads:write'], {
      limits: { read: 1000, write: 1000 },
    });
    auditor = await t.token(['audit:read']);
  });
  afterAll(async () => {
    db.close();
    await t.close();
  });

  it('writes exactly one event per request, for every outcome, matched by request id', async () => {
    const limited = await t.token(['inventory:read'], { limits: { read: 1 } });
    const before = rows().length;
    const key = `audit-${randomUUID()}`;
    const calls: Array<() => Promise<{ status: number; headers: Record<string, string> }>> = [
      () => t.http.get('/v1/inventory?q=ban').auth(reader, { type: 'bearer' }),
      () => t.http.get('/v1/inventory?q=ban&limit=0').auth(reader, { type: 'bearer' }),
      () => t.http.get('/v1/inventory?q=ban'),
      () => t.http.get('/v1/inventory?q=ban').auth('not.a.token', { type: 'bearer' }),
      () => t.http.get('/v1/deliveries').auth(reader, { type: 'bearer' }),
      () => t.http.get('/v1/orders/SO-2099-999999').auth(reader, { type: 'bearer' }),
      () =>
        t.http
          .post('/v1/leads')
          .auth(reader, { type: 'bearer' })
          .set('idempotency-key', key)
          .send(lead(`a-${key}@example.vn`)),
      () =>
        t.http
          .post('/v1/leads')
          .auth(reader, { type: 'bearer' })
          .set('idempotency-key', key)
          .send(lead(`b-${key}@example.vn`)),
      () => t.http.post('/v1/leads').auth(reader, { type: 'bearer' }).send(lead('x@example.vn')),
      () => t.http.get('/v1/inventory?q=ban').auth(limited, { type: 'bearer' }),
      () => t.http.get('/v1/inventory?q=ban').auth(limited, { type: 'bearer' }),
    ];
    const ids: string[] = [];
    const statuses: number[] = [];
    for (const call of calls) {
      const res = await call();
      ids.push(res.headers['x-request-id']);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 400, 401, 401, 403, 404, 201, 422, 400, 200, 429]);
    const events = rows()
      .slice(before)
      .filter((r) => r.kind === 'request');
    expect(events.map((e) => e.requestId)).toEqual(ids);
    expect(events.map((e) => e.status)).toEqual(statuses);
    expect(events.map((e) => e.outcome)).toEqual([
      'ok',
      'invalid',
      'denied',
      'denied',
      'denied',
      'not_found',
      'ok',
      'invalid',
      'invalid',
      'ok',
      'throttled',
    ]);
    // Error summaries keep the problem code; success summaries keep scalars and counts.
    expect(JSON.parse(events[5].response)).toEqual({ code: 'order_not_found' });
    expect(JSON.parse(events[0].response)).toMatchObject({ itemsCount: expect.any(Number) });
  });

  it('records tool, client, agent context (end user hashed) and upstream calls', async () => {
    const res = await t.http
      .get('/v1/inventory/BAN-GO-SOI-120')
      .auth(reader, { type: 'bearer' })
      .set('x-agent-id', 'sales-bot-1')
      .set('x-conversation-id', 'conv-42')
      .set('x-end-user-id', 'zalo:84901234567');
    const event = db
      .prepare('SELECT * FROM AuditEvent WHERE requestId = ?')
      .get(res.headers['x-request-id']) as AuditRow;
    expect(event).toMatchObject({
      tool: 'check_inventory',
      transport: 'http',
      agentId: 'sales-bot-1',
      conversationId: 'conv-42',
      outcome: 'ok',
    });
    expect(event.clientId).toMatch(/^cl_/);
    expect(event.endUserHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(event)).not.toContain('84901234567');
    expect(JSON.parse(event.upstream)).toEqual([
      expect.objectContaining({
        system: 'embedded',
        operation: 'inventory.getStock',
        status: 'ok',
      }),
    ]);
    // The product's name is kept as text (check_inventory declares it auditPlain), not masked as a person's.
    expect(JSON.parse(event.response)).toMatchObject({
      sku: 'BAN-GO-SOI-120',
      name: (res.body as { name: string }).name,
      warehousesCount: expect.any(Number),
    });
  });

  it('redacts emails, phones, names and credentials before writing', async () => {
    const email = `chau.pham.${Date.now()}@example.vn`;
    const res = await t.http
      .post('/v1/leads')
      .auth(reader, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ ...lead(email), interest: { note: `call me on +84 912 345 678 or ${email}` } });
    expect(res.status).toBe(201);
    const event = db
      .prepare('SELECT * FROM AuditEvent WHERE requestId = ?')
      .get(res.headers['x-request-id']) as AuditRow;
    const text = JSON.stringify(event);
    expect(text).not.toContain(email);
    expect(text).not.toContain('912 345 678');
    expect(text).not.toContain('Phạm Minh Châu');
    expect(text).not.toContain(reader.split('.')[2]);
    expect(JSON.parse(event.request).body.email).toBe('c***@e***.vn');
  });

  it('serves events to auditors, filtered and cursor-paginated', async () => {
    const denied = await t.http.get('/v1/audit-events').auth(reader, { type: 'bearer' });
    expect(denied.status).toBe(403);
    const page1 = await t.http
      .get('/v1/audit-events?tool=search_products&limit=2')
      .auth(auditor, { type: 'bearer' });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.items.every((e: { tool: string }) => e.tool === 'search_products')).toBe(
      true,
    );
    const page2 = await t.http
      .get(`/v1/audit-events?tool=search_products&limit=2&cursor=${page1.body.nextCursor}`)
      .auth(auditor, { type: 'bearer' });
    expect(page2.body.items[0].seq).toBeLessThan(page1.body.items[1].seq);
    const bad = await t.http
      .get('/v1/audit-events?cursor=bm9wZQ')
      .auth(auditor, { type: 'bearer' });
    expect(bad.status).toBe(400);
    const tooBig = await t.http
      .get('/v1/audit-events?limit=5000')
      .auth(auditor, { type: 'bearer' });
    expect(tooBig.status).toBe(400);
    const backwards = await t.http
      .get('/v1/audit-events?from=2026-11-30T00:00:00Z&to=2026-11-01T00:00:00Z')
      .auth(auditor, { type: 'bearer' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([
      { field: 'to', message: 'must be after from (2026-11-30T00:00:00Z)' },
    ]);
  });

  it('keeps one valid, gap-free chain under 50 concurrent writes', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post('/v1/leads')
          .auth(reader, { type: 'bearer' })
          .set('idempotency-key', randomUUID())
          .send(lead(`burst-${i}-${Date.now()}@example.vn`)),
      ),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const seqs = rows().map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const verify = await t.http.get('/v1/audit-events/verify').auth(auditor, { type: 'bearer' });
    // The verify call's own event is written after it answers.
    expect(verify.body).toEqual({ ok: true, checked: seqs.length, firstBrokenSeq: null });
  });

  describe('bounded summaries (no inflating the trail from outside)', () => {
    const SUMMARY_LIMIT = 4096;
    /** The review's proof: a 62 KB JSON object of 5,000 keys. */
    const manyKeys = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`k${String(i).padStart(4, '0')}`, 'x']),
    );
    const eventOf = (res: { headers: Record<string, string> }) =>
      db
        .prepare('SELECT * FROM AuditEvent WHERE requestId = ?')
        .get(res.headers['x-request-id']) as AuditRow & { method: string; route: string };
    const storedBytes = (text: string) => Buffer.byteLength(text, 'utf8');

    it('keeps 50 keys of a 5,000-key body answered 400, and counts the rest', async () => {
      expect(JSON.stringify(manyKeys).length).toBe(60_001);
      const res = await t.http
        .post('/v1/leads')
        .auth(reader, { type: 'bearer' })
        .set('idempotency-key', randomUUID())
        .send(manyKeys);
      expect(res.status).toBe(400);
      const event = eventOf(res);
      expect(storedBytes(event.request)).toBeLessThanOrEqual(SUMMARY_LIMIT);
      expect(storedBytes(event.response)).toBeLessThanOrEqual(SUMMARY_LIMIT);
      const body = JSON.parse(event.request).body as Record<string, string>;
      expect(Object.keys(body)).toEqual([
        ...Array.from({ length: 50 }, (_, i) => `k${String(i).padStart(4, '0')}`),
        '…',
      ]);
      expect(body['…']).toBe('4950 more keys');
      const response = JSON.parse(event.response) as { code: string; errors: unknown[] };
      expect(response.code).toBe('validation_failed');
      expect(response.errors).toHaveLength(21);
      expect(response.errors[20]).toMatch(/^\[\+\d+ more\]$/);
    });

    it('cuts a summary over 4 KiB to fit and says so', async () => {
      const longValues = Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`note${i}`, `${i} ${'z'.repeat(490)}`]),
      );
      const res = await t.http
        .post('/v1/leads')
        .auth(reader, { type: 'bearer' })
        .set('idempotency-key', randomUUID())
        .send(longValues);
      expect(res.status).toBe(400);
      const event = eventOf(res);
      expect(storedBytes(event.request)).toBeLessThanOrEqual(SUMMARY_LIMIT);
      const summary = JSON.parse(event.request) as {
        '[TRUNCATED]': string;
        body: Record<string, string>;
      };
      // The full summary: 50 kept keys of ~500 characters each.
      expect(summary['[TRUNCATED]']).toMatch(/^2\d{4} bytes cut to 4096$/);
      const shown = Object.keys(summary.body).filter((k) => k !== '…');
      expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => `note${i}`));
      expect(summary.body.note0).toBe(`0 ${'z'.repeat(490)}`);
      expect(summary.body['…']).toBe(`${100 - shown.length} more keys`);
    });

    it('records no body for a 401 or a 429: method, route and status only', async () => {
      const anonymous = await t.http.post('/v1/leads').send(manyKeys);
      expect(anonymous.status).toBe(401);
      const limited = await t.token(['leads:write'], { limits: { write: 1 } });
      const send = () =>
        t.http
          .post('/v1/leads')
          .auth(limited, { type: 'bearer' })
          .set('idempotency-key', randomUUID())
          .send(manyKeys);
      expect((await send()).status).toBe(400);
      const throttled = await send();
      expect(throttled.status).toBe(429);
      for (const [res, status] of [
        [anonymous, 401],
        [throttled, 429],
      ] as const) {
        const event = eventOf(res);
        expect(event).toMatchObject({
          method: 'POST',
          route: '/v1/leads',
          tool: 'create_lead',
          status,
        });
        expect(JSON.parse(event.request)).toEqual({
          params: {},
          query: {},
          body: '[NOT RECORDED]',
        });
      }
    });

    it('keeps the client_id a failed login at /oauth/token tried, with its secret redacted', async () => {
      const res = await t.http.post('/oauth/token').type('form').send({
        grant_type: 'client_credentials',
        client_id: 'cl_guessedclient01',
        client_secret: 'wrong-secret-that-must-not-be-stored',
      });
      expect(res.status).toBe(401);
      const event = eventOf(res);
      expect(event).toMatchObject({ route: '/oauth/token', status: 401, outcome: 'denied' });
      const body = (JSON.parse(event.request) as { body: Record<string, string> }).body;
      expect(body).toMatchObject({
        grant_type: 'client_credentials',
        client_id: 'cl_guessedclient01',
      });
      expect(body.client_secret).not.toContain('wrong-secret');
    });

    it("shows the MCP exchange's tool name while the lead's name inside its arguments stays masked", async () => {
      const email = `mcp-audit-${Date.now()}@example.vn`;
      const res = await t.http
        .post('/mcp')
        .auth(reader, { type: 'bearer' })
        .set('accept', 'application/json, text/event-stream')
        .send({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'create_lead',
            arguments: { ...lead(email), idempotencyKey: randomUUID() },
          },
        });
      expect(res.status).toBe(200);
      const [exchange, call] = db
        .prepare('SELECT * FROM AuditEvent WHERE requestId = ? ORDER BY route = ? DESC')
        .all(res.headers['x-request-id'], '/mcp') as (AuditRow & { route: string })[];
      expect(exchange).toMatchObject({ route: '/mcp', tool: null, transport: 'mcp' });
      expect(call).toMatchObject({ route: '/v1/leads', tool: 'create_lead', status: 201 });
      const params = JSON.parse(exchange.request).body.params;
      expect(params.name).toBe('create_lead');
      expect(params.arguments).toMatchObject({ name: 'P*** M*** C***', email: 'm***@e***.vn' });
      expect(JSON.parse(call.request).body.name).toBe('P*** M*** C***');
      expect(exchange.request + call.request).not.toContain('Phạm Minh Châu');
    });

    it('keeps the chain valid over the bounded rows', async () => {
      const verify = await t.http.get('/v1/audit-events/verify').auth(auditor, { type: 'bearer' });
      expect(verify.body).toMatchObject({ ok: true, firstBrokenSeq: null });
    });
  });

  it('refuses UPDATE and DELETE in the database', () => {
    expect(() => db.prepare("UPDATE AuditEvent SET outcome = 'ok' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM AuditEvent WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('fails a write with 503 and leaves no side effect when its audit event cannot be written', async () => {
    db.exec(`CREATE TRIGGER audit_outage BEFORE INSERT ON AuditEvent WHEN NEW.tool = 'create_lead'
             BEGIN SELECT RAISE(ABORT, 'simulated audit outage'); END;`);
    const email = `outage-${Date.now()}@example.vn`;
    const counts = () =>
      db
        .prepare(
          'SELECT (SELECT COUNT(*) FROM Lead) AS leads, (SELECT COUNT(*) FROM OutboxMessage) AS outbox',
        )
        .get();
    const before = counts();
    const res = await t.http
      .post('/v1/leads')
      .auth(reader, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send(lead(email));
    db.exec('DROP TRIGGER audit_outage');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(counts()).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) AS n FROM Lead WHERE email = ?').get(email)).toEqual({
      n: 0,
    });
  });

  it('names the first broken link when a row is edited directly in the database', async () => {
    const target = rows()[4];
    db.exec('DROP TRIGGER AuditEvent_no_update');
    db.prepare("UPDATE AuditEvent SET outcome = 'ok', status = 200 WHERE seq = ?").run(target.seq);
    const verify = await t.http.get('/v1/audit-events/verify').auth(auditor, { type: 'bearer' });
    expect(verify.body).toMatchObject({ ok: false, firstBrokenSeq: target.seq });
    db.prepare('UPDATE AuditEvent SET outcome = ?, status = ? WHERE seq = ?').run(
      target.outcome,
      target.status,
      target.seq,
    );
    db.exec(`CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
             BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;`);
    const fixed = await t.http.get('/v1/audit-events/verify').auth(auditor, { type: 'bearer' });
    expect(fixed.body.ok).toBe(true);
  });

  describe('CLI', () => {
    const cli = (args: string[]) =>
      execFileSync(process.execPath, ['dist/bin/gatehouse.js', ...args], {
        env: { PATH: process.env.PATH, DATABASE_URL: `file:${t.dbFile}`, ...TEST_SECRETS_ENV },
        encoding: 'utf8',
      });

    beforeAll(() => {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
    }, 120_000);

    it('verifies and exports as NDJSON', () => {
      expect(JSON.parse(cli(['audit', 'verify', '--json']))).toMatchObject({
        ok: true,
        firstBrokenSeq: null,
      });
      const lines = cli(['audit', 'export', '--format', 'ndjson']).trim().split('\n');
      expect(lines.length).toBe(rows().length);
      expect(JSON.parse(lines[0]).seq).toBe(1);
    });

    it('purges only through the CLI, leaving a signed checkpoint verification continues from', async () => {
      const all = rows();
      const cut = all[Math.floor(all.length / 2)];
      const time = (
        db.prepare('SELECT time FROM AuditEvent WHERE seq = ?').get(cut.seq) as { time: number }
      ).time;
      const result = JSON.parse(
        cli(['audit', 'purge', '--before', new Date(time).toISOString(), '--json']),
      );
      expect(result.purged).toBeGreaterThan(0);
      const remaining = rows();
      expect(remaining[0].seq).toBe(result.purgedThroughSeq + 1);
      expect(remaining[remaining.length - 1].kind).toBe('checkpoint');
      expect(JSON.parse(cli(['audit', 'verify', '--json']))).toMatchObject({ ok: true });
      const verify = await t.http.get('/v1/audit-events/verify').auth(auditor, { type: 'bearer' });
      expect(verify.body.ok).toBe(true);
    });
  });
});
