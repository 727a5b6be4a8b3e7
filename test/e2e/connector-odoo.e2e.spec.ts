import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  FAKE_API_KEY,
  FAKE_DB,
  FAKE_LOGIN,
  startFakeOdoo,
  type FakeOdoo,
} from '../contract/odoo/fake-odoo.js';
import { freePort } from '../utils/postgres-server.js';
import { CapturingLogger, startTestApp, type TestApp } from '../utils/test-app.js';

/** The variables that point Gatehouse at an Odoo (the fake's database and credentials). */
function odooAt(url: string): Record<string, string> {
  return { ODOO_URL: url, ODOO_DB: FAKE_DB, ODOO_USERNAME: FAKE_LOGIN, ODOO_API_KEY: FAKE_API_KEY };
}

interface Problem {
  code: string;
  status: number;
  retryable: boolean;
  detail: string;
}

describe('Gatehouse bound to Odoo (CONNECTOR_INVENTORY/ORDERS/DELIVERIES=odoo)', () => {
  let fake: FakeOdoo;
  let t: TestApp;
  let token: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    fake = await startFakeOdoo();
    t = await startTestApp({
      logger,
      env: {
        CONNECTOR_INVENTORY: 'odoo',
        CONNECTOR_ORDERS: 'odoo',
        CONNECTOR_DELIVERIES: 'odoo',
        ...odooAt(fake.url),
        UPSTREAM_TIMEOUT_MS: '1000',
        UPSTREAM_READ_RETRIES: '1',
        UPSTREAM_BREAKER_FAILURES: '1000',
      },
    });
    token = await t.token(['inventory:read', 'orders:read']);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const get = (path: string) => t.http.get(path).auth(token, { type: 'bearer' });

  it('check_inventory answers stock from Odoo quants', async () => {
    const res = await get('/v1/inventory/ban-go-soi-120');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sku: 'BAN-GO-SOI-120',
      name: 'Bàn gỗ sồi 120cm',
      unit: 'cái',
      warehouses: [
        {
          code: 'HN-01',
          name: 'Kho Long Biên',
          region: 'north',
          onHand: 50,
          reserved: 5,
          available: 45,
        },
        {
          code: 'SG-01',
          name: 'Kho Thủ Đức',
          region: 'south',
          onHand: 25,
          reserved: 30,
          available: 0,
        },
      ],
      totals: { onHand: 75, reserved: 35, available: 45 },
      asOf: '2026-11-02T03:00:00.000Z',
    });
    expect(fake.callsTo('stock.quant', 'search_read')).toHaveLength(1);
  });

  it('check_inventory answers product_not_found and warehouse_not_found from Odoo', async () => {
    const unknown = await get('/v1/inventory/NOPE-404');
    expect(unknown.status).toBe(404);
    expect((unknown.body as Problem).code).toBe('product_not_found');
    const warehouse = await get('/v1/inventory/BAN-GO-SOI-120?warehouse=XX-99');
    expect(warehouse.status).toBe(404);
    expect((warehouse.body as Problem).code).toBe('warehouse_not_found');
  });

  it('get_order_status answers the sale order with masked customer and Odoo deliveries', async () => {
    const res = await get('/v1/orders/SO-2026-000123');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orderNumber: 'SO-2026-000123',
      status: 'partially_shipped',
      placedAt: '2026-10-28T03:12:45.000Z',
      lastUpdatedAt: '2026-11-02T04:00:00.000Z',
      lines: [
        { sku: 'BAN-GO-SOI-120', quantityOrdered: 2, quantityShipped: 2 },
        { sku: 'DEN-LED-12W', quantityOrdered: 4, quantityShipped: 1 },
      ],
      shipmentSummary: {
        deliveries: 2,
        delivered: 1,
        inTransit: 0,
        scheduled: 1,
        failed: 0,
        nextWindowStart: '2026-11-04T06:00:00.000Z',
      },
    });
    expect(res.text).not.toMatch(/lan\.tran|901234567|Trần Thị Lan/);
    expect(fake.callsTo('stock.picking', 'search_read').length).toBeGreaterThan(0);

    const missing = await get('/v1/orders/SO-2026-999999');
    expect(missing.status).toBe(404);
    expect((missing.body as Problem).code).toBe('order_not_found');
  });

  it('/readyz pings Odoo for each bound connector', async () => {
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(200);
    const details = (res.body as { details: Record<string, { status: string; via?: string }> })
      .details;
    for (const port of ['inventory', 'orders', 'deliveries']) {
      expect(details[`connector:${port}`]).toMatchObject({ status: 'up', via: 'ping' });
    }
    expect(details['connector:tickets']).toMatchObject({ status: 'up', via: 'database' });
    expect(fake.callsTo('res.users', 'search_count')).toHaveLength(3);
  });

  it('answers 503 upstream_unavailable while Odoo answers 500, without leaking where Odoo is', async () => {
    fake.down = true;
    const res = await get('/v1/inventory/DESK-OAK-140');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: 'upstream_unavailable', retryable: true });
    expect(res.text).not.toContain(new URL(fake.url).host);
    expect(res.text).not.toContain(FAKE_API_KEY);

    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text).not.toContain(new URL(fake.url).host);

    fake.down = false;
    expect((await get('/v1/inventory/DESK-OAK-140')).status).toBe(200);
  });

  it('tells a revoked Odoo key from a timeout: "answered with an error", its fault in the log', async () => {
    fake.acceptedKey = 'rotated-by-the-odoo-admin';
    fake.rejectSessionOnce = true;
    const res = await get('/v1/inventory/DESK-OAK-140');
    fake.acceptedKey = FAKE_API_KEY;
    expect(res.status).toBe(503);
    expect(res.body.detail).toBe('A company system answered with an error.');
    const requestId = res.headers['x-request-id'];
    const failed = logger.lines.find(
      (line) => line.includes(requestId) && line.includes('core system call failed'),
    );
    expect(failed).toMatch(/reason: 'odoo fault: auth'/);
    expect(failed).not.toContain(FAKE_API_KEY);
  });

  it('logs why a call failed (system, operation, HTTP status) at warn, not as an unhandled error', async () => {
    fake.down = true;
    const res = await get('/v1/inventory/DESK-OAK-140');
    fake.down = false;
    expect(res.body.detail).toBe('A company system answered with an error.');
    const requestId = res.headers['x-request-id'];
    const lines = logger.lines.filter((line) => line.includes(requestId));
    expect(lines.some((line) => line.includes('unhandled error'))).toBe(false);
    const failed = lines.find((line) => line.includes('core system call failed'));
    expect(failed).toMatch(/system: 'odoo'/);
    expect(failed).toMatch(/status: 500/);
    expect(failed).not.toContain(new URL(fake.url).host);
  });
});

