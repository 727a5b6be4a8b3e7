import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { PrismaService } from '../../database/prisma.service.js';
import {
  InventoryPort,
  noStockAt,
  type ProductSummary,
  type StockReport,
  type WarehouseStock,
} from '../ports/inventory.port.js';

interface StockRow {
  onHand: number;
  reserved: number;
}

/** Inventory from Gatehouse's own demo tables. */
@Injectable()
export class EmbeddedInventoryAdapter extends InventoryPort {
  constructor(
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async searchProducts(terms: string[], limit: number): Promise<ProductSummary[]> {
    if (terms.length === 0) return [];
    // Each term may hit the folded name or the SKU, so "ban go" and "BAN-GO-SOI 120" both work.
    const products = await this.prisma.product.findMany({
      where: {
        AND: terms.map((term) => ({
          OR: [{ nameNormalized: { contains: term } }, { sku: { contains: term.toUpperCase() } }],
        })),
      },
      orderBy: { sku: 'asc' },
      take: limit,
      select: {
        sku: true,
        name: true,
        unit: true,
        productLine: true,
        listPrice: true,
        currency: true,
        stock: { select: { onHand: true, reserved: true } },
      },
    });
    return products.map((p) => ({
      sku: p.sku,
      name: p.name,
      unit: p.unit,
      productLine: p.productLine,
      listPrice: { amount: p.listPrice, currency: p.currency },
      totalAvailable: p.stock.reduce((sum, row) => sum + available(row), 0),
    }));
  }

  async getStock(sku: string, warehouseCode?: string): Promise<StockReport | null> {
    const product = await this.prisma.product.findUnique({
      where: { sku },
      select: {
        sku: true,
        name: true,
        unit: true,
        stock: {
          where: warehouseCode === undefined ? {} : { warehouseCode },
          orderBy: { warehouseCode: 'asc' },
          select: {
            onHand: true,
            reserved: true,
            updatedAt: true,
            warehouse: { select: { code: true, name: true, region: true } },
          },
        },
      },
    });
    if (!product) return null;
    const warehouses: WarehouseStock[] = product.stock.map((row) => ({
      warehouseCode: row.warehouse.code,
      warehouseName: row.warehouse.name,
      region: row.warehouse.region,
      onHand: row.onHand,
      reserved: row.reserved,
      available: available(row),
      updatedAt: row.updatedAt,
    }));
    const now = this.clock.now();
    if (warehouseCode !== undefined && warehouses.length === 0) {
      const warehouse = await this.prisma.warehouse.findUnique({ where: { code: warehouseCode } });
      if (warehouse) warehouses.push(noStockAt(warehouse, now));
    }
    const asOf =
      warehouses.length === 0
        ? now
        : new Date(Math.max(...warehouses.map((w) => w.updatedAt.getTime())));
    return { sku: product.sku, name: product.name, unit: product.unit, warehouses, asOf };
  }

  async warehouseExists(code: string): Promise<boolean> {
    return (await this.prisma.warehouse.count({ where: { code } })) > 0;
  }
}

function available(row: StockRow): number {
  return Math.max(0, row.onHand - row.reserved);
}
