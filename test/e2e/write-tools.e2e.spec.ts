import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { Scope } from '../../src/auth/scopes.js';
import type { ClientPolicies } from '../../src/clients/client-policies.js';
import { buildDemoData } from '../../src/database/seed/demo-data.js';
import { OutboxWorker } from '../../src/outbox/outbox.worker.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

// Generous limits so the suite never depends on the write throttle (tested elsewhere).
const LIMITS = { read: 10_000, write: 10_000 };

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code });
}

function fields(res: Response): string[] {
  return ((res.body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
}

describe('write tools (SPEC §5.5-5.7)', () => {
  let t: TestApp;
  let writer: string;

  const token = (scopes: Scope[], policies?: ClientPolicies) =>
    t.token(scopes, { limits: LIMITS, ...(policies ? { policies } : {}) });

  const post = (path: string, body: object, bearer = writer, key: string | null = randomUUID()) => {
    const req = t.http.post(path).auth(bearer, { type: 'bearer' });
    if (key !== null) void req.set('idempotency-key', key);
    return req.send(body);
  };

  const get = (path: string, bearer = writer) => t.http.get(path).auth(bearer, { type: 'bearer' });

  const drain = () => t.app.get(OutboxWorker).drain();

  beforeAll(async () => {
    t = await startTestApp();
    writer = await token(['requests:write', 'requests:read', 'leads:write', 'handoff:write']);
  });
  afterAll(async () => t.close());

  describe('authorisation on every write route', () => {
    const routes: [string, Scope, object][] = [
      ['/v1/internal-requests', 'requests:write', { type: 'quote', summary: 'Quote please' }],
      [
        '/v1/leads',
        'leads:write',
        { name: 'An', email: 'auth-check@example.vn', channel: 'web', consent: true },
      ],
      [
        '/v1/handoffs',
        'handoff:write',
        { conversationId: 'c-1', reason: 'other', summary: 'Help' },
      ],
    ];

    it.each(routes)('%s without a token -> 401', async (path, _scope, body) => {
      const res = await t.http.post(path).set('idempotency-key', randomUUID()).send(body);
      expectProblem(res, 401, 'missing_credentials');
    });

    it.each(routes)('%s with the wrong scope -> 403 naming %s', async (path, scope, body) => {
      const reader = await token(['inventory:read']);
      const res = await post(path, body, reader);
      expectProblem(res, 403, 'insufficient_scope');
      expect(res.body.detail).toContain(scope);
    });
  });

  describe('create_internal_request (POST /v1/internal-requests)', () => {
    const request = {
      type: 'stock_transfer',
      summary: 'Move 20 ergonomic chairs from Hà Nội to Đà Nẵng',
      description: 'Customer order SO-2026-000123 needs them by Friday.',
      priority: 'high',
      requester: { name: 'Trần Thị Mai', email: 'Mai.Tran@Example.vn', team: 'Sales Đà Nẵng' },
      relatedOrderNumber: 'SO-2026-000123',
      relatedSku: 'CHAIR-ERGO-01',
      conversationId: 'conv-42',
    };

    it('creates a queued request, forwards it through the outbox and shows the ticket', async () => {
      const res = await post('/v1/internal-requests', request);
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body).toEqual({
        id: expect.stringMatching(/^IR-[A-Z0-9]{12}$/),
        status: 'queued',
        type: 'stock_transfer',
        summary: request.summary,
        priority: 'high',
        ticketRef: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        message: expect.stringContaining(res.body.id),
      });
      const id = res.body.id as string;
      const outbox = await t.prisma.outboxMessage.findMany({ where: { aggregateId: id } });
      expect(outbox.map((m) => [m.topic, m.status])).toEqual([['ticket.create', 'pending']]);

      const before = await get(`/v1/internal-requests/${id}`);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ id, status: 'queued', ticketRef: null });

      await expect(drain()).resolves.toBeGreaterThanOrEqual(1);
      const after = await get(`/v1/internal-requests/${id}`);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({
        id,
        status: 'submitted',
        ticketRef: expect.stringMatching(/^HD-[A-Z0-9]{8}$/),
      });
      expect(after.body.message).toContain(after.body.ticketRef);
      const tickets = await t.prisma.embeddedSinkRecord.findMany({
        where: { messageId: outbox[0]?.id },
      });
      expect(tickets).toHaveLength(1);
      expect(tickets[0]?.reference).toBe(after.body.ticketRef);
      expect(JSON.parse(tickets[0]?.payload ?? '{}')).toMatchObject({
        requestId: id,
        summary: request.summary,
        requester: { email: 'mai.tran@example.vn' },
      });
    });

    it('defaults the priority to normal', async () => {
      const res = await post('/v1/internal-requests', {
        type: 'it_support',
        summary: 'Laptop broken',
      });
      expect(res.status).toBe(201);
      expect(res.body.priority).toBe('normal');
    });

    it('holds the request for review when the client policy requires approval', async () => {
      const held = await token(['requests:write', 'requests:read'], {
        requestApproval: 'required',
      });
      const res = await post('/v1/internal-requests', request, held);
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('pending_review');
      expect(await t.prisma.outboxMessage.count({ where: { aggregateId: res.body.id } })).toBe(0);
      await drain();
      expect((await get(`/v1/internal-requests/${res.body.id}`, held)).body.status).toBe(
        'pending_review',
      );
    });

    it.each([
      ['an unknown field', { ...request, assignee: 'bob' }, 'assignee'],
      ['a summary over 200 characters', { ...request, summary: 'x'.repeat(201) }, 'summary'],
      ['a blank summary', { ...request, summary: '   ' }, 'summary'],
      ['an unknown type', { ...request, type: 'refund' }, 'type'],
      ['an unknown priority', { ...request, priority: 'asap' }, 'priority'],
      ['a malformed order number', { ...request, relatedOrderNumber: '123' }, 'relatedOrderNumber'],
      ['a lower-case SKU', { ...request, relatedSku: 'chair-1' }, 'relatedSku'],
      ['an unknown requester field', { ...request, requester: { phone: '1' } }, 'requester.phone'],
      [
        'a description over 4000 characters',
        { ...request, description: 'x'.repeat(4001) },
        'description',
      ],
    ])('rejects %s -> 400 naming the field', async (_case, body, field) => {
      const res = await post('/v1/internal-requests', body);
      expectProblem(res, 400, 'validation_failed');
      expect(fields(res)).toContain(field);
    });
  });

  describe('get_internal_request (GET /v1/internal-requests/{id})', () => {
    it("does not show another client's request", async () => {
      const created = await post('/v1/internal-requests', { type: 'quote', summary: 'Quote' });
      const stranger = await token(['requests:read']);
      const res = await get(`/v1/internal-requests/${created.body.id}`, stranger);
      expectProblem(res, 404, 'internal_request_not_found');
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(
        await get('/v1/internal-requests/IR-ZZZZZZZZZZZZ'),
        404,
        'internal_request_not_found',
      );
      const bad = await get('/v1/internal-requests/42');
      expectProblem(bad, 400, 'validation_failed');
      expect(fields(bad)).toEqual(['id']);
    });

    it('needs requests:read', async () => {
      const writeOnly = await token(['requests:write']);
      const created = await post(
        '/v1/internal-requests',
        { type: 'quote', summary: 'Q' },
        writeOnly,
      );
      const res = await get(`/v1/internal-requests/${created.body.id}`, writeOnly);
      expectProblem(res, 403, 'insufficient_scope');
      expect(res.body.detail).toContain('requests:read');
    });
  });

  describe('create_lead (POST /v1/leads)', () => {
    const lead = {
      name: 'Nguyễn Văn An',
      phone: '0912 345 678',
      company: 'Công ty TNHH Minh Phát',
      interest: { skus: ['DESK-OAK-140'], note: '40 desks for a new office' },
      channel: 'zalo',
      consent: true,
      conversationId: 'conv-lead-1',
      region: 'central',
    };

    it('creates, assigns and queues a new lead; a repeat by phone or email is a duplicate', async () => {
      const res = await post('/v1/leads', lead);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        leadId: expect.stringMatching(/^LD-[A-Z0-9]{12}$/),
        duplicate: false,
        assignedTo: { id: expect.stringMatching(/^REP-/), name: expect.any(String) },
        status: 'new',
      });
      const leadId = res.body.leadId as string;
      const stored = await t.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
      expect(stored.phone).toBe('+84912345678');
      const topics = await t.prisma.outboxMessage.findMany({
        where: { aggregateId: leadId },
        orderBy: { topic: 'asc' },
      });
      expect(topics.map((m) => m.topic)).toEqual(['crm.lead', 'sales.notify']);

      const again = await post('/v1/leads', { ...lead, name: 'An', phone: '+84 91 234 5678' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...res.body, duplicate: true });
      expect(await t.prisma.outboxMessage.count({ where: { aggregateId: leadId } })).toBe(2);

      await drain();
      const sinks = await t.prisma.embeddedSinkRecord.findMany({
        where: { messageId: { in: topics.map((m) => m.id) } },
        orderBy: { sink: 'asc' },
      });
      expect(sinks.map((s) => s.sink)).toEqual(['crm.leads', 'notifications.sales']);
      const delivered = await t.prisma.outboxMessage.count({
        where: { aggregateId: leadId, status: 'delivered' },
      });
      expect(delivered).toBe(2);
    });

    it('deduplicates on the normalised email', async () => {
      const first = await post('/v1/leads', {
        name: 'Lan',
        email: 'Lan.Pham@Example.VN',
        channel: 'web',
        consent: false,
      });
      expect(first.status).toBe(201);
      const second = await post('/v1/leads', {
        name: 'Lan Phạm',
        email: '  lan.pham@example.vn ',
        channel: 'email',
        consent: true,
      });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ leadId: first.body.leadId, duplicate: true });
    });

    it('deduplicates the same email typed in decomposed Unicode (NFD) and stores it composed', async () => {
      const composed = 'lân.võ@ví-dụ.vn'.normalize('NFC');
      const first = await post('/v1/leads', {
        name: 'Lân Võ',
        email: composed,
        channel: 'web',
        consent: true,
      });
      expect(first.status).toBe(201);
      const second = await post('/v1/leads', {
        name: 'Lân Võ'.normalize('NFD'),
        email: composed.normalize('NFD'),
        channel: 'web',
        consent: true,
      });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ leadId: first.body.leadId, duplicate: true });
      const stored = await t.prisma.lead.findUniqueOrThrow({ where: { id: first.body.leadId } });
      expect(stored.email).toBe(composed);
    });

    it('refuses a name of invisible characters only, and an email with an invisible character in it', async () => {
      const blank = await post('/v1/leads', {
        name: '\u200B\u200D\uFEFF',
        email: 'invisible.name@example.vn',
        channel: 'web',
        consent: true,
      });
      expect(blank.status).toBe(400);
      expect(blank.body.errors).toEqual([{ field: 'name', message: 'name must not be blank' }]);
      const hidden = await post('/v1/leads', {
        name: 'Lan',
        email: 'lan\u200B@example.vn',
        channel: 'web',
        consent: true,
      });
      expect(hidden.status).toBe(400);
      expect(hidden.body.errors).toEqual([
        {
          field: 'email',
          message: 'email must be a valid email address of at most 254 characters',
        },
      ]);
    });

    it('never echoes contact details back', async () => {
      const res = await post('/v1/leads', {
        name: 'Hoa',
        email: 'hoa.secret@example.vn',
        phone: '0987 654 321',
        channel: 'web',
        consent: true,
      });
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body)).not.toMatch(/hoa\.secret|987|654/);
    });

    it('requires an email or a phone, naming both fields', async () => {
      const res = await post('/v1/leads', { name: 'Nobody', channel: 'web', consent: true });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        { field: 'email', message: 'email or phone is required' },
        { field: 'phone', message: 'email or phone is required' },
      ]);
    });

    it.each([
      ['an invalid phone', { phone: '12345' }, 'phone'],
      ['free text as phone', { phone: 'call me 0912345678' }, 'phone'],
      ['an invalid email', { email: 'not-an-email' }, 'email'],
      ['an invalid email next to a valid phone', { email: 'nope', phone: '0912345678' }, 'email'],
      ['a missing consent', { email: 'x@example.vn', consent: undefined }, 'consent'],
      ['an unknown channel', { email: 'x@example.vn', channel: 'fax' }, 'channel'],
      ['an unknown region', { email: 'x@example.vn', region: 'west' }, 'region'],
      [
        'more than 20 SKUs',
        { email: 'x@example.vn', interest: { skus: Array(21).fill('DESK-1') } },
        'interest.skus',
      ],
      ['a malformed SKU', { email: 'x@example.vn', interest: { skus: ['desk'] } }, 'interest.skus'],
      ['an unknown field', { email: 'x@example.vn', score: 5 }, 'score'],
      ['a name over 120 characters', { email: 'x@example.vn', name: 'n'.repeat(121) }, 'name'],
    ])('rejects %s -> 400 naming the field', async (_case, extra, field) => {
      const res = await post('/v1/leads', {
        name: 'Test',
        channel: 'web',
        consent: true,
        ...extra,
      });
      expectProblem(res, 400, 'validation_failed');
      expect(fields(res)).toContain(field);
    });
  });

  describe('request_human_handoff (POST /v1/handoffs)', () => {
    it('queues the handoff, tells the agent what to say and notifies staff through the outbox', async () => {
      const res = await post('/v1/handoffs', {
        conversationId: 'conv-77',
        reason: 'complaint',
        summary: 'Order SO-2026-000123 arrived with a broken desk leg.',
        urgency: 'high',
        customerContact: { name: 'Lê Thị Hoa', phone: '0987 654 321', preferredChannel: 'phone' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        handoffId: expect.stringMatching(/^HO-[A-Z0-9]{12}$/),
        status: 'queued',
        customerMessage: expect.stringContaining('15 minutes'),
      });
      expect(res.body.customerMessage).toContain(res.body.handoffId);
      expect(res.body.customerMessage).toContain('by phone');

      const id = res.body.handoffId as string;
      const stored = await t.prisma.handoff.findUniqueOrThrow({ where: { id } });
      expect(JSON.parse(stored.customerContact)).toMatchObject({ phone: '+84987654321' });
      await drain();
      await expect(t.prisma.handoff.findUniqueOrThrow({ where: { id } })).resolves.toMatchObject({
        status: 'notified',
      });
      const [message] = await t.prisma.outboxMessage.findMany({ where: { aggregateId: id } });
      expect(message).toMatchObject({ topic: 'staff.notify', status: 'delivered' });
      const sink = await t.prisma.embeddedSinkRecord.findUniqueOrThrow({
        where: { messageId: message?.id },
      });
      expect(sink.sink).toBe('notifications.staff');
    });

    it('defaults urgency to normal', async () => {
      const res = await post('/v1/handoffs', {
        conversationId: 'conv-78',
        reason: 'customer_request',
        summary: 'Customer asked for a person.',
      });
      expect(res.status).toBe(201);
      expect(res.body.customerMessage).toContain('2 business hours');
    });

    it.each([
      ['a missing conversationId', { conversationId: undefined }, 'conversationId'],
      ['an unknown reason', { reason: 'bored' }, 'reason'],
      ['a summary over 2000 characters', { summary: 's'.repeat(2001) }, 'summary'],
      ['an unknown urgency', { urgency: 'critical' }, 'urgency'],
      ['a bad customer phone', { customerContact: { phone: 'abc' } }, 'customerContact.phone'],
      [
        'an unknown contact field',
        { customerContact: { address: 'x' } },
        'customerContact.address',
      ],
    ])('rejects %s -> 400 naming the field', async (_case, extra, field) => {
      const res = await post('/v1/handoffs', {
        conversationId: 'conv-79',
        reason: 'other',
        summary: 'Help',
        ...extra,
      });
      expectProblem(res, 400, 'validation_failed');
      expect(fields(res)).toContain(field);
    });
  });
});