describe('Gatehouse bound to Odoo: the circuit breaker, seen by agents and /metrics', () => {
  let fake: FakeOdoo;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeOdoo();
    t = await startTestApp({
      env: {
        CONNECTOR_INVENTORY: 'odoo',
        ...odooAt(fake.url),
        READ_CACHE_TTL_MS: '0',
        UPSTREAM_READ_RETRIES: '0',
        UPSTREAM_BREAKER_FAILURES: '2',
        UPSTREAM_BREAKER_HALF_OPEN_MS: '300',
      },
    });
    token = await t.token(['inventory:read']);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const stock = () => t.http.get('/v1/inventory/DESK-OAK-140').auth(token, { type: 'bearer' });
  const circuit = async (): Promise<string | undefined> => {
    const res = await t.http.get('/metrics');
    return /^gatehouse_upstream_circuit_open\{system="odoo"\} (\S+)$/m.exec(res.text)?.[1];
  };

  it('opens after consecutive failures, fails fast without calling Odoo, and closes again', async () => {
    expect((await stock()).status).toBe(200);
    expect(await circuit()).toBe('0');

    fake.down = true;
    expect((await stock()).status).toBe(503);
    expect((await stock()).status).toBe(503);
    expect(await circuit()).toBe('1');

    // Open: the agent still gets a problem it understands, and Odoo is not asked.
    fake.calls.length = 0;
    const fast = await stock();
    expect(fast.status).toBe(503);
    expect(fast.body).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
      detail: 'A company system kept failing, so Gatehouse is not calling it for a short while.',
      // The 300 ms half-open delay, in whole seconds (at least 1), not a fixed 30.
      retryAfterSeconds: 1,
    });
    expect(fast.headers['retry-after']).toBe('1');
    expect(fake.calls).toHaveLength(0);

    fake.down = false;
    // Until the 300 ms half-open delay has passed the circuit keeps refusing; then one call closes it.
    const deadline = Date.now() + 10_000;
    let res = await stock();
    while (res.status !== 200 && Date.now() < deadline) {
      expect(res.body).toMatchObject({ code: 'upstream_unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 25));
      res = await stock();
    }
    expect(res.status).toBe(200);
    expect(await circuit()).toBe('0');
  });
});

describe('Gatehouse bound to an Odoo that refuses connections', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        CONNECTOR_INVENTORY: 'odoo',
        ...odooAt(`http://127.0.0.1:${await freePort()}`),
        UPSTREAM_READ_RETRIES: '0',
      },
    });
  });
  afterAll(() => t.close());

  it('answers upstream_unavailable when nothing listens at ODOO_URL', async () => {
    const token = await t.token(['inventory:read']);
    const res = await t.http.get('/v1/inventory/DESK-OAK-140').auth(token, { type: 'bearer' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
      detail: 'A company system could not be reached.',
    });
    expect(res.text).not.toContain('ECONNREFUSED');
  });
});
