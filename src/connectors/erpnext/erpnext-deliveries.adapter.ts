import {
  DeliveriesPort,
  type DeliveryRange,
  type DeliveryRecord,
  type DeliveryStatus,
} from '../ports/deliveries.port.js';
import type { ErpNextRestClient, FrappeDoc, FrappeFilter } from './erpnext-rest.client.js';
import { territoryTree } from './erpnext-territories.js';
import type { RegionTree } from './erpnext-values.js';
import {
  childRows,
  frappeDate,
  frappeDay,
  optionalText,
  quantity,
  text,
} from './erpnext-values.js';

const DAY_MS = 24 * 60 * 60 * 1000;
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
 * window: the planned window is its posting day (UTC), so the window start is
 * the posting date at midnight and ranges map onto whole days exactly.
 */
export class ErpNextDeliveriesAdapter extends DeliveriesPort {
  constructor(private readonly client: ErpNextRestClient) {
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
    return sortRecords(unique.map((note) => toRecord(note, orderNumber, territories)));
  }

  async list(range: DeliveryRange): Promise<DeliveryRecord[]> {
    if (range.limit <= 0) return [];
    const territories = await territoryTree(this.client);
    const filters: FrappeFilter[] = [
      ['posting_date', '>=', frappeDay(ceilToDay(range.from))],
      ['posting_date', '<', frappeDay(ceilToDay(range.to))],
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
      const day = frappeDay(ceilToDay(range.after.windowStart));
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
    return sortRecords(notes.map((note, i) => toRecord(note, orders[i] ?? '', territories)));
  }
}

function toRecord(note: FrappeDoc, orderNumber: string, territories: RegionTree): DeliveryRecord {
  const day = frappeDate(note.posting_date);
  if (!day) throw new Error('ERPNext Delivery Note has no posting date');
  return {
    id: text(note, 'name'),
    orderNumber,
    status: deliveryStatus(note),
    carrier: text(note, 'transporter_name') || text(note, 'transporter'),
    trackingNumber: optionalText(note, 'lr_no'),
    windowStart: day,
    windowEnd: new Date(day.getTime() + DAY_MS),
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

function ceilToDay(date: Date): Date {
  const day = Math.floor(date.getTime() / DAY_MS) * DAY_MS;
  return new Date(day === date.getTime() ? day : day + DAY_MS);
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
