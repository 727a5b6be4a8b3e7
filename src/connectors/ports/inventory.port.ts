export interface Money {
  amount: number;
  currency: string;
}

export interface ProductSummary {
  sku: string;
  name: string;
  unit: string;
  productLine: string;
  listPrice: Money;
  totalAvailable: number;
}

export interface WarehouseStock {
  warehouseCode: string;
  warehouseName: string;
  region: string;
  onHand: number;
  reserved: number;
  available: number;
  updatedAt: Date;
}

/**
 * The row for a warehouse that never held the product: it has none of it,
 * which a narrowed stock question should say rather than answer nothing.
 */
export function noStockAt(
  warehouse: { code: string; name: string; region: string },
  at: Date,
): WarehouseStock {
  return {
    warehouseCode: warehouse.code,
    warehouseName: warehouse.name,
    region: warehouse.region,
    onHand: 0,
    reserved: 0,
    available: 0,
    updatedAt: at,
  };
}

export interface StockReport {
  sku: string;
  name: string;
  unit: string;
  warehouses: WarehouseStock[];
  asOf: Date;
}

/** Read-only product and stock data from the ERP. */
export abstract class InventoryPort {
  /** Accent-insensitive search over product names and SKUs. */
  abstract searchProducts(terms: string[], limit: number): Promise<ProductSummary[]>;
  /** Null when the SKU does not exist. `warehouseCode` narrows to one warehouse. */
  abstract getStock(sku: string, warehouseCode?: string): Promise<StockReport | null>;
  abstract warehouseExists(code: string): Promise<boolean>;
}
