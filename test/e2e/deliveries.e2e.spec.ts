import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildDemoData } from '../../src/database/seed/demo-data.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

const ORDER = 'SO-2026-000123';

interface Problem {
  code: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { field: string; message: string }[];
}

interface Delivery {
  deliveryId: string;
  orderNumber?: string;
  status: string;
  carrier: string;
  trackingNumber: string | null;
  plannedWindow: { start: string; end: string };
  region: string;
}

interface Page {
  items: Delivery[];
  nextCursor: string | null;
}

describe('delivery tools (get_delivery_schedule, list_deliveries)', () => {
  const demo = buildDemoData();
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token(['deliveries:read']);
  });
  afterAll(async () => t.close());

  const get = (path: string, bearer = token) => t.http.get(path).auth(bearer, { type: 'bearer' });

  function expectValidation(res: { status: number; body: unknown }, field: string): void {
    expect(res.status).toBe(400);
    const body = res.body as Problem;
    expect(body.code).toBe('validation_failed');
    expect(body.errors?.map((e) => e.field)).toContain(field);
  }

  describe('GET /v1/orders/{orderNumber}/deliveries (get_delivery_schedule)', () => {
    it("lists the seeded order's deliveries", async () => {
      const res = await get(`/v1/orders/${ORDER}/deliveries`);
      expect(res.status).toBe(200);
      const seeded = demo.deliveries
        .filter((d) => d.orderNumber === ORDER)
        .sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime());
      expect(res.body).toEqual({
        orderNumber: ORDER,
        deliveries: seeded.map((d) => ({
          deliveryId: d.id,
          status: d.status,
          carrier: d.carrier,
          trackingNumber: d.trackingNumber,
          plannedWindow: { start: d.windowStart.toISOString(), end: d.windowEnd.toISOString() },
          region: d.region,
        })),
      });
      expect(seeded.length).toBeGreaterThan(0);
    });

    it('under orderLookup "verified", answers only with the customer\'s email or phone', async () => {
      const verified = await t.token(['deliveries:read'], {
        policies: { orderLookup: 'verified' },
      });
      const ok = await get(`/v1/orders/${ORDER}/deliveries`, verified).query({
        customerEmail: 'lan.tran@example.vn',
      });
      expect(ok.status).toBe(200);
      const unknown = await get('/v1/orders/SO-2026-999999/deliveries', verified);
      for (const query of [{}, { customerPhone: '+84909999999' }]) {
        const res = await get(`/v1/orders/${ORDER}/deliveries`, verified).query(query);
        expect(res.status).toBe(404);
        const mask = (body: Problem, orderNumber: string): Problem => ({
          ...body,
          instance: '<request id>',
          detail: body.detail.replace(orderNumber, '<order>'),
        });
        expect(mask(res.body as Problem, ORDER)).toEqual(
          mask(unknown.body as Problem, 'SO-2026-999999'),
        );
      }
    });

    it('answers 404 order_not_found for an unknown order', async () => {
      const res = await get('/v1/orders/SO-2026-999999/deliveries');
      expect(res.status).toBe(404);
      expect((res.body as Problem).code).toBe('order_not_found');
    });

    it('rejects a malformed order number and unknown fields', async () => {
      expectValidation(await get('/v1/orders/SO-26-1/deliveries'), 'orderNumber');
      expectValidation(await get(`/v1/orders/${ORDER}/deliveries?limit=5`), 'limit');
    });

    it('needs deliveries:read', async () => {
      const res = await get(`/v1/orders/${ORDER}/deliveries`, await t.token(['orders:read']));
      expect(res.status).toBe(403);
      expect((res.body as Problem).detail).toContain('deliveries:read');
      expect((await t.http.get(`/v1/orders/${ORDER}/deliveries`)).status).toBe(401);
    });
  });

  describe('GET /v1/deliveries (list_deliveries)', () => {
    const expectedIds = (from: string, to: string, region?: string): string[] =>
      demo.deliveries
        .filter((d) => d.windowStart >= new Date(from) && d.windowStart < new Date(to))
        .filter((d) => region === undefined || d.region === region)
        .sort(
          (a, b) => a.windowStart.getTime() - b.windowStart.getTime() || a.id.localeCompare(b.id),
        )
        .map((d) => d.id);

    async function walk(query: Record<string, string>): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get('/v1/deliveries').query({ ...query, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        const page = res.body as Page;
        ids.push(...page.items.map((i) => i.deliveryId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 100);
      return { ids, pages };
    }

    it('walks every page of a range with no duplicates or gaps', async () => {
      const expected = expectedIds('2026-10-20', '2026-11-15');
      expect(expected.length).toBeGreaterThan(150);
      const { ids, pages } = await walk({ from: '2026-10-20', to: '2026-11-15', limit: '40' });
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages).toBe(Math.ceil(expected.length / 40));
    });

    it('filters by region, with date-times in any offset', async () => {
      const from = '2026-11-01T07:00:00+07:00';
      const expected = expectedIds(from, '2026-11-08T00:00:00Z', 'central');
      const { ids } = await walk({
        from,
        to: '2026-11-08T00:00:00Z',
        region: 'central',
        limit: '7',
      });
      expect(ids).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    });

    it('returns items in the documented shape', async () => {
      const res = await get('/v1/deliveries').query({ from: '2026-11-01', limit: '1' });
      expect(res.status).toBe(200);
      const page = res.body as Page;
      const id = expectedIds('2026-11-01', '2026-11-08')[0];
      const seeded = demo.deliveries.find((d) => d.id === id);
      expect(page.items).toEqual([
        {
          deliveryId: id,
          orderNumber: seeded?.orderNumber,
          status: seeded?.status,
          carrier: seeded?.carrier,
          trackingNumber: seeded?.trackingNumber,
          plannedWindow: {
            start: seeded?.windowStart.toISOString(),
            end: seeded?.windowEnd.toISOString(),
          },
          region: seeded?.region,
        },
      ]);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('defaults to today (UTC) plus seven days and 20 items', async () => {
      const res = await get('/v1/deliveries');
      expect(res.status).toBe(200);
      const page = res.body as Page;
      expect(page.items.length).toBeLessThanOrEqual(20);
      const today = new Date();
      const from = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
      for (const item of page.items) {
        const start = new Date(item.plannedWindow.start).getTime();
        expect(start).toBeGreaterThanOrEqual(from);
        expect(start).toBeLessThan(from + 7 * 24 * 3600_000);
      }
    });

    it('answers an empty page for a range without deliveries', async () => {
      const res = await get('/v1/deliveries').query({ from: '2020-01-01', to: '2020-01-08' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['a bad date', { from: '2026-13-01' }, 'from'],
      ['a non-date', { to: 'next week' }, 'to'],
      ['to before from', { from: '2026-11-05', to: '2026-11-01' }, 'to'],
      ['a range over 31 days', { from: '2026-11-01', to: '2026-12-15' }, 'to'],
      ['an unknown region', { region: 'west' }, 'region'],
      ['limit 0', { limit: '0' }, 'limit'],
      ['limit 101', { limit: '101' }, 'limit'],
      ['an unknown field', { status: 'scheduled' }, 'status'],
      ['a cursor that is not base64url', { cursor: 'not a cursor!' }, 'cursor'],
      ['a cursor that does not decode', { cursor: 'bm90LWpzb24' }, 'cursor'],
    ])('rejects %s with 400 validation_failed', async (_name, query, field) => {
      expectValidation(await get('/v1/deliveries').query(query), field);
    });

    it('rejects a cursor used with different filters', async () => {
      const first = await get('/v1/deliveries').query({
        from: '2026-11-01',
        to: '2026-11-05',
        limit: '5',
      });
      const cursor = (first.body as Page).nextCursor ?? '';
      expect(cursor).not.toBe('');
      const same = await get('/v1/deliveries').query({
        from: '2026-11-01',
        to: '2026-11-05',
        limit: '5',
        cursor,
      });
      expect(same.status).toBe(200);
      for (const changed of [
        { from: '2026-11-02', to: '2026-11-05' },
        { from: '2026-11-01', to: '2026-11-06' },
        { from: '2026-11-01', to: '2026-11-05', region: 'south' },
      ]) {
        expectValidation(await get('/v1/deliveries').query({ ...changed, cursor }), 'cursor');
      }
    });

    it('needs deliveries:read', async () => {
      const res = await get('/v1/deliveries', await t.token(['inventory:read']));
      expect(res.status).toBe(403);
      expect((res.body as Problem).code).toBe('insufficient_scope');
      expect((res.body as Problem).detail).toContain('deliveries:read');
      expect((await t.http.get('/v1/deliveries')).status).toBe(401);
    });

    it('is refused to a client bound to the customer (orderLookup "verified"), and audited', async () => {
      const verified = await t.token(['deliveries:read'], {
        policies: { orderLookup: 'verified' },
      });
      const res = await get('/v1/deliveries', verified).query({ from: '2026-11-02' });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.body as Problem & { retryable: boolean };
      expect(body.code).toBe('tool_not_allowed');
      expect(body.retryable).toBe(false);
      expect(body.detail).toContain('orderLookup "verified"');
      expect(JSON.stringify(body)).not.toMatch(/SO-2026-\d{6}/);
      const event = await t.prisma.auditEvent.findFirst({
        where: { requestId: res.headers['x-request-id'] },
      });
      expect(event).toMatchObject({ tool: 'list_deliveries', status: 403, outcome: 'denied' });
      // The same client keeps the per-order tool, with its proof.
      const own = await get(`/v1/orders/${ORDER}/deliveries`, verified).query({
        customerEmail: 'lan.tran@example.vn',
      });
      expect(own.status).toBe(200);
    });
  });
});
