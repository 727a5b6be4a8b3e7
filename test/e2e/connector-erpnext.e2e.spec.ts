import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { erpnextDataSet } from '../contract/erpnext/erpnext-data.js';
import { FakeErpNext } from '../contract/erpnext/fake-erpnext.js';
import { CapturingLogger, startTestApp, type TestApp } from '../utils/test-app.js';

const API_KEY = 'e2e0key0erpnext';
const API_SECRET = 'e2e-erpnext-secret-c0ffee-91ab';

interface Problem {
  status: number;
  code: string;
  retryable: boolean;
  detail: string;
  agentHint?: string;
}

describe('ERPNext connector through the real app (check_inventory, get_delivery_schedule, /readyz)', () => {
  const logger = new CapturingLogger();
  let fake: FakeErpNext;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    fake = await new FakeErpNext(API_KEY, API_SECRET, erpnextDataSet()).start();
    t = await startTestApp({
      logger,
      env: {
        CONNECTOR_INVENTORY: 'erpnext',
        CONNECTOR_ORDERS: 'erpnext',
        CONNECTOR_DELIVERIES: 'erpnext',
        ERPNEXT_URL: fake.url,
        ERPNEXT_API_KEY: API_KEY,
        ERPNEXT_API_SECRET: API_SECRET,
        UPSTREAM_TIMEOUT_MS: '500',
        UPSTREAM_READ_RETRIES: '1',
        // High enough that the failure tests below do not leave the circuit open for the next.
        UPSTREAM_BREAKER_FAILURES: '100',
      },
    });
    token = await t.token(['inventory:read', 'orders:read', 'deliveries:read']);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  const get = (path: string) => t.http.get(path).auth(token, { type: 'bearer' });

  it('check_inventory answers stock per ERPNext warehouse with totals', async () => {
    const res = await get('/v1/inventory/ban-go-soi-120');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sku: 'BAN-GO-SOI-120',
      name: 'Bàn gỗ sồi 120cm',
      unit: 'cái',
      warehouses: [
        {
          code: 'HCM-01',
          name: 'Kho Thủ Đức',
          region: 'south',
          onHand: 40,
          reserved: 5,
          available: 35,
        },
        {
          code: 'HN-01',
          name: 'Kho Long Biên',
          region: 'north',
          onHand: 12,
          reserved: 14,
          available: 0,
        },
      ],
      totals: { onHand: 52, reserved: 19, available: 35 },
      asOf: '2026-03-01T09:30:00.500Z',
    });
    expect(fake.requests.every((r) => r.authorization === `token ${API_KEY}:${API_SECRET}`)).toBe(
      true,
    );
  });

  it('check_inventory answers the tool errors for an unknown SKU or warehouse', async () => {
    const sku = await get('/v1/inventory/NO-SUCH-SKU');
    expect(sku.status).toBe(404);
    expect((sku.body as Problem).code).toBe('product_not_found');
    const warehouse = await get('/v1/inventory/BAN-GO-SOI-120').query({ warehouse: 'XX-99' });
    expect(warehouse.status).toBe(404);
    expect((warehouse.body as Problem).code).toBe('warehouse_not_found');
  });

  it('get_delivery_schedule answers the Delivery Notes of a Sales Order', async () => {
    const res = await get('/v1/orders/SO-2026-000001/deliveries');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      orderNumber: 'SO-2026-000001',
      deliveries: [
        {
          deliveryId: 'MAT-DN-2026-00001',
          status: 'in_transit',
          carrier: 'Giao Hàng Nhanh',
          trackingNumber: 'GHN1234567890',
          plannedWindow: { start: '2026-02-22T00:00:00.000Z', end: '2026-02-23T00:00:00.000Z' },
          region: 'south',
        },
        {
          deliveryId: 'MAT-DN-2026-00002',
          status: 'scheduled',
          carrier: '',
          trackingNumber: null,
          plannedWindow: { start: '2026-03-03T00:00:00.000Z', end: '2026-03-04T00:00:00.000Z' },
          region: 'south',
        },
      ],
    });
    const missing = await get('/v1/orders/SO-2026-999999/deliveries');
    expect(missing.status).toBe(404);
    expect((missing.body as Problem).code).toBe('order_not_found');
  });

  it('answers 503 upstream_unavailable when ERPNext fails, without upstream details', async () => {
    fake.fail({ status: 500 });
    const res = await get('/v1/inventory/BAN-GO-SOI-120');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.body as Problem;
    expect(problem).toMatchObject({ status: 503, code: 'upstream_unavailable', retryable: true });
    expect(res.text).not.toContain(fake.url);
    expect(res.text).not.toContain('127.0.0.1');
    expect(res.text).not.toContain('InternalServerError');
    // One attempt and one read retry.
    expect(fake.callsTo('GET', '/api/resource/Item')).toHaveLength(2);
  });

  it("passes ERPNext's Retry-After on to the agent when it rate-limits reads", async () => {
    fake.fail({ status: 429, headers: { 'retry-after': '90' } }, 2);
    // A SKU no earlier test read: nothing in the read cache.
    const res = await get('/v1/inventory/DEN-LED-12W');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'upstream_unavailable', retryAfterSeconds: 90 });
    expect(res.headers['retry-after']).toBe('90');
  });

  it('/readyz pings ERPNext for each bound capability', async () => {
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(200);
    const body = res.body as { details: Record<string, { status: string; via?: string }> };
    for (const port of ['inventory', 'orders', 'deliveries']) {
      expect(body.details[`connector:${port}`]).toMatchObject({ status: 'up', via: 'ping' });
    }
    expect(body.details['connector:tickets']).toMatchObject({ status: 'up', via: 'database' });
    expect(fake.callsTo('GET', '/api/method/frappe.auth.get_logged_user')).toHaveLength(3);
  });

  it('/readyz answers 503 naming the ERPNext connectors while ERPNext answers 500', async () => {
    fake.fail({ status: 500 });
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(503);
    const problem = res.body as Problem;
    expect(problem.code).toBe('service_unavailable');
    expect(problem.detail).toContain('connector:inventory');
    expect(problem.detail).toContain('connector:deliveries');
    expect(res.text).not.toContain(fake.url);
    fake.heal();
    expect((await t.http.get('/readyz')).status).toBe(200);
  });

  it('never logs the ERPNext secret, key or URL', () => {
    const logs = logger.lines.join('\n');
    expect(logs).not.toContain(API_SECRET);
    expect(logs).not.toContain(API_KEY);
    expect(logs).not.toContain(fake.url);
  });
});

describe('/readyz on ERPNext: probes share pings', () => {
  let fake: FakeErpNext;
  let t: TestApp;
  const PING = '/api/method/frappe.auth.get_logged_user';

  beforeAll(async () => {
    fake = await new FakeErpNext(API_KEY, API_SECRET, erpnextDataSet()).start();
    t = await startTestApp({
      env: {
        CONNECTOR_INVENTORY: 'erpnext',
        ERPNEXT_URL: fake.url,
        ERPNEXT_API_KEY: API_KEY,
        ERPNEXT_API_SECRET: API_SECRET,
        READINESS_PING_CACHE_MS: '60000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('answers any number of unauthenticated probes with one ping per cache period', async () => {
    const probes = await Promise.all(Array.from({ length: 10 }, () => t.http.get('/readyz')));
    expect(probes.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (let i = 0; i < 5; i += 1) expect((await t.http.get('/readyz')).status).toBe(200);
    expect(fake.callsTo('GET', PING)).toHaveLength(1);
  });
});
