import {
  DeliveriesPort,
  type DeliveryRange,
  type DeliveryRecord,
  type DeliveryStatus,
} from '../ports/deliveries.port.js';
import type { ErpNextRestClient, FrappeDoc, FrappeFilter } from './erpnext-rest.client.js';
import { territoryTree } from './erpnext-territories.js';
import { nextDay, type FrappeTimeZone } from './erpnext-time.js';
import type { RegionTree } from './erpnext-values.js';
import { childRows, optionalText, quantity, text } from './erpnext-values.js';

const MAX_PER_ORDER = 100;
/** Single-document reads in flight at once while listing (ERPNext is often a small server). */
const READ_CONCURRENCY = 4;
const FIELDS = [
  'name',
  'posting_date',
  'docstatus',
  'status',
  'transporter',
  'transporter_name',
  'lr_no',
  'territory',
] as const;

/**
 * Deliveries from ERPNext `Delivery Note`. A note carries a date, not a time
 * window: the planned window is its posting day in the site's time zone, from
 * local midnight to the next, so ranges map onto whole local days exactly.
 */
export class ErpNextDeliveriesAdapter extends DeliveriesPort {
  constructor(
    private readonly client: ErpNextRestClient,
    private readonly zone: FrappeTimeZone,
  ) {
    super();
  }

  /** Readiness (health/connectors.health.ts): one authenticated call to ERPNext. */
  ping(signal: AbortSignal): Promise<void> {
    return this.client.ping(signal);
  }

  async forOrder(orderNumber: string): Promise<DeliveryRecord[]> {
    const [notes, territories] = await Promise.all([
      this.client.list('Delivery Note', {
        fields: FIELDS,
        filters: [
          ['Delivery Note Item', 'against_sales_order', '=', orderNumber],
          ['is_return', '=', 0],
        ],
        orderBy: 'posting_date asc, name asc',
        limit: MAX_PER_ORDER,
      }),
      territoryTree(this.client),
    ]);
    // A note with several lines of the order may come back once per line.
    const unique = [...new Map(notes.map((n) => [text(n, 'name'), n])).values()];
    return sortRecords(unique.map((note) => toRecord(note, orderNumber, territories, this.zone)));
  }

  async list(range: DeliveryRange): Promise<DeliveryRecord[]> {
    if (range.limit <= 0) return [];
    const territories = await territoryTree(this.client);
    const filters: FrappeFilter[] = [
      ['posting_date', '>=', this.zone.ceilDay(range.from)],
      ['posting_date', '<', this.zone.ceilDay(range.to)],
      ['is_return', '=', 0],
    ];
    const orFilters: FrappeFilter[] = [];
    if (range.region !== undefined) {
      const names = territories.namesIn(range.region);
      if (names.length === 0) return [];
      filters.push(['territory', 'in', names]);
    }
    if (range.after) {
      // Keyset after (windowStart, id); windowStart is a posting day, so compare days.
      const day = this.zone.ceilDay(range.after.windowStart);
      filters.push(['posting_date', '>=', day]);
      orFilters.push(['posting_date', '>', day], ['name', '>', range.after.id]);
    }
    const notes = await this.client.list('Delivery Note', {
      fields: FIELDS,
      filters,
      ...(orFilters.length > 0 && { orFilters }),
      orderBy: 'posting_date asc, name asc',
      limit: range.limit,
    });
    // Which order a note delivers is on its lines, which only the single-document read returns.
    const orders = await mapLimited(notes, READ_CONCURRENCY, async (note) => {
      const full = await this.client.get('Delivery Note', text(note, 'name'));
      return full ? orderOf(full) : '';
    });
    return sortRecords(
      notes.map((note, i) => toRecord(note, orders[i] ?? '', territories, this.zone)),
    );
  }
}

function toRecord(
  note: FrappeDoc,
  orderNumber: string,
  territories: RegionTree,
  zone: FrappeTimeZone,
): DeliveryRecord {
  // A day is not always 24 hours long: the window ends at the next local midnight.
  const day = text(note, 'posting_date').trim().slice(0, 10);
  const start = zone.startOfDay(day);
  const end = start && zone.startOfDay(nextDay(day));
  if (!start || !end) throw new Error('ERPNext Delivery Note has no posting date');
  return {
    id: text(note, 'name'),
    orderNumber,
    status: deliveryStatus(note),
    carrier: text(note, 'transporter_name') || text(note, 'transporter'),
    trackingNumber: optionalText(note, 'lr_no'),
    windowStart: start,
    windowEnd: end,
    region: territories.regionOf(optionalText(note, 'territory')),
  };
}

/** Draft: planned; submitted: the goods left; completed or closed: done; cancelled or returned: failed. */
export function deliveryStatus(note: FrappeDoc): DeliveryStatus {
  const docstatus = quantity(note, 'docstatus');
  const status = text(note, 'status');
  if (docstatus === 0) return 'scheduled';
  if (docstatus === 2 || status === 'Cancelled' || status === 'Return Issued') return 'failed';
  if (status === 'Completed' || status === 'Closed') return 'delivered';
  return 'in_transit';
}

function orderOf(note: FrappeDoc): string {
  for (const line of childRows(note, 'items')) {
    const order = optionalText(line, 'against_sales_order');
    if (order !== null) return order;
  }
  return '';
}

/** ERPNext sorts names with its database collation; the port promises (windowStart, id) in code-point order. */
function sortRecords(records: DeliveryRecord[]): DeliveryRecord[] {
  return records.sort(
    (a, b) =>
      a.windowStart.getTime() - b.windowStart.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

async function mapLimited<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
