import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildDemoData } from '../../src/database/seed/demo-data.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

interface Problem {
  code: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface SearchBody {
  items: {
    sku: string;
    name: string;
    unit: string;
    listPrice: { amount: number; currency: string };
    totalAvailable: number;
  }[];
}

describe('inventory tools (search_products, check_inventory)', () => {
  const demo = buildDemoData();
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token(['inventory:read']);
  });
  afterAll(async () => t.close());

  const get = (path: string, bearer = token) => t.http.get(path).auth(bearer, { type: 'bearer' });

  describe('GET /v1/inventory (search_products)', () => {
    it('finds "Bàn gỗ sồi 120cm" from "ban go" without accents', async () => {
      const res = await get('/v1/inventory').query({ q: 'ban go soi 120' });
      expect(res.status).toBe(200);
      const body = res.body as SearchBody;
      const product = demo.products.find((p) => p.sku === 'BAN-GO-SOI-120');
      const available = demo.stockLevels
        .filter((s) => s.sku === 'BAN-GO-SOI-120')
        .reduce((sum, s) => sum + Math.max(0, s.onHand - s.reserved), 0);
      expect(body.items[0]).toEqual({
        sku: 'BAN-GO-SOI-120',
        name: 'Bàn gỗ sồi 120cm',
        unit: 'cái',
        listPrice: { amount: product?.listPrice, currency: 'VND' },
        totalAvailable: available,
      });
    });

    it('matches accented and upper-case queries the same way', async () => {
      const plain = await get('/v1/inventory').query({ q: 'ban go', limit: 50 });
      const accented = await get('/v1/inventory').query({ q: 'BÀN GỖ', limit: 50 });
      expect(plain.status).toBe(200);
      const skus = (plain.body as SearchBody).items.map((i) => i.sku);
      expect(skus.length).toBeGreaterThan(10);
      expect((accented.body as SearchBody).items.map((i) => i.sku)).toEqual(skus);
      expect(skus).toContain('BAN-GO-SOI-120');
    });

    it('finds English names and SKUs', async () => {
      const byName = await get('/v1/inventory').query({ q: 'oak desk 140' });
      expect((byName.body as SearchBody).items.map((i) => i.sku)).toEqual(['DESK-OAK-140']);
      const bySku = await get('/v1/inventory').query({ q: 'desk-oak-140' });
      expect((bySku.body as SearchBody).items[0]?.sku).toBe('DESK-OAK-140');
    });

    it('defaults to 10 results and honours limit', async () => {
      const byDefault = await get('/v1/inventory').query({ q: 'den' });
      expect((byDefault.body as SearchBody).items).toHaveLength(10);
      const limited = await get('/v1/inventory').query({ q: 'den', limit: '3' });
      expect((limited.body as SearchBody).items).toHaveLength(3);
    });

    it('answers an empty list when nothing matches', async () => {
      const res = await get('/v1/inventory').query({ q: 'tàu vũ trụ' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
    });

    it.each([
      ['missing q', {}, 'q'],
      ['q too long', { q: 'x'.repeat(101) }, 'q'],
      ['q without letters or digits', { q: '!!!' }, 'q'],
      ['limit 0', { q: 'ban', limit: '0' }, 'limit'],
      ['limit 51', { q: 'ban', limit: '51' }, 'limit'],
      ['a non-numeric limit', { q: 'ban', limit: 'ten' }, 'limit'],
      ['an unknown field', { q: 'ban', price: '1' }, 'price'],
    ])('rejects %s with 400 validation_failed', async (_name, query, field) => {
      const res = await get('/v1/inventory').query(query);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.body as Problem;
      expect(body.code).toBe('validation_failed');
      expect(body.errors?.map((e) => e.field)).toContain(field);
    });
  });

  describe('GET /v1/inventory/{sku} (check_inventory)', () => {
    it('reports every warehouse with totals and asOf', async () => {
      const res = await get('/v1/inventory/BAN-GO-SOI-120');
      expect(res.status).toBe(200);
      const rows = demo.stockLevels.filter((s) => s.sku === 'BAN-GO-SOI-120');
      const warehouses = rows
        .map((s) => {
          const w = demo.warehouses.find((x) => x.code === s.warehouseCode);
          return {
            code: s.warehouseCode,
            name: w?.name,
            region: w?.region,
            onHand: s.onHand,
            reserved: s.reserved,
            available: Math.max(0, s.onHand - s.reserved),
          };
        })
        .sort((a, b) => a.code.localeCompare(b.code));
      expect(res.body).toEqual({
        sku: 'BAN-GO-SOI-120',
        name: 'Bàn gỗ sồi 120cm',
        unit: 'cái',
        warehouses,
        totals: {
          onHand: warehouses.reduce((s, w) => s + w.onHand, 0),
          reserved: warehouses.reduce((s, w) => s + w.reserved, 0),
          available: warehouses.reduce((s, w) => s + w.available, 0),
        },
        asOf: new Date(Math.max(...rows.map((r) => r.updatedAt.getTime()))).toISOString(),
      });
    });

    it('accepts a lower-case SKU and narrows to one warehouse', async () => {
      const stocked = demo.stockLevels.find((s) => s.sku === 'DESK-OAK-140');
      const res = await get('/v1/inventory/desk-oak-140').query({
        warehouse: stocked?.warehouseCode.toLowerCase(),
      });
      expect(res.status).toBe(200);
      const body = res.body as { sku: string; warehouses: { code: string; onHand: number }[] };
      expect(body.sku).toBe('DESK-OAK-140');
      expect(body.warehouses).toEqual([
        expect.objectContaining({ code: stocked?.warehouseCode, onHand: stocked?.onHand }),
      ]);
    });

    it('answers 404 product_not_found for an unknown SKU', async () => {
      const res = await get('/v1/inventory/NO-SUCH-SKU');
      expect(res.status).toBe(404);
      expect((res.body as Problem).code).toBe('product_not_found');
    });

    it('answers 404 warehouse_not_found for an unknown warehouse', async () => {
      const res = await get('/v1/inventory/BAN-GO-SOI-120').query({ warehouse: 'XX-99' });
      expect(res.status).toBe(404);
      expect((res.body as Problem).code).toBe('warehouse_not_found');
    });

    it.each([
      ['a SKU with spaces', '/v1/inventory/BAN%20GO', 'sku'],
      ['a SKU that is too short', '/v1/inventory/AB', 'sku'],
      ['a SKU that is too long', `/v1/inventory/${'A'.repeat(41)}`, 'sku'],
      ['a malformed warehouse code', '/v1/inventory/BAN-GO-SOI-120?warehouse=HCM1', 'warehouse'],
      ['an unknown query field', '/v1/inventory/BAN-GO-SOI-120?include=cost', 'include'],
    ])('rejects %s with 400 validation_failed', async (_name, path, field) => {
      const res = await get(path);
      expect(res.status).toBe(400);
      const body = res.body as Problem;
      expect(body.code).toBe('validation_failed');
      expect(body.errors?.map((e) => e.field)).toContain(field);
    });
  });

  describe('authorisation', () => {
    it('answers 401 without a token', async () => {
      const res = await t.http.get('/v1/inventory/BAN-GO-SOI-120');
      expect(res.status).toBe(401);
      expect((res.body as Problem).code).toBe('missing_credentials');
    });

    it('answers 403 naming inventory:read to a client without it', async () => {
      const other = await t.token(['orders:read']);
      for (const path of ['/v1/inventory?q=ban', '/v1/inventory/BAN-GO-SOI-120']) {
        const res = await get(path, other);
        expect(res.status).toBe(403);
        const body = res.body as Problem;
        expect(body.code).toBe('insufficient_scope');
        expect(body.detail).toContain('inventory:read');
      }
    });
  });
});
