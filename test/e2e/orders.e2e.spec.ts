import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildDemoData } from '../../src/database/seed/demo-data.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

const ORDER = 'SO-2026-000123';
const EMAIL = 'lan.tran@example.vn';
const PHONE = '+84901234567';

interface Problem {
  code: string;
  status: number;
  title: string;
  type: string;
  detail: string;
  instance: string;
  agentHint: string;
  retryable: boolean;
  errors?: { field: string; message: string }[];
}

/** The problem body without what legitimately differs per request and per order number. */
function comparable(body: Problem, orderNumber: string): Problem {
  return { ...body, instance: '<request id>', detail: body.detail.replace(orderNumber, '<order>') };
}

describe('get_order_status (GET /v1/orders/{orderNumber})', () => {
  const demo = buildDemoData();
  let t: TestApp;
  let open: string;
  let verified: string;

  beforeAll(async () => {
    t = await startTestApp();
    open = await t.token(['orders:read']);
    verified = await t.token(['orders:read'], { policies: { orderLookup: 'verified' } });
  });
  afterAll(async () => t.close());

  const get = (path: string, bearer: string) => t.http.get(path).auth(bearer, { type: 'bearer' });

  it('answers the seeded order with masked customer fields and no payment data', async () => {
    const res = await get(`/v1/orders/${ORDER}`, open);
    expect(res.status).toBe(200);
    const seeded = demo.orders.find((o) => o.orderNumber === ORDER);
    const lines = demo.orderLines.filter((l) => l.orderNumber === ORDER);
    const deliveries = demo.deliveries.filter((d) => d.orderNumber === ORDER);
    const open_ = deliveries.filter((d) => d.status === 'scheduled' || d.status === 'in_transit');
    expect(res.body).toEqual({
      orderNumber: ORDER,
      status: 'shipped',
      placedAt: seeded?.placedAt.toISOString(),
      lastUpdatedAt: seeded?.updatedAt.toISOString(),
      customer: { name: 'T*** T** L**', email: 'l***@e***.vn', phone: '+84*******567' },
      lines: lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantityOrdered: l.quantity,
        quantityShipped: l.shipped,
      })),
      shipmentSummary: {
        deliveries: deliveries.length,
        delivered: deliveries.filter((d) => d.status === 'delivered').length,
        inTransit: deliveries.filter((d) => d.status === 'in_transit').length,
        scheduled: deliveries.filter((d) => d.status === 'scheduled').length,
        failed: deliveries.filter((d) => d.status === 'failed').length,
        nextWindowStart:
          open_.length > 0
            ? new Date(Math.min(...open_.map((d) => d.windowStart.getTime()))).toISOString()
            : null,
      },
    });
    expect(deliveries.length).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/lan\.tran|901234567|Trần|price|payment/i);
  });

  it('accepts a lower-case order number', async () => {
    const res = await get(`/v1/orders/${ORDER.toLowerCase()}`, open);
    expect(res.status).toBe(200);
    expect((res.body as { orderNumber: string }).orderNumber).toBe(ORDER);
  });

  it('answers 404 order_not_found for an unknown order', async () => {
    const res = await get('/v1/orders/SO-2026-999999', open);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((res.body as Problem).code).toBe('order_not_found');
  });

  describe('bound to the customer under orderLookup "verified" (OWASP API1)', () => {
    it('answers with the right email or phone', async () => {
      for (const query of [
        { customerEmail: EMAIL },
        { customerEmail: ' LAN.TRAN@EXAMPLE.VN ' },
        { customerPhone: PHONE },
        { customerPhone: '0901 234 567' },
      ]) {
        const res = await get(`/v1/orders/${ORDER}`, verified).query(query);
        expect(res.status).toBe(200);
      }
      // A "+" left unencoded in the query string arrives as a space and must still match.
      expect((await get(`/v1/orders/${ORDER}?customerPhone=+84901234567`, verified)).status).toBe(
        200,
      );
    });

    it('hides the order without proof or with a wrong one, exactly like an unknown order', async () => {
      const unknown = await get('/v1/orders/SO-2026-999999', verified).query({
        customerEmail: EMAIL,
      });
      expect(unknown.status).toBe(404);
      const expected = comparable(unknown.body as Problem, 'SO-2026-999999');
      for (const query of [
        {},
        { customerEmail: 'someone.else@example.vn' },
        { customerPhone: '+84909999999' },
        { customerEmail: EMAIL, customerPhone: '+84909999999' },
      ]) {
        const res = await get(`/v1/orders/${ORDER}`, verified).query(query);
        expect(res.status).toBe(404);
        expect(comparable(res.body as Problem, ORDER)).toEqual(expected);
        expect(Object.keys(res.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
      }
    });

    it('also refuses a wrong email from an open client', async () => {
      const res = await get(`/v1/orders/${ORDER}`, open).query({ customerEmail: 'x@example.vn' });
      expect(res.status).toBe(404);
      expect((res.body as Problem).code).toBe('order_not_found');
    });
  });

  it.each([
    ['a malformed order number', '/v1/orders/123', 'orderNumber'],
    ['an order number with a short sequence', '/v1/orders/SO-2026-123', 'orderNumber'],
    ['a malformed email', `/v1/orders/${ORDER}?customerEmail=lan`, 'customerEmail'],
    ['a malformed phone', `/v1/orders/${ORDER}?customerPhone=call-me`, 'customerPhone'],
    ['an unknown query field', `/v1/orders/${ORDER}?includePayments=true`, 'includePayments'],
  ])('rejects %s with 400 validation_failed', async (_name, path, field) => {
    const res = await get(path, open);
    expect(res.status).toBe(400);
    const body = res.body as Problem;
    expect(body.code).toBe('validation_failed');
    expect(body.errors?.map((e) => e.field)).toContain(field);
  });

  it('answers 401 without a token', async () => {
    const res = await t.http.get(`/v1/orders/${ORDER}`);
    expect(res.status).toBe(401);
    expect((res.body as Problem).code).toBe('missing_credentials');
  });

  it('answers 403 naming orders:read to a client without it', async () => {
    const res = await get(`/v1/orders/${ORDER}`, await t.token(['deliveries:read']));
    expect(res.status).toBe(403);
    expect((res.body as Problem).code).toBe('insufficient_scope');
    expect((res.body as Problem).detail).toContain('orders:read');
  });
});
