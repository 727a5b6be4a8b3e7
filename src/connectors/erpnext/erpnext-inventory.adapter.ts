import type { Clock } from '../../common/clock.js';
import { normalizeSearchText } from '../../common/text/normalize-search.js';
import {
  InventoryPort,
  noStockAt,
  type Money,
  type ProductSummary,
  type StockReport,
  type WarehouseStock,
} from '../ports/inventory.port.js';
import type { ErpNextRestClient, FrappeDoc } from './erpnext-rest.client.js';
import type { FrappeTimeZone } from './erpnext-time.js';
import { quantity, RegionTree, text } from './erpnext-values.js';

/** The price list whose selling rates are shown as list prices (ERPNext's default). */
export const LIST_PRICE_LIST = 'Standard Selling';
const SEARCH_PAGE = 200;
const SEARCH_MAX_PAGES = 5;
const MAX_WAREHOUSES = 1000;
const MAX_BINS = 5000;
/** Gatehouse warehouse codes ("HCM-01"), taken from the front of the ERPNext warehouse name. */
const WAREHOUSE_CODE = /^([A-Za-z]{2,3}-\d{2})\b[\s:–-]*(.*)$/;

interface Warehouse {
  /** The ERPNext document name, e.g. "HCM-01 Kho Thủ Đức - GH". */
  id: string;
  code: string;
  name: string;
  region: string;
}

/** Stock from ERPNext `Bin`, products from `Item`, list prices from `Item Price`. */
export class ErpNextInventoryAdapter extends InventoryPort {
  constructor(
    private readonly client: ErpNextRestClient,
    private readonly clock: Clock,
    private readonly zone: FrappeTimeZone,
  ) {
    super();
  }

  /** Readiness (health/connectors.health.ts): one authenticated call to ERPNext. */
  ping(signal: AbortSignal): Promise<void> {
    return this.client.ping(signal);
  }

  async searchProducts(terms: string[], limit: number): Promise<ProductSummary[]> {
    if (terms.length === 0 || limit <= 0) return [];
    const items = await this.findItems(terms, limit);
    if (items.length === 0) return [];
    const codes = items.map((item) => text(item, 'item_code'));
    const [bins, prices] = await Promise.all([
      this.client.list('Bin', {
        fields: ['item_code', 'actual_qty', 'reserved_qty'],
        filters: [['item_code', 'in', codes]],
        limit: MAX_BINS,
      }),
      this.listPrices(codes),
    ]);
    const fallbackCurrency = items.some((item) => !prices.has(text(item, 'item_code')))
      ? await this.priceListCurrency()
      : '';
    return items.map((item) => {
      const sku = text(item, 'item_code');
      return {
        sku,
        name: text(item, 'item_name') || sku,
        unit: text(item, 'stock_uom'),
        productLine: normalizeSearchText(text(item, 'item_group')),
        listPrice: prices.get(sku) ?? { amount: 0, currency: fallbackCurrency },
        totalAvailable: bins
          .filter((bin) => text(bin, 'item_code') === sku)
          .reduce((sum, bin) => sum + available(bin), 0),
      };
    });
  }

  async getStock(sku: string, warehouseCode?: string): Promise<StockReport | null> {
    const [item] = await this.client.list('Item', {
      fields: ['item_code', 'item_name', 'stock_uom'],
      filters: [['item_code', '=', sku]],
      limit: 1,
    });
    if (!item) return null;
    const warehouses = await this.warehouses();
    const wanted =
      warehouseCode === undefined
        ? undefined
        : warehouses.find((w) => w.code === warehouseCode.toUpperCase());
    const now = this.clock.now();
    const report = (rows: WarehouseStock[]): StockReport => ({
      sku: text(item, 'item_code'),
      name: text(item, 'item_name') || text(item, 'item_code'),
      unit: text(item, 'stock_uom'),
      warehouses: rows,
      asOf: rows.length === 0 ? now : new Date(Math.max(...rows.map((w) => w.updatedAt.getTime()))),
    });
    if (warehouseCode !== undefined && !wanted) return report([]);

    const bins = await this.client.list('Bin', {
      fields: ['warehouse', 'actual_qty', 'reserved_qty', 'modified'],
      filters: [
        ['item_code', '=', text(item, 'item_code')],
        ...(wanted ? [['warehouse', '=', wanted.id] as [string, string, string]] : []),
      ],
      limit: MAX_BINS,
    });
    const byId = new Map(warehouses.map((w) => [w.id, w]));
    const rows: WarehouseStock[] = [];
    for (const bin of bins) {
      const warehouse = byId.get(text(bin, 'warehouse'));
      // Bins of disabled or group warehouses are not places an agent can send anyone to.
      if (!warehouse) continue;
      const onHand = quantity(bin, 'actual_qty');
      const reserved = quantity(bin, 'reserved_qty');
      rows.push({
        warehouseCode: warehouse.code,
        warehouseName: warehouse.name,
        region: warehouse.region,
        onHand,
        reserved,
        available: available(bin),
        updatedAt: this.zone.parse(bin.modified) ?? now,
      });
    }
    if (wanted && rows.length === 0) rows.push(noStockAt(wanted, now));
    rows.sort((a, b) =>
      a.warehouseCode < b.warehouseCode ? -1 : a.warehouseCode > b.warehouseCode ? 1 : 0,
    );
    return report(rows);
  }

