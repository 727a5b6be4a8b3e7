import type { Clock } from '../../common/clock.js';
import { partnerRegions } from './odoo-regions.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import { num, text } from './odoo-values.js';

export interface OdooWarehouse {
  id: number;
  code: string;
  name: string;
  region: string;
}

/** Warehouses change a few times a year; stock questions come many times a minute. */
export const WAREHOUSE_DIRECTORY_TTL_MS = 60_000;

/**
 * The active `stock.warehouse` records with their region (from the province
 * of the warehouse's address), read at most once a minute and shared by every
 * inventory call.
 */
export class OdooWarehouses {
  private cached: { loadedAt: number; warehouses: Promise<OdooWarehouse[]> } | undefined;

  constructor(
    private readonly rpc: OdooRpcClient,
    private readonly clock: Clock,
  ) {}

  async all(): Promise<OdooWarehouse[]> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.loadedAt >= WAREHOUSE_DIRECTORY_TTL_MS) {
      const warehouses = this.load();
      this.cached = { loadedAt: now, warehouses };
      void warehouses.catch(() => {
        if (this.cached?.warehouses === warehouses) this.cached = undefined;
      });
    }
    return this.cached.warehouses;
  }

  async byId(id: number): Promise<OdooWarehouse | undefined> {
    return (await this.all()).find((w) => w.id === id);
  }

  async byCode(code: string): Promise<OdooWarehouse | undefined> {
    return (await this.all()).find((w) => w.code === code);
  }

  private async load(): Promise<OdooWarehouse[]> {
    const rows = await this.rpc.searchRead('stock.warehouse', [], {
      fields: ['code', 'name', 'partner_id'],
      order: 'code asc',
    });
    const regionOf = await partnerRegions(this.rpc, rows);
    return rows.map((row) => ({
      id: num(row.id),
      code: text(row.code),
      name: text(row.name),
      region: regionOf(row),
    }));
  }
}
