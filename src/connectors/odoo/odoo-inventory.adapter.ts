import type { Clock } from '../../common/clock.js';
import {
  InventoryPort,
  noStockAt,
  type ProductSummary,
  type StockReport,
  type WarehouseStock,
} from '../ports/inventory.port.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import {
  fromOdooDatetime,
  many2oneId,
  many2oneName,
  num,
  text,
  type OdooDomain,
  type OdooRow,
} from './odoo-values.js';
import type { OdooWarehouses } from './odoo-warehouses.js';

/** Stock counts only in internal locations: not at customers, vendors or in transit. */
const INTERNAL_STOCK: OdooDomain = [
  ['location_id.usage', '=', 'internal'],
  ['warehouse_id', '!=', false],
];

const QUANT_FIELDS = ['product_id', 'warehouse_id', 'quantity', 'reserved_quantity', 'write_date'];

interface WarehouseTotals {
  onHand: number;
  reserved: number;
  updatedAt: Date | null;
}

/**
 * Products (`product.product`, SKU = `default_code`) and stock
 * (`stock.quant`, summed per warehouse) from Odoo Inventory.
 */
export class OdooInventoryAdapter extends InventoryPort {
  constructor(
    private readonly rpc: OdooRpcClient,
    private readonly warehouses: OdooWarehouses,
    private readonly clock: Clock,
  ) {
    super();
  }

  async searchProducts(terms: string[], limit: number): Promise<ProductSummary[]> {
    if (terms.length === 0) return [];
    // Terms arrive folded ("ban go"); Odoo matches them to "Bàn gỗ" only when it runs with
    // --unaccent. SKUs are ASCII, so a SKU fragment always matches.
    const domain: OdooDomain = [['default_code', '!=', false]];
    for (const term of terms) {
      domain.push('|', ['name', 'ilike', term], ['default_code', 'ilike', term]);
    }
    const products = await this.rpc.searchRead('product.product', domain, {
      fields: ['default_code', 'name', 'uom_id', 'categ_id', 'list_price', 'currency_id'],
      order: 'default_code asc',
      limit,
    });
    if (products.length === 0) return [];
    const quants = await this.rpc.searchRead(
      'stock.quant',
      [['product_id', 'in', products.map((p) => num(p.id))], ...INTERNAL_STOCK],
      { fields: QUANT_FIELDS },
    );
    return products.map((p) => {
      const mine = quants.filter((q) => many2oneId(q.product_id) === num(p.id));
      const totalAvailable = [...perWarehouse(mine).values()].reduce(
        (sum, w) => sum + available(w),
        0,
      );
      return {
        sku: text(p.default_code),
        name: text(p.name),
        unit: many2oneName(p.uom_id),
        productLine: productLineOf(p.categ_id),
        listPrice: { amount: num(p.list_price), currency: many2oneName(p.currency_id) },
        totalAvailable,
      };
    });
  }

  async getStock(sku: string, warehouseCode?: string): Promise<StockReport | null> {
    const [product] = await this.rpc.searchRead('product.product', [['default_code', '=', sku]], {
      fields: ['default_code', 'name', 'uom_id'],
      limit: 1,
    });
    if (!product) return null;
    const domain: OdooDomain = [['product_id', '=', num(product.id)], ...INTERNAL_STOCK];
    if (warehouseCode !== undefined) domain.push(['warehouse_id.code', '=', warehouseCode]);
    const quants = await this.rpc.searchRead('stock.quant', domain, { fields: QUANT_FIELDS });

    const now = this.clock.now();
    const warehouses: WarehouseStock[] = [];
    for (const [warehouseId, totals] of perWarehouse(quants)) {
      const warehouse = await this.warehouses.byId(warehouseId);
      // An archived warehouse still holding quants is not one an agent can name.
      if (!warehouse) continue;
      warehouses.push({
        warehouseCode: warehouse.code,
        warehouseName: warehouse.name,
        region: warehouse.region,
        onHand: totals.onHand,
        reserved: totals.reserved,
        available: available(totals),
        updatedAt: totals.updatedAt ?? now,
      });
    }
    if (warehouseCode !== undefined && warehouses.length === 0) {
      const warehouse = await this.warehouses.byCode(warehouseCode);
      if (warehouse) warehouses.push(noStockAt(warehouse, now));
    }
    warehouses.sort((a, b) => (a.warehouseCode < b.warehouseCode ? -1 : 1));
    const asOf =
      warehouses.length === 0
        ? now
        : new Date(Math.max(...warehouses.map((w) => w.updatedAt.getTime())));
    return {
      sku: text(product.default_code),
      name: text(product.name),
      unit: many2oneName(product.uom_id),
      warehouses,
      asOf,
    };
  }

  async warehouseExists(code: string): Promise<boolean> {
    return (await this.warehouses.byCode(code)) !== undefined;
  }

  ping(signal: AbortSignal): Promise<void> {
    return this.rpc.ping(signal);
  }
}

/** A product sits in several quants per warehouse (one per location, lot or package). */
function perWarehouse(quants: OdooRow[]): Map<number, WarehouseTotals> {
  const totals = new Map<number, WarehouseTotals>();
  for (const quant of quants) {
    const warehouseId = many2oneId(quant.warehouse_id);
    if (warehouseId === null) continue;
    const row = totals.get(warehouseId) ?? { onHand: 0, reserved: 0, updatedAt: null };
    row.onHand += num(quant.quantity);
    row.reserved += num(quant.reserved_quantity);
    const written = fromOdooDatetime(quant.write_date);
    if (written && (!row.updatedAt || written > row.updatedAt)) row.updatedAt = written;
    totals.set(warehouseId, row);
  }
  return totals;
}

function available(totals: WarehouseTotals): number {
  return Math.max(0, totals.onHand - totals.reserved);
}

/** The leaf of the product category path: "All / Saleable / Furniture" -> "furniture". */
function productLineOf(category: unknown): string {
  const path = many2oneName(category).split('/');
  return (path[path.length - 1] ?? '').trim().toLowerCase();
}
