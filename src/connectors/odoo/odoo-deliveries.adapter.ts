import {
  DeliveriesPort,
  type DeliveryRange,
  type DeliveryRecord,
  type DeliveryStatus,
} from '../ports/deliveries.port.js';
import { partnerRegions, type OdooRegions } from './odoo-regions.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import {
  fromOdooDatetime,
  many2oneName,
  optionalText,
  text,
  toOdooDatetime,
  type OdooDomain,
  type OdooRow,
} from './odoo-values.js';

/** Odoo plans a delivery for one moment; Gatehouse's windows last four hours. */
export const DEFAULT_WINDOW_MS = 4 * 60 * 60 * 1000;
export const NO_CARRIER = 'unassigned';

/**
 * Customer delivery orders only: the last step (`outgoing`) of one- to
 * three-step delivery. Cancelled ones never left and are not deliveries.
 */
const OUTGOING: OdooDomain = [
  ['picking_type_code', '=', 'outgoing'],
  ['state', '!=', 'cancel'],
];

const FIELDS = [
  'name',
  'origin',
  'state',
  'scheduled_date',
  'date_deadline',
  'carrier_id',
  'carrier_tracking_ref',
  'partner_id',
];

/**
 * `name` is Odoo's reference (e.g. `WH/OUT/00042`), what warehouse staff see; it
 * is also the keyset tie-breaker, which PostgreSQL orders and compares with the
 * same collation.
 */
const ORDER = 'scheduled_date asc, name asc';

/** Deliveries are Odoo delivery orders (`stock.picking`), linked to the sale by `origin`. */
export class OdooDeliveriesAdapter extends DeliveriesPort {
  constructor(
    private readonly rpc: OdooRpcClient,
    private readonly regions: OdooRegions,
  ) {
    super();
  }

  async forOrder(orderNumber: string): Promise<DeliveryRecord[]> {
    const rows = await this.rpc.searchRead(
      'stock.picking',
      [['origin', '=', orderNumber], ...OUTGOING],
      { fields: FIELDS, order: ORDER },
    );
    return this.toRecords(rows);
  }

  async list(range: DeliveryRange): Promise<DeliveryRecord[]> {
    const domain: OdooDomain = [
      ...OUTGOING,
      ['scheduled_date', '>=', toOdooDatetime(range.from)],
      ['scheduled_date', '<', toOdooDatetime(range.to)],
    ];
    if (range.region !== undefined) {
      const states = await this.regions.stateIds(range.region);
      if (states.length === 0) return [];
      domain.push(['partner_id.state_id', 'in', states]);
    }
    if (range.after) {
      const at = toOdooDatetime(range.after.windowStart);
      domain.push(
        '|',
        ['scheduled_date', '>', at],
        '&',
        ['scheduled_date', '=', at],
        ['name', '>', range.after.id],
      );
    }
    const rows = await this.rpc.searchRead('stock.picking', domain, {
      fields: FIELDS,
      order: ORDER,
      limit: range.limit,
    });
    return this.toRecords(rows);
  }

  ping(signal: AbortSignal): Promise<void> {
    return this.rpc.ping(signal);
  }

  private async toRecords(rows: OdooRow[]): Promise<DeliveryRecord[]> {
    const regionOf = await partnerRegions(this.rpc, rows);
    return rows.flatMap((row) => {
      const windowStart = fromOdooDatetime(row.scheduled_date);
      if (!windowStart) return [];
      const deadline = fromOdooDatetime(row.date_deadline);
      return [
        {
          id: text(row.name),
          orderNumber: text(row.origin),
          status: statusOf(text(row.state)),
          carrier: optionalText(many2oneName(row.carrier_id)) ?? NO_CARRIER,
          trackingNumber: optionalText(row.carrier_tracking_ref),
          windowStart,
          windowEnd:
            deadline && deadline > windowStart
              ? deadline
              : new Date(windowStart.getTime() + DEFAULT_WINDOW_MS),
          region: regionOf(row),
        },
      ];
    });
  }
}

/** A validated (`done`) delivery order is, in Odoo's words, delivered. */
function statusOf(state: string): DeliveryStatus {
  return state === 'done' ? 'delivered' : 'scheduled';
}