describe('lead assignment strategies (LEAD_ASSIGNMENT)', () => {
  const demo = buildDemoData();
  const activeReps = demo.salesReps.filter((rep) => rep.active !== false);
  const kitchenSku = demo.products.find((p) => p.productLine === 'kitchen')?.sku ?? '';

  const createLead = async (strategy: string, extra: object) => {
    const t = await startTestApp({ env: { LEAD_ASSIGNMENT: strategy } });
    try {
      const bearer = await t.token(['leads:write'], { limits: LIMITS });
      const res = await t.http
        .post('/v1/leads')
        .auth(bearer, { type: 'bearer' })
        .set('idempotency-key', randomUUID())
        .send({
          name: 'Phương',
          email: 'phuong@example.vn',
          channel: 'web',
          consent: true,
          ...extra,
        });
      expect(res.status).toBe(201);
      return activeReps.find((rep) => rep.id === res.body.assignedTo?.id);
    } finally {
      await t.close();
    }
  };

  it("region: a rep of the lead's region", async () => {
    const rep = await createLead('region', { region: 'south' });
    expect(rep?.region).toBe('south');
  });

  it('product_line: a rep covering the product line of the SKUs asked about', async () => {
    expect(kitchenSku).not.toBe('');
    const rep = await createLead('product_line', { interest: { skus: [kitchenSku] } });
    expect(rep?.productLines.split(',')).toContain('kitchen');
  });

  it('round_robin: the first active rep by id for the first lead', async () => {
    const rep = await createLead('round_robin', {});
    expect(rep?.id).toBe([...activeReps].map((r) => r.id).sort()[0]);
  });

  it('round_robin: consecutive and concurrent leads take the next reps in turn; a duplicate takes no turn', async () => {
    const order = [...activeReps].map((r) => r.id).sort();
    const t = await startTestApp({ env: { LEAD_ASSIGNMENT: 'round_robin' } });
    try {
      const bearer = await t.token(['leads:write'], { limits: LIMITS });
      const create = async (email: string) => {
        const res = await t.http
          .post('/v1/leads')
          .auth(bearer, { type: 'bearer' })
          .set('idempotency-key', randomUUID())
          .send({ name: 'Khách', email, channel: 'web', consent: true });
        expect([200, 201]).toContain(res.status);
        return res.body.assignedTo?.id as string;
      };
      expect(await create('a1@example.vn')).toBe(order[0]);
      expect(await create('a1@example.vn')).toBe(order[0]); // the duplicate: same lead, same rep
      expect(await create('a2@example.vn')).toBe(order[1 % order.length]);
      const burst = await Promise.all(
        Array.from({ length: order.length }, (_, i) => create(`burst${i}@example.vn`)),
      );
      // Every rep exactly once: no two concurrent leads were given the same place.
      expect([...burst].sort()).toEqual([...order].sort());
    } finally {
      await t.close();
    }
  });
});

describe('outbox worker in the running app (OUTBOX_ENABLED=true)', () => {
  it('delivers in the background and stops with the app', async () => {
    const t = await startTestApp({ env: { OUTBOX_ENABLED: 'true', OUTBOX_POLL_MS: '20' } });
    try {
      const bearer = await t.token(['requests:write', 'requests:read'], { limits: LIMITS });
      const created = await t.http
        .post('/v1/internal-requests')
        .auth(bearer, { type: 'bearer' })
        .set('idempotency-key', randomUUID())
        .send({ type: 'it_support', summary: 'VPN does not connect' });
      expect(created.status).toBe(201);
      let status = created.body.status as string;
      for (let i = 0; i < 100 && status !== 'submitted'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const res = await t.http
          .get(`/v1/internal-requests/${created.body.id}`)
          .auth(bearer, { type: 'bearer' });
        status = res.body.status as string;
      }
      expect(status).toBe('submitted');
    } finally {
      await t.close();
    }
  });
});
