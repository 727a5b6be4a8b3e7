import { Injectable } from '@nestjs/common';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { searchTerms } from '../../common/text/normalize-search.js';
import { InventoryPort } from '../../connectors/ports/inventory.port.js';
import type { CheckInventoryQuery, StockReportDto } from './dto/check-inventory.dto.js';
import type { ProductSearchResultDto, SearchProductsQuery } from './dto/search-products.dto.js';
import type { RequestContext } from '../../common/http/request-context.js';
import { forRequest } from '../../connectors/instrument-port.js';

@Injectable()
export class InventoryService {
  constructor(private readonly inventory: InventoryPort) {}

  async search(
    query: SearchProductsQuery,
    request?: RequestContext,
  ): Promise<ProductSearchResultDto> {
    const products = await forRequest(this.inventory, request).searchProducts(
      searchTerms(query.q),
      query.limit,
    );
    return {
      items: products.map((p) => ({
        sku: p.sku,
        name: p.name,
        unit: p.unit,
        listPrice: { amount: p.listPrice.amount, currency: p.listPrice.currency },
        totalAvailable: p.totalAvailable,
      })),
    };
  }

  async check(
    rawSku: string,
    query: CheckInventoryQuery,
    request?: RequestContext,
  ): Promise<StockReportDto> {
    const inventory = forRequest(this.inventory, request);
    const sku = rawSku.toUpperCase();
    const warehouse = query.warehouse?.toUpperCase();
    const report = await inventory.getStock(sku, warehouse);
    if (!report) {
      throw new GatehouseError('product_not_found', {
        detail: `There is no product with SKU ${sku}.`,
      });
    }
    if (warehouse !== undefined && !(await inventory.warehouseExists(warehouse))) {
      throw new GatehouseError('warehouse_not_found', {
        detail: `There is no warehouse with code ${warehouse}.`,
      });
    }
    const warehouses = report.warehouses.map((w) => ({
      code: w.warehouseCode,
      name: w.warehouseName,
      region: w.region,
      onHand: w.onHand,
      reserved: w.reserved,
      available: w.available,
    }));
    const sum = (pick: (w: (typeof warehouses)[number]) => number): number =>
      warehouses.reduce((total, w) => total + pick(w), 0);
    return {
      sku: report.sku,
      name: report.name,
      unit: report.unit,
      warehouses,
      totals: {
        onHand: sum((w) => w.onHand),
        reserved: sum((w) => w.reserved),
        available: sum((w) => w.available),
      },
      asOf: report.asOf.toISOString(),
    };
  }
}
