import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyTemplateDb } from '../../../test/utils/template-db.js';
import { Clock } from '../../common/clock.js';
import { normalizeSearchText, searchTerms } from '../../common/text/normalize-search.js';
import { loadConfig } from '../../config/app-config.js';
import { createPrismaClient, type PrismaService } from '../../database/prisma.service.js';
import { buildDemoData } from '../../database/seed/demo-data.js';
import { EmbeddedInventoryAdapter } from './embedded-inventory.adapter.js';

const NOW = new Date('2026-11-01T12:00:00Z');

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

describe(EmbeddedInventoryAdapter.name, () => {
  const demo = buildDemoData();
  let dir: string;
  let prisma: PrismaService;
  let adapter: EmbeddedInventoryAdapter;

  beforeAll(async () => {
    const db = await copyTemplateDb();
    dir = db.dir;
    prisma = createPrismaClient(loadConfig({ DATABASE_URL: `file:${db.file}` }));
    adapter = new EmbeddedInventoryAdapter(prisma, new FixedClock());
  });

  afterAll(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('searchProducts', () => {
    it('finds Vietnamese names without accents', async () => {
      const found = await adapter.searchProducts(searchTerms('ban go soi 120'), 10);
      expect(found.map((p) => p.sku)).toContain('BAN-GO-SOI-120');
      const terms = searchTerms('ban go soi 120');
      for (const p of found) {
        const matches = (t: string): boolean =>
          normalizeSearchText(p.name).includes(t) || p.sku.includes(t.toUpperCase());
        expect(terms.every(matches)).toBe(true);
      }
      const desk = found.find((p) => p.sku === 'BAN-GO-SOI-120');
      expect(desk).toMatchObject({
        name: 'Bàn gỗ sồi 120cm',
        unit: 'cái',
        productLine: 'furniture',
        listPrice: { amount: expect.any(Number), currency: 'VND' },
      });
    });

    it('requires every term to match', async () => {
      const found = await adapter.searchProducts(['oak', 'desk', '140'], 50);
      expect(found.map((p) => p.sku)).toEqual(['DESK-OAK-140']);
    });

    it('matches SKUs, including a full SKU split into terms', async () => {
      const found = await adapter.searchProducts(searchTerms('DESK-OAK-140'), 5);
      expect(found[0]?.sku).toBe('DESK-OAK-140');
    });

    it('sums what is available over every warehouse, never counting a deficit', async () => {
      const [found] = await adapter.searchProducts(searchTerms('DESK-OAK-140'), 1);
      const expected = demo.stockLevels
        .filter((s) => s.sku === 'DESK-OAK-140')
        .reduce((sum, s) => sum + Math.max(0, s.onHand - s.reserved), 0);
      expect(found?.totalAvailable).toBe(expected);
      expect(expected).toBeGreaterThan(0);
    });

    it('honours the limit and returns nothing for no terms or no match', async () => {
      expect(await adapter.searchProducts(['ban'], 3)).toHaveLength(3);
      expect(await adapter.searchProducts([], 10)).toEqual([]);
      expect(await adapter.searchProducts(['zzzqqq'], 10)).toEqual([]);
    });
  });

  describe('getStock', () => {
    it('reports every warehouse that stocks the product, asOf the latest update', async () => {
      const report = await adapter.getStock('BAN-GO-SOI-120');
      const rows = demo.stockLevels.filter((s) => s.sku === 'BAN-GO-SOI-120');
      expect(report?.warehouses.map((w) => w.warehouseCode).sort()).toEqual(
        rows.map((r) => r.warehouseCode).sort(),
      );
      for (const w of report?.warehouses ?? []) {
        expect(w.available).toBe(Math.max(0, w.onHand - w.reserved));
        expect(w.warehouseName).toMatch(/^Kho /);
      }
      expect(report?.asOf).toEqual(new Date(Math.max(...rows.map((r) => r.updatedAt.getTime()))));
    });

    it('narrows to one warehouse', async () => {
      const stocked = demo.stockLevels.find((s) => s.sku === 'BAN-GO-SOI-120');
      const report = await adapter.getStock('BAN-GO-SOI-120', stocked?.warehouseCode);
      expect(report?.warehouses).toHaveLength(1);
      expect(report?.warehouses[0]).toMatchObject({
        warehouseCode: stocked?.warehouseCode,
        onHand: stocked?.onHand,
        reserved: stocked?.reserved,
      });
    });

    it('answers zeros for a warehouse that does not stock the product', async () => {
      const stocked = new Set(
        demo.stockLevels.filter((s) => s.sku === 'DESK-OAK-140').map((s) => s.warehouseCode),
      );
      const other = demo.warehouses.find((w) => !stocked.has(w.code));
      expect(other).toBeDefined();
      const report = await adapter.getStock('DESK-OAK-140', other?.code);
      expect(report?.warehouses).toEqual([
        {
          warehouseCode: other?.code,
          warehouseName: other?.name,
          region: other?.region,
          onHand: 0,
          reserved: 0,
          available: 0,
          updatedAt: NOW,
        },
      ]);
    });

    it('answers null for an unknown SKU and an empty list for an unknown warehouse', async () => {
      expect(await adapter.getStock('NO-SUCH-SKU')).toBeNull();
      expect((await adapter.getStock('DESK-OAK-140', 'XX-99'))?.warehouses).toEqual([]);
    });
  });

  it('knows which warehouses exist', async () => {
    expect(await adapter.warehouseExists('HCM-01')).toBe(true);
    expect(await adapter.warehouseExists('XX-99')).toBe(false);
  });
});