  async warehouseExists(code: string): Promise<boolean> {
    return (await this.warehouses()).some((w) => w.code === code.toUpperCase());
  }

  /**
   * ERPNext cannot AND several OR-groups in one query, so the most selective
   * term narrows the query and every term is then checked here, folded the
   * same way as the embedded search.
   */
  private async findItems(terms: string[], limit: number): Promise<FrappeDoc[]> {
    const narrowest = [...terms].sort((a, b) => b.length - a.length)[0] ?? '';
    // "_" matches any one character: "đ" folds to "d" here, but not in every database collation.
    const pattern = `%${narrowest.replace(/d/g, '_')}%`;
    const matches: FrappeDoc[] = [];
    for (let page = 0; page < SEARCH_MAX_PAGES && matches.length < limit; page++) {
      const rows = await this.client.list('Item', {
        fields: ['item_code', 'item_name', 'item_group', 'stock_uom'],
        filters: [
          ['disabled', '=', 0],
          ['has_variants', '=', 0],
        ],
        orFilters: [
          ['item_name', 'like', pattern],
          ['item_code', 'like', pattern],
        ],
        orderBy: 'item_code asc',
        start: page * SEARCH_PAGE,
        limit: SEARCH_PAGE,
      });
      matches.push(...rows.filter((row) => matchesAll(row, terms)));
      if (rows.length < SEARCH_PAGE) break;
    }
    return matches.slice(0, limit);
  }

  private async listPrices(codes: string[]): Promise<Map<string, Money>> {
    const rows = await this.client.list('Item Price', {
      fields: ['item_code', 'price_list_rate', 'currency', 'valid_from', 'valid_upto'],
      filters: [
        ['item_code', 'in', codes],
        ['price_list', '=', LIST_PRICE_LIST],
      ],
      orderBy: 'valid_from desc',
      limit: codes.length * 5,
    });
    // valid_from / valid_upto are site-local days.
    const today = this.zone.dayOf(this.clock.now());
    const prices = new Map<string, Money>();
    for (const row of rows) {
      const sku = text(row, 'item_code');
      const from = text(row, 'valid_from');
      const upto = text(row, 'valid_upto');
      if (prices.has(sku) || (from !== '' && from > today) || (upto !== '' && upto < today)) {
        continue;
      }
      prices.set(sku, {
        amount: quantity(row, 'price_list_rate'),
        currency: text(row, 'currency'),
      });
    }
    return prices;
  }

  private async priceListCurrency(): Promise<string> {
    const list = await this.client.get('Price List', LIST_PRICE_LIST);
    return list ? text(list, 'currency') : '';
  }

  private async warehouses(): Promise<Warehouse[]> {
    const rows = await this.client.list('Warehouse', {
      fields: ['name', 'warehouse_name', 'parent_warehouse', 'is_group', 'disabled'],
      limit: MAX_WAREHOUSES,
    });
    const tree = new RegionTree(
      rows.map((row) => ({
        name: text(row, 'name'),
        parent: text(row, 'parent_warehouse') || null,
      })),
    );
    return rows
      .filter((row) => quantity(row, 'is_group') === 0 && quantity(row, 'disabled') === 0)
      .map((row) => {
        const label = text(row, 'warehouse_name') || text(row, 'name');
        const m = WAREHOUSE_CODE.exec(label);
        return {
          id: text(row, 'name'),
          code: (m?.[1] ?? label).toUpperCase(),
          name: m?.[2] || label,
          region: tree.regionOf(text(row, 'name')),
        };
      });
  }
}

function available(bin: FrappeDoc): number {
  return Math.max(0, quantity(bin, 'actual_qty') - quantity(bin, 'reserved_qty'));
}

function matchesAll(item: FrappeDoc, terms: string[]): boolean {
  const name = normalizeSearchText(text(item, 'item_name'));
  const sku = text(item, 'item_code').toUpperCase();
  return terms.every((term) => name.includes(term) || sku.includes(term.toUpperCase()));
}
