import { describe, expect, it } from '@jest/globals';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import {
  InventoryPort,
  type ProductSummary,
  type StockReport,
} from '../../connectors/ports/inventory.port.js';
import { InventoryService } from './inventory.service.js';

const UPDATED = new Date('2026-10-31T20:00:00Z');

class FakeInventory extends InventoryPort {
  searched: { terms: string[]; limit: number }[] = [];

  constructor(
    private readonly products: (ProductSummary & { internalCost?: number })[],
    private readonly stock: Map<string, StockReport>,
    private readonly warehouses: string[],
  ) {
    super();
  }

  searchProducts(terms: string[], limit: number): Promise<ProductSummary[]> {
    this.searched.push({ terms, limit });
    return Promise.resolve(this.products.slice(0, limit));
  }

  getStock(sku: string, warehouseCode?: string): Promise<StockReport | null> {
    const report = this.stock.get(sku);
    if (!report) return Promise.resolve(null);
    return Promise.resolve({
      ...report,
      warehouses: report.warehouses.filter(
        (w) => warehouseCode === undefined || w.warehouseCode === warehouseCode,
      ),
    });
  }

  warehouseExists(code: string): Promise<boolean> {
    return Promise.resolve(this.warehouses.includes(code));
  }
}

function setup(): { service: InventoryService; port: FakeInventory } {
  const port = new FakeInventory(
    [
      {
        sku: 'BAN-GO-SOI-120',
        name: 'Bàn gỗ sồi 120cm',
        unit: 'cái',
        productLine: 'furniture',
        listPrice: { amount: 2_490_000, currency: 'VND' },
        totalAvailable: 42,
        internalCost: 1_000_000,
      },
    ],
    new Map([
      [
        'BAN-GO-SOI-120',
        {
          sku: 'BAN-GO-SOI-120',
          name: 'Bàn gỗ sồi 120cm',
          unit: 'cái',
          asOf: UPDATED,
          warehouses: [
            {
              warehouseCode: 'HCM-01',
              warehouseName: 'Kho Thủ Đức',
              region: 'south',
              onHand: 30,
              reserved: 5,
              available: 25,
              updatedAt: new Date('2026-10-30T00:00:00Z'),
            },
            {
              warehouseCode: 'HN-01',
              warehouseName: 'Kho Long Biên',
              region: 'north',
              onHand: 2,
              reserved: 4,
              available: 0,
              updatedAt: UPDATED,
            },
          ],
        },
      ],
    ]),
    ['HCM-01', 'HN-01', 'DN-01'],
  );
  return { service: new InventoryService(port), port };
}

async function errorOf(promise: Promise<unknown>): Promise<GatehouseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected a GatehouseError');
}

describe(InventoryService.name, () => {
  describe('search', () => {
    it('searches with accent-folded terms and the given limit', async () => {
      const { service, port } = setup();
      await service.search({ q: 'Bàn  GỖ', limit: 5 });
      expect(port.searched).toEqual([{ terms: ['ban', 'go'], limit: 5 }]);
    });

    it('maps only the documented fields', async () => {
      const { service } = setup();
      const result = await service.search({ q: 'ban go', limit: 10 });
      expect(result).toEqual({
        items: [
          {
            sku: 'BAN-GO-SOI-120',
            name: 'Bàn gỗ sồi 120cm',
            unit: 'cái',
            listPrice: { amount: 2_490_000, currency: 'VND' },
            totalAvailable: 42,
          },
        ],
      });
    });
  });

  describe('check', () => {
    it('reports every warehouse with totals and asOf', async () => {
      const { service } = setup();
      const report = await service.check('ban-go-soi-120', {});
      expect(report.sku).toBe('BAN-GO-SOI-120');
      expect(report.warehouses).toEqual([
        {
          code: 'HCM-01',
          name: 'Kho Thủ Đức',
          region: 'south',
          onHand: 30,
          reserved: 5,
          available: 25,
        },
        {
          code: 'HN-01',
          name: 'Kho Long Biên',
          region: 'north',
          onHand: 2,
          reserved: 4,
          available: 0,
        },
      ]);
      expect(report.totals).toEqual({ onHand: 32, reserved: 9, available: 25 });
      expect(report.asOf).toBe(UPDATED.toISOString());
    });

    it('narrows to one warehouse, upper-casing the code', async () => {
      const { service } = setup();
      const report = await service.check('BAN-GO-SOI-120', { warehouse: 'hcm-01' });
      expect(report.warehouses.map((w) => w.code)).toEqual(['HCM-01']);
      expect(report.totals).toEqual({ onHand: 30, reserved: 5, available: 25 });
    });

    it('answers product_not_found for an unknown SKU', async () => {
      const { service } = setup();
      const error = await errorOf(service.check('NO-SUCH-SKU', {}));
      expect(error.code).toBe('product_not_found');
      expect(error.message).toContain('NO-SUCH-SKU');
    });

    it('answers warehouse_not_found for an unknown warehouse', async () => {
      const { service } = setup();
      const error = await errorOf(service.check('BAN-GO-SOI-120', { warehouse: 'XX-99' }));
      expect(error.code).toBe('warehouse_not_found');
    });
  });
});
