import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { CreatedClient } from '../../src/clients/clients.service.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

// Generous limits so the suite never depends on the throttle (tested elsewhere).
const LIMITS = { read: 10_000, write: 10_000, token: 10_000 };
const LIST = '/v1/admin/internal-requests';

interface ReviewItem {
  id: string;
  clientId: string;
  status: string;
  createdAt: string;
  requester: Record<string, string>;
}

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code, instance: res.headers['x-request-id'] });
}

function fields(res: Response): string[] {
  return ((res.body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
}

describe('review of held internal requests (SPEC §1, §3, §5.5)', () => {
  let t: TestApp;
  let admin: CreatedClient;
  /** An agent whose client policy holds every internal request for review. */
  let heldAgent: CreatedClient;
  let heldToken: string;
  /** An agent without that policy: its requests are queued at once. */
  let openToken: string;

  let adminBearer: string;
  const adminToken = async () => (adminBearer ??= await t.tokenFor(admin));
  /** Runs the call as the admin client; a body of undefined sends none at all. */
  const asAdmin = async (
    method: 'get' | 'post',
    path: string,
    body?: object,
  ): Promise<Response> => {
    const req = t.http[method](path).auth(await adminToken(), { type: 'bearer' });
    return body === undefined ? req : req.send(body);
  };

  const create = async (
    token: string,
    body: object = { type: 'purchase', summary: 'Buy 3 label printers' },
  ) => {
    const res = await t.http
      .post('/v1/internal-requests')
      .auth(token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string };
  };
  const hold = async (body?: object) => {
    const created = await create(heldToken, body);
    expect(created.status).toBe('pending_review');
    return created.id;
  };
  const agentView = async (id: string) =>
    (await t.http.get(`/v1/internal-requests/${id}`).auth(heldToken, { type: 'bearer' })).body as {
      status: string;
      ticketRef: string | null;
      message: string;
    };
  const approve = (id: string) => asAdmin('post', `${LIST}/${id}/approve`);
  const reject = (id: string, body?: object) => asAdmin('post', `${LIST}/${id}/reject`, body);
  const outboxOf = (id: string) => t.prisma.outboxMessage.findMany({ where: { aggregateId: id } });
  const ticketsOf = async (id: string) =>
    (await t.prisma.embeddedSinkRecord.findMany({ where: { sink: 'tickets' } })).filter(
      (r) => (JSON.parse(r.payload) as { requestId?: string }).requestId === id,
    );
  /** The outbox worker runs in the app (20 ms poll): wait until the agent sees a ticket. */
  const untilSubmitted = async (id: string) => {
    let view = await agentView(id);
    for (let i = 0; i < 150 && view.status !== 'submitted'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      view = await agentView(id);
    }
    return view;
  };
  const securityEvents = async (event: string, subject: string) =>
    (await t.prisma.auditEvent.findMany({ where: { kind: 'security' }, orderBy: { seq: 'asc' } }))
      .map((e) => ({ ...e, request: JSON.parse(e.request) as Record<string, unknown> }))
      .filter((e) => e.request.event === event && e.request.subject === subject);
  const listAll = async (query: string, limit: number) => {
    const items: ReviewItem[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const c: string = cursor ? `&cursor=${cursor}` : '';
      const res = await asAdmin('get', `${LIST}?${query}&limit=${limit}${c}`);
      expect(res.status).toBe(200);
      const body = res.body as { items: ReviewItem[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return items;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { OUTBOX_ENABLED: 'true', OUTBOX_POLL_MS: '20' } });
    admin = await t.client(['clients:admin'], { limits: LIMITS });
    heldAgent = await t.client(['requests:write', 'requests:read'], {
      policies: { requestApproval: 'required' },
      limits: LIMITS,
    });
    heldToken = await t.tokenFor(heldAgent);
    openToken = await t.token(['requests:write', 'requests:read'], { limits: LIMITS });
  });
  afterAll(async () => t.close());

  describe('scopes', () => {
    const routes: [string, string][] = [
      ['get', LIST],
      ['post', `${LIST}/IR-ZZZZZZZZZZZZ/approve`],
      ['post', `${LIST}/IR-ZZZZZZZZZZZZ/reject`],
    ];

    it.each(routes)('%s %s without a credential -> 401', async (method, path) => {
      const res = await (method === 'get' ? t.http.get(path) : t.http.post(path).send({}));
      expectProblem(res, 401, 'missing_credentials');
    });

    it.each(routes)(
      '%s %s with an agent or auditor token -> 403 naming clients:admin',
      async (method, path) => {
        for (const scopes of [['requests:write', 'requests:read'], ['audit:read']] as const) {
          const token = await t.token([...scopes]);
          const req = method === 'get' ? t.http.get(path) : t.http.post(path).send({});
          const res = await req.auth(token, { type: 'bearer' });
          expectProblem(res, 403, 'insufficient_scope');
          expect(res.body.detail).toContain('clients:admin');
        }
      },
    );

    it('clients:admin may list', async () => {
      expect((await asAdmin('get', LIST)).status).toBe(200);
    });

    it('keeps the review routes out of the agent tool manifests', async () => {
      const res = await t.http.get('/v1/tools?format=openai').auth(await adminToken(), {
        type: 'bearer',
      });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('internal_request_not_pending');
      expect(res.text).not.toMatch(/admin_(list|approve|reject)_internal_request/);
      const doc = await t.http.get('/openapi.json');
      const item = doc.body.paths['/v1/admin/internal-requests/{id}/approve'];
      expect(item.post.operationId).toBe('admin_approve_internal_request');
      expect(item.post['x-tool']).toBeUndefined();
      expect(Object.keys(item.post.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '404', '409']),
      );
    });
  });

  describe('GET /v1/admin/internal-requests', () => {
    let held: string[];
    let queued: string;

    beforeAll(async () => {
      held = [];
      for (let i = 0; i < 5; i++) held.push(await hold({ type: 'quote', summary: `Quote ${i}` }));
      queued = (await create(openToken)).id;
    });

    it('lists the review queue oldest first, page by page, each request once', async () => {
      const items = await listAll('status=pending_review', 2);
      expect(items.every((r) => r.status === 'pending_review')).toBe(true);
      expect(items.map((r) => r.id)).toEqual(expect.arrayContaining(held));
      expect(items.map((r) => r.id)).not.toContain(queued);
      expect(new Set(items.map((r) => r.id)).size).toBe(items.length);
      const keys = items.map((r) => `${r.createdAt} ${r.id}`);
      expect(keys).toEqual([...keys].sort());
    });

    it('without a status lists every request', async () => {
      const items = await listAll('', 100);
      expect(items.map((r) => r.id)).toEqual(expect.arrayContaining([...held, queued]));
    });

    it('shows what a reviewer needs, with the requester masked', async () => {
      const id = await hold({
        type: 'stock_transfer',
        summary: 'Move 20 chairs to Đà Nẵng',
        description: 'Needed for SO-2026-000123 by Friday.',
        priority: 'high',
        requester: { name: 'Trần Thị Mai', email: 'mai.tran@example.vn', team: 'Sales Đà Nẵng' },
        relatedOrderNumber: 'SO-2026-000123',
        relatedSku: 'CHAIR-ERGO-01',
        conversationId: 'conv-review-1',
      });
      const res = await asAdmin('get', `${LIST}?status=pending_review&limit=100`);
      const item = (res.body.items as ReviewItem[]).find((r) => r.id === id);
      expect(item).toEqual({
        id,
        clientId: heldAgent.clientId,
        status: 'pending_review',
        type: 'stock_transfer',
        summary: 'Move 20 chairs to Đà Nẵng',
        description: 'Needed for SO-2026-000123 by Friday.',
        priority: 'high',
        requester: { name: 'T*** T** M**', email: 'm***@e***.vn', team: 'Sales Đà Nẵng' },
        relatedOrderNumber: 'SO-2026-000123',
        relatedSku: 'CHAIR-ERGO-01',
        conversationId: 'conv-review-1',
        ticketRef: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.text).not.toContain('mai.tran@example.vn');
      expect(res.text).not.toContain('Trần Thị Mai');
    });

    it.each([
      ['an unknown status', 'status=waiting', 'status'],
      ['limit 0', 'limit=0', 'limit'],
      ['limit over 100', 'limit=101', 'limit'],
      ['a cursor it did not produce', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['a cursor with characters outside base64url', 'cursor=a%2Bb', 'cursor'],
      ['an unknown parameter', 'sort=desc', 'sort'],
    ])('rejects %s -> 400 naming the field', async (_case, query, field) => {
      const res = await asAdmin('get', `${LIST}?${query}`);
      expectProblem(res, 400, 'validation_failed');
      expect(fields(res)).toContain(field);
    });

    it('refuses a cursor used with another status filter', async () => {
      const first = await asAdmin('get', `${LIST}?status=pending_review&limit=1`);
      const cursor = first.body.nextCursor as string;
      expect(cursor).toEqual(expect.any(String));
      const res = await asAdmin('get', `${LIST}?status=queued&limit=1&cursor=${cursor}`);
      expectProblem(res, 400, 'validation_failed');
      expect(fields(res)).toEqual(['cursor']);
    });
  });

  describe('POST /v1/admin/internal-requests/{id}/approve', () => {
    it('queues the request; the outbox delivers the ticket and the agent sees submitted', async () => {
      const id = await hold();
      expect(await outboxOf(id)).toHaveLength(0);
      const res = await approve(id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'queued', clientId: heldAgent.clientId });
      const view = await untilSubmitted(id);
      expect(view).toMatchObject({
        status: 'submitted',
        ticketRef: expect.stringMatching(/^HD-[A-Z0-9]{8}$/),
      });
      expect(view.message).toContain(view.ticketRef);
      const outbox = await outboxOf(id);
      expect(outbox.map((m) => [m.topic, m.status])).toEqual([['ticket.create', 'delivered']]);
      const tickets = await ticketsOf(id);
      expect(tickets.map((r) => r.reference)).toEqual([view.ticketRef]);
    });

    it('answers 409 naming the current status when the request was already decided', async () => {
      const id = await hold();
      expect((await approve(id)).status).toBe(200);
      const again = await approve(id);
      expectProblem(again, 409, 'internal_request_not_pending');
      expect(again.body.detail).toMatch(
        new RegExp(`${id} is (queued|submitted), not pending_review`),
      );
      expect(again.body.retryable).toBe(false);
      expectProblem(await reject(id), 409, 'internal_request_not_pending');
      await untilSubmitted(id);
      expect(await outboxOf(id)).toHaveLength(1);
    });

    it('answers 409 for a request that was never held', async () => {
      const { id } = await create(openToken);
      const res = await approve(id);
      expectProblem(res, 409, 'internal_request_not_pending');
      expect(res.body.detail).toMatch(/is (queued|submitted)/);
      expect(await outboxOf(id)).toHaveLength(1);
    });

    it('enqueues exactly one ticket when two reviewers approve at the same moment', async () => {
      const id = await hold();
      const [a, b] = await Promise.all([approve(id), approve(id)]);
      expect([a?.status, b?.status].sort()).toEqual([200, 409]);
      await untilSubmitted(id);
      expect(await outboxOf(id)).toHaveLength(1);
      expect(await ticketsOf(id)).toHaveLength(1);
      expect(await securityEvents('internal_request.approved', id)).toHaveLength(1);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await approve('IR-ZZZZZZZZZZZZ');
      expectProblem(missing, 404, 'internal_request_not_found');
      expect(missing.body.detail).toContain('IR-ZZZZZZZZZZZZ');
      for (const bad of ['42', 'ir-7kq2m9xd4tba', 'IR-', `IR-${'A'.repeat(33)}`]) {
        const res = await approve(bad);
        expectProblem(res, 400, 'validation_failed');
        expect(fields(res)).toEqual(['id']);
      }
    });
  });

  describe('POST /v1/admin/internal-requests/{id}/reject', () => {
    it('rejects with a reason; nothing is enqueued and the agent sees rejected, not the reason', async () => {
      const id = await hold();
      const res = await reject(id, { reason: 'Duplicate of an earlier quote request' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'rejected', ticketRef: null });
      const view = await agentView(id);
      expect(view).toMatchObject({ status: 'rejected', ticketRef: null });
      expect(view.message).toMatch(/could not take on request .*colleague/);
      expect(JSON.stringify(view)).not.toContain('Duplicate');
      // A decision enqueues its ticket in the same transaction as the status change, before
      // answering: a ticket would already be in the outbox, and without one none can follow.
      expect(await outboxOf(id)).toHaveLength(0);
      expect(await ticketsOf(id)).toHaveLength(0);
    });

    it('takes no body at all, or an empty one', async () => {
      const a = await hold();
      const b = await hold();
      expect((await reject(a)).status).toBe(200);
      expect((await reject(b, {})).status).toBe(200);
    });

    it('answers 409 on a second decision and 404 for an unknown id', async () => {
      const id = await hold();
      expect((await reject(id)).status).toBe(200);
      const again = await reject(id);
      expectProblem(again, 409, 'internal_request_not_pending');
      expect(again.body.detail).toContain(`${id} is rejected`);
      const approveAfter = await approve(id);
      expectProblem(approveAfter, 409, 'internal_request_not_pending');
      expect(await outboxOf(id)).toHaveLength(0);
      expectProblem(await reject('IR-ZZZZZZZZZZZZ'), 404, 'internal_request_not_found');
    });

    it.each([
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason'],
      ['a blank reason', { reason: '   ' }, 'reason'],
      ['a reason that is not a string', { reason: 42 }, 'reason'],
      ['an unknown field', { notify: true }, 'notify'],
    ])(
      'rejects %s -> 400 naming the field, and the request stays held',
      async (_c, body, field) => {
        const id = await hold();
        const res = await reject(id, body);
        expectProblem(res, 400, 'validation_failed');
        expect(fields(res)).toContain(field);
        expect((await agentView(id)).status).toBe('pending_review');
      },
    );

    it('accepts a reason of exactly 500 characters', async () => {
      expect((await reject(await hold(), { reason: 'y'.repeat(500) })).status).toBe(200);
    });
  });

  describe('audit trail', () => {
    it('records each decision as a security event and the call as a request event', async () => {
      const approved = await hold();
      const rejected = await hold();
      const a = await approve(approved);
      const r = await reject(rejected, { reason: 'Ask mai.tran@example.vn to file it again' });
      const conflict = await approve(rejected);

      const [approval] = await securityEvents('internal_request.approved', approved);
      expect(approval).toMatchObject({
        transport: 'http',
        outcome: 'recorded',
        clientId: heldAgent.clientId,
        requestId: a.headers['x-request-id'],
        request: { actor: admin.clientId, subject: approved },
      });
      const [rejection] = await securityEvents('internal_request.rejected', rejected);
      expect(rejection).toMatchObject({
        transport: 'http',
        requestId: r.headers['x-request-id'],
        request: { actor: admin.clientId, subject: rejected, reason: expect.any(String) },
      });
      expect(rejection?.request.reason).toContain('file it again');
      expect(rejection?.request.reason).not.toContain('mai.tran@example.vn');

      const calls = await t.prisma.auditEvent.findMany({
        where: {
          kind: 'request',
          requestId: {
            in: [
              a.headers['x-request-id'],
              r.headers['x-request-id'],
              conflict.headers['x-request-id'],
            ],
          },
        },
      });
      const byRoute = calls.map((e) => [e.route, e.status, e.outcome, e.clientId]).sort();
      expect(byRoute).toEqual(
        [
          ['/v1/admin/internal-requests/:id/approve', 200, 'ok', admin.clientId],
          ['/v1/admin/internal-requests/:id/approve', 409, 'invalid', admin.clientId],
          ['/v1/admin/internal-requests/:id/reject', 200, 'ok', admin.clientId],
        ].sort(),
      );
      const conflictEvent = calls.find((e) => e.status === 409);
      expect(JSON.parse(conflictEvent?.response ?? '{}')).toMatchObject({
        code: 'internal_request_not_pending',
      });
      expect(await securityEvents('internal_request.approved', rejected)).toHaveLength(0);
    });
  });

  describe('the CLI (requests list|approve|reject, --json)', () => {
    const run = (args: string[]): { status: number; out: Record<string, unknown> } => {
      try {
        const stdout = execFileSync(
          process.execPath,
          ['dist/bin/gatehouse.js', ...args, '--json'],
          {
            env: {
              PATH: process.env.PATH,
              DATABASE_URL: `file:${t.dbFile}`,
              GATEHOUSE_PEPPER: Buffer.alloc(32, 7).toString('base64'),
              GATEHOUSE_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
            },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        const lines = stdout.trim().split('\n');
        expect(lines).toHaveLength(1);
        return { status: 0, out: JSON.parse(stdout) as Record<string, unknown> };
      } catch (error) {
        const e = error as { stdout?: string; status?: number };
        if (e.status === undefined) throw error;
        return { status: e.status, out: JSON.parse(e.stdout ?? '{}') as Record<string, unknown> };
      }
    };

    beforeAll(() => {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
    }, 120_000);

    it('lists the queue, approves and rejects, printing one JSON object each time', async () => {
      const toApprove = await hold({ type: 'it_support', summary: 'New laptop for Lan' });
      const toReject = await hold({ type: 'purchase', summary: 'Buy a coffee machine' });

      const listed = run(['requests', 'list', '--status', 'pending_review', '--limit', '100']);
      expect(listed.status).toBe(0);
      const ids = (listed.out.items as ReviewItem[]).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([toApprove, toReject]));
      expect(listed.out).toHaveProperty('nextCursor');

      const approved = run(['requests', 'approve', toApprove]);
      expect(approved).toMatchObject({ status: 0, out: { id: toApprove, status: 'queued' } });
      // The running server's outbox worker picks up the message the CLI enqueued.
      expect(await untilSubmitted(toApprove)).toMatchObject({ status: 'submitted' });
      expect(await outboxOf(toApprove)).toHaveLength(1);

      const rejected = run(['requests', 'reject', toReject, '--reason', 'Not a business need']);
      expect(rejected).toMatchObject({ status: 0, out: { id: toReject, status: 'rejected' } });
      expect((await agentView(toReject)).status).toBe('rejected');
      expect(await outboxOf(toReject)).toHaveLength(0);

      const page = run(['requests', 'list', '--status', 'pending_review', '--limit', '100']);
      expect((page.out.items as ReviewItem[]).map((r) => r.id)).not.toContain(toApprove);

      const [approval] = await securityEvents('internal_request.approved', toApprove);
      expect(approval).toMatchObject({
        transport: 'cli',
        clientId: heldAgent.clientId,
        request: { actor: 'cli' },
      });
      const [rejection] = await securityEvents('internal_request.rejected', toReject);
      expect(rejection).toMatchObject({
        transport: 'cli',
        request: { actor: 'cli', reason: 'Not a business need' },
      });
      const chain = await t.http
        .get('/v1/audit-events/verify')
        .auth(await t.token(['audit:read']), { type: 'bearer' });
      expect(chain.body).toMatchObject({ ok: true });
    });

    it('answers errors as one JSON object with exit code 1', async () => {
      const id = await hold();
      expect(run(['requests', 'reject', id]).status).toBe(0);
      const again = run(['requests', 'approve', id]);
      expect(again.status).toBe(1);
      expect(again.out).toEqual({
        error: 'internal_request_not_pending',
        message: expect.stringContaining(`${id} is rejected`),
      });
      expect(run(['requests', 'approve', 'IR-ZZZZZZZZZZZZ']).out).toMatchObject({
        error: 'internal_request_not_found',
      });
      expect(run(['requests', 'approve', 'nope']).out).toMatchObject({
        error: 'validation_failed',
      });
      const long = run(['requests', 'reject', await hold(), '--reason', 'z'.repeat(501)]);
      expect(long).toMatchObject({ status: 1, out: { error: 'validation_failed' } });
      expect(run(['requests', 'list', '--status', 'waiting']).out).toMatchObject({
        error: 'validation_failed',
      });
      expect(run(['requests', 'list', '--limit', '0']).out).toMatchObject({
        error: 'validation_failed',
      });
    });
  });
});
