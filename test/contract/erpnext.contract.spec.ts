import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/app-config.js';
import {
  createConnectorContext,
  type ConnectorContext,
} from '../../src/connectors/connector-registry.js';
import { erpnextConnector } from '../../src/connectors/erpnext/erpnext.connector.js';
import type { DeliveriesPort } from '../../src/connectors/ports/deliveries.port.js';
import type { InventoryPort } from '../../src/connectors/ports/inventory.port.js';
import type { OrdersPort } from '../../src/connectors/ports/orders.port.js';
import {
  PermanentDeliveryError,
  type CrmLeadsPort,
  type TicketsPort,
} from '../../src/connectors/ports/sinks.port.js';
import { UpstreamError } from '../../src/connectors/ports/upstream.error.js';
import { TestClock } from '../utils/test-clock.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';
import { erpnextDataSet } from './erpnext/erpnext-data.js';
import { FakeErpNext } from './erpnext/fake-erpnext.js';
import { failure } from './fakes/failure.js';

const API_KEY = 'a1b2c3d4e5f6a7b';
const API_SECRET = 'S3cr3t-erpnext-api-secret-7f9c';
const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);

interface Probe {
  ping(signal: AbortSignal): Promise<void>;
}

interface Adapters {
  inventory: InventoryPort & Probe;
  orders: OrdersPort & Probe;
  deliveries: DeliveriesPort & Probe;
  tickets: TicketsPort & Probe;
  leads: CrmLeadsPort & Probe;
}

function context(url: string, upstream: Record<string, string> = {}, now = NOW): ConnectorContext {
  const config = loadConfig({
    ...TEST_SECRETS_ENV,
    DATABASE_URL: 'file:./unused.db',
    CONNECTOR_INVENTORY: 'erpnext',
    CONNECTOR_ORDERS: 'erpnext',
    CONNECTOR_DELIVERIES: 'erpnext',
    CONNECTOR_TICKETS: 'erpnext',
    CONNECTOR_LEADS: 'erpnext',
    ERPNEXT_URL: url,
    ERPNEXT_API_KEY: API_KEY,
    ERPNEXT_API_SECRET: API_SECRET,
    UPSTREAM_TIMEOUT_MS: '300',
    UPSTREAM_READ_RETRIES: '2',
    UPSTREAM_BREAKER_FAILURES: '50',
    UPSTREAM_BREAKER_HALF_OPEN_MS: '60000',
    ...upstream,
  });
  return createConnectorContext(config, new TestClock(now));
}

/**
 * The same zone-less site data read in two site time zones: each instant is
 * written out, not computed, so a wrong offset in either direction shows.
 */
const SITES = [
  {
    zone: 'UTC',
    order: { placedAt: '2026-02-20T00:00:00.000Z', updatedAt: '2026-02-25T14:05:09.123Z' },
    windows: {
      'MAT-DN-2026-00001': ['2026-02-22T00:00:00.000Z', '2026-02-23T00:00:00.000Z'],
      'MAT-DN-2026-00002': ['2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z'],
      'MAT-DN-2026-00003': ['2026-01-08T00:00:00.000Z', '2026-01-09T00:00:00.000Z'],
      'MAT-DN-2026-00004': ['2026-02-22T00:00:00.000Z', '2026-02-23T00:00:00.000Z'],
    } as Record<string, [string, string]>,
    /** Posting days sent for [2026-01-01T00:00Z, 2026-04-01T00:00Z). */
    quarterDays: ['2026-01-01', '2026-04-01'],
    /** [2026-02-21T18:00Z, 2026-03-02T18:00Z) in the south. */
    southRange: { days: ['2026-02-22', '2026-03-03'], ids: ['MAT-DN-2026-00001'] },
    stock: { 'HCM-01': '2026-03-01T08:15:00.000Z', 'HN-01': '2026-03-01T09:30:00.500Z' },
    /** BAN-GO-SOI-140 at 2025-12-31T18:00Z: the 2025 price is valid until the end of 31 December. */
    newYearsEvePrice: 2690000,
  },
  {
    zone: 'Asia/Ho_Chi_Minh',
    order: { placedAt: '2026-02-19T17:00:00.000Z', updatedAt: '2026-02-25T07:05:09.123Z' },
    windows: {
      'MAT-DN-2026-00001': ['2026-02-21T17:00:00.000Z', '2026-02-22T17:00:00.000Z'],
      'MAT-DN-2026-00002': ['2026-03-02T17:00:00.000Z', '2026-03-03T17:00:00.000Z'],
      'MAT-DN-2026-00003': ['2026-01-07T17:00:00.000Z', '2026-01-08T17:00:00.000Z'],
      'MAT-DN-2026-00004': ['2026-02-21T17:00:00.000Z', '2026-02-22T17:00:00.000Z'],
    } as Record<string, [string, string]>,
    // 00:00Z on 1 January is 07:00 local: that day began before the range.
    quarterDays: ['2026-01-02', '2026-04-02'],
    southRange: { days: ['2026-02-23', '2026-03-04'], ids: ['MAT-DN-2026-00002'] },
    stock: { 'HCM-01': '2026-03-01T01:15:00.000Z', 'HN-01': '2026-03-01T02:30:00.500Z' },
    newYearsEvePrice: 2890000,
  },
];

function adapters(c: ConnectorContext): Adapters {
  const make = <K extends keyof Adapters>(k: K): Adapters[K] => {
    const factory = erpnextConnector[k];
    if (!factory) throw new Error(`erpnext cannot serve ${k}`);
    return factory(c) as unknown as Adapters[K];
  };
  return {
    inventory: make('inventory'),
    orders: make('orders'),
    deliveries: make('deliveries'),
    tickets: make('tickets'),
    leads: make('leads'),
  };
}

const ticketPayload = {
  requestId: 'IR-0001',
  type: 'stock_transfer',
  summary: 'Chuyển 5 bàn gỗ sồi từ HCM-01 ra HN-01',
  description: 'Khách ở Hà Nội cần gấp <trước thứ Sáu> & có hoá đơn.',
  priority: 'urgent',
  requester: { name: 'Mai Trần', email: 'mai.tran@example.vn', team: 'Kho Hà Nội' },
  relatedOrderNumber: 'SO-2026-000001',
  relatedSku: 'BAN-GO-SOI-120',
  conversationId: 'conv-42',
  source: { clientId: 'cl_1' },
  createdAt: '2026-03-02T12:00:00.000Z',
};

const leadPayload = {
  leadId: 'LD-ABC',
  name: 'Phạm Quốc Huy',
  email: 'huy.pham@example.vn',
  phone: '+84912345678',
  company: 'Công ty Nội thất Huy',
  interest: { skus: ['BAN-GO-SOI-120', 'DESK-OAK-140'], note: '20 bàn cho văn phòng mới' },
  channel: 'zalo',
  consent: false,
  conversationId: 'conv-77',
  region: 'south',
  source: { clientId: 'cl_1', clientName: 'web bot' },
  createdAt: '2026-03-02T12:00:00.000Z',
  assignedRepId: 'REP-3',
};

/** Every error a caller could log or show, flattened: message, name and causes. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let i = 0; current instanceof Error && i < 5; i++) {
    parts.push(current.name, current.message, String(current.stack?.split('\n')[0]));
    current = current.cause;
  }
  return parts.join(' | ');
}

describe('ERPNext connector (contract against a local Frappe-shaped server)', () => {
  let fake: FakeErpNext;
  let a: Adapters;

  beforeAll(async () => {
    fake = await new FakeErpNext(API_KEY, API_SECRET, erpnextDataSet()).start();
  });
  afterAll(async () => fake.stop());
  beforeEach(() => {
    fake.reset();
    a = adapters(context(fake.url));
  });

  describe('requests', () => {
    it('sends the token header and JSON fields/filters to /api/resource/<DocType>', async () => {
      await a.inventory.getStock('BAN-GO-SOI-120');
      expect(fake.requests.length).toBeGreaterThan(0);
      for (const r of fake.requests) expect(r.authorization).toBe(`token ${API_KEY}:${API_SECRET}`);
      const [itemQuery] = fake.callsTo('GET', '/api/resource/Item');
      expect(JSON.parse(itemQuery?.query.get('fields') ?? '')).toEqual([
        'item_code',
        'item_name',
        'stock_uom',
      ]);
      expect(JSON.parse(itemQuery?.query.get('filters') ?? '')).toEqual([
        ['item_code', '=', 'BAN-GO-SOI-120'],
      ]);
      const [binQuery] = fake.callsTo('GET', '/api/resource/Bin');
      expect(JSON.parse(binQuery?.query.get('filters') ?? '')).toEqual([
        ['item_code', '=', 'BAN-GO-SOI-120'],
      ]);
    });

    it('URL-encodes document names with spaces and slashes', async () => {
      fake.docs['Sales Order']?.push({
        ...fake.docs['Sales Order']?.[1],
        name: 'SO/2026 001',
      });
      const order = await a.orders.getOrder('SO/2026 001');
      expect(order?.orderNumber).toBe('SO/2026 001');
      const raw = fake.callsTo('GET', '/api/resource/Sales Order/');
      expect(raw.map((r) => r.path)).toEqual(['/api/resource/Sales Order/SO/2026 001']);
    });
  });

  describe('InventoryPort', () => {
    it('maps Bins to per-warehouse stock with codes, names and regions from the warehouse tree', async () => {
      const report = await a.inventory.getStock('BAN-GO-SOI-120');
      expect(report).toEqual({
        sku: 'BAN-GO-SOI-120',
        name: 'Bàn gỗ sồi 120cm',
        unit: 'cái',
        warehouses: [
          {
            warehouseCode: 'HCM-01',
            warehouseName: 'Kho Thủ Đức',
            region: 'south',
            onHand: 40,
            reserved: 5,
            available: 35,
            updatedAt: new Date('2026-03-01T08:15:00.000Z'),
          },
          {
            // Reserved beyond what is on hand: nothing available, never negative.
            warehouseCode: 'HN-01',
            warehouseName: 'Kho Long Biên',
            region: 'north',
            onHand: 12,
            reserved: 14,
            available: 0,
            updatedAt: new Date('2026-03-01T09:30:00.500Z'),
          },
        ],
        asOf: new Date('2026-03-01T09:30:00.500Z'),
      });
    });

    it('narrows to one warehouse, and answers zeros for a warehouse that never held the SKU', async () => {
      const one = await a.inventory.getStock('BAN-GO-SOI-120', 'HN-01');
      expect(one?.warehouses.map((w) => [w.warehouseCode, w.onHand])).toEqual([['HN-01', 12]]);
      const [binQuery] = fake.callsTo('GET', '/api/resource/Bin');
      expect(JSON.parse(binQuery?.query.get('filters') ?? '')).toContainEqual([
        'warehouse',
        '=',
        'HN-01 Kho Long Biên - GH',
      ]);
      const none = await a.inventory.getStock('BAN-GO-SOI-120', 'DN-01');
      expect(none?.warehouses).toEqual([
        {
          warehouseCode: 'DN-01',
          warehouseName: 'Kho Liên Chiểu',
          region: 'unknown',
          onHand: 0,
          reserved: 0,
          available: 0,
          updatedAt: new Date(NOW),
        },
      ]);
      expect(none?.asOf).toEqual(new Date(NOW));
    });

    it('answers null for an unknown SKU and an empty list for an unknown warehouse', async () => {
      expect(await a.inventory.getStock('NO-SUCH-SKU')).toBeNull();
      const report = await a.inventory.getStock('BAN-GO-SOI-120', 'XX-99');
      expect(report?.warehouses).toEqual([]);
    });

    it('knows which warehouses exist (leaf, enabled)', async () => {
      expect(await a.inventory.warehouseExists('HCM-01')).toBe(true);
      expect(await a.inventory.warehouseExists('hn-01')).toBe(true);
      expect(await a.inventory.warehouseExists('HP-01')).toBe(false);
      expect(await a.inventory.warehouseExists('XX-99')).toBe(false);
    });

    it('searches accent-insensitively, by name and SKU, with list price and availability', async () => {
      const results = await a.inventory.searchProducts(['ban', 'go', 'soi'], 10);
      expect(results).toEqual([
        {
          sku: 'BAN-GO-SOI-120',
          name: 'Bàn gỗ sồi 120cm',
          unit: 'cái',
          productLine: 'furniture',
          listPrice: { amount: 2490000, currency: 'VND' },
          totalAvailable: 35 + 0 + 3,
        },
        {
          sku: 'BAN-GO-SOI-140',
          name: 'Bàn gỗ sồi 140cm',
          unit: 'cái',
          productLine: 'furniture',
          // The 2025 price has expired; the 2026 one applies on the clock's date.
          listPrice: { amount: 2890000, currency: 'VND' },
          totalAvailable: 7.5,
        },
      ]);
      expect(await a.inventory.searchProducts(['den', 'led'], 10)).toEqual([
        expect.objectContaining({
          sku: 'DEN-LED-12W',
          name: 'Đèn LED âm trần 12W',
          totalAvailable: 280,
        }),
      ]);
      expect(
        (await a.inventory.searchProducts(['desk', 'oak', '140'], 10)).map((p) => p.sku),
      ).toEqual(['DESK-OAK-140']);
    });

    it('falls back to the price list currency for an item without a price, skips disabled items, honours limit', async () => {
      const [desk] = await a.inventory.searchProducts(['oak'], 10);
      expect(desk?.listPrice).toEqual({ amount: 0, currency: 'VND' });
      expect(await a.inventory.searchProducts(['ghe', 'cu'], 10)).toEqual([]);
      expect(await a.inventory.searchProducts(['ban'], 1)).toHaveLength(1);
      expect(await a.inventory.searchProducts([], 10)).toEqual([]);
    });
  });

  describe('OrdersPort', () => {
    it('maps docstatus and delivery progress to the port statuses', async () => {
      const completed = await a.orders.getOrder('SO-2026-000002');
      expect(completed).toMatchObject({ status: 'delivered', region: 'north' });
      expect(completed?.customer.phone).toBe('+84241234567');
      const draft = await a.orders.getOrder('SO-2026-000003');
      expect(draft).toMatchObject({ status: 'pending', region: 'unknown' });
      expect(draft?.customer).toEqual({ name: 'Lê Minh', email: '', phone: '' });
    });

    it('answers null when ERPNext says DoesNotExistError (404)', async () => {
      expect(await a.orders.getOrder('SO-2026-999999')).toBeNull();
      expect(fake.callsTo('GET', '/api/resource/Sales Order/')).toHaveLength(1);
    });
  });

  describe('DeliveriesPort', () => {
    it('maps cancelled notes to failed and completed notes to delivered', async () => {
      const deliveries = await a.deliveries.forOrder('SO-2026-000002');
      expect(deliveries.map((d) => [d.id, d.status, d.region])).toEqual([
        ['MAT-DN-2026-00003', 'delivered', 'north'],
        ['MAT-DN-2026-00004', 'failed', 'central'],
      ]);
    });
  });

  describe.each(SITES)('dates of a site in $zone', (site) => {
    let z: Adapters;
    const windowOf = (name: string): { windowStart: Date; windowEnd: Date } => {
      const [start = '', end = ''] = site.windows[name] ?? [];
      return { windowStart: new Date(start), windowEnd: new Date(end) };
    };
    const lastFilters = (key: 'filters' | 'or_filters'): unknown[][] => {
      const query = fake.requests.filter((r) => r.path === '/api/resource/Delivery Note').at(-1);
      return JSON.parse(query?.query.get(key) ?? '[]') as unknown[][];
    };
    const postingDays = (): unknown[][] =>
      lastFilters('filters').filter((f) => f[0] === 'posting_date');

    beforeEach(() => {
      z = adapters(context(fake.url, { ERPNEXT_TIME_ZONE: site.zone }));
    });

    it('maps a Sales Order with its lines, customer contact and region', async () => {
      expect(await z.orders.getOrder('SO-2026-000001')).toEqual({
        orderNumber: 'SO-2026-000001',
        status: 'partially_shipped',
        placedAt: new Date(site.order.placedAt),
        updatedAt: new Date(site.order.updatedAt),
        region: 'south',
        customer: { name: 'Nguyễn Văn An', email: 'an.nguyen@example.vn', phone: '+84901234567' },
        lines: [
          { sku: 'BAN-GO-SOI-120', name: 'Bàn gỗ sồi 120cm', quantity: 2, shipped: 2 },
          { sku: 'DEN-LED-12W', name: 'Đèn LED âm trần 12W', quantity: 10, shipped: 0 },
        ],
      });
    });

    it('lists the Delivery Notes of an order by their lines, without returns, each window its local posting day', async () => {
      const deliveries = await z.deliveries.forOrder('SO-2026-000001');
      expect(deliveries).toEqual([
        {
          id: 'MAT-DN-2026-00001',
          orderNumber: 'SO-2026-000001',
          status: 'in_transit',
          carrier: 'Giao Hàng Nhanh',
          trackingNumber: 'GHN1234567890',
          ...windowOf('MAT-DN-2026-00001'),
          region: 'south',
        },
        {
          id: 'MAT-DN-2026-00002',
          orderNumber: 'SO-2026-000001',
          status: 'scheduled',
          carrier: '',
          trackingNumber: null,
          ...windowOf('MAT-DN-2026-00002'),
          region: 'south',
        },
      ]);
      const [query] = fake.callsTo('GET', '/api/resource/Delivery Note');
      expect(JSON.parse(query?.query.get('filters') ?? '')).toContainEqual([
        'Delivery Note Item',
        'against_sales_order',
        '=',
        'SO-2026-000001',
      ]);
      expect(await z.deliveries.forOrder('SO-2026-000003')).toEqual([]);
    });

    it('lists a date range with keyset pagination and reads each note for its order', async () => {
      const range = {
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-04-01T00:00:00Z'),
      };
      const first = await z.deliveries.list({ ...range, limit: 2 });
      expect(postingDays()).toEqual([
        ['posting_date', '>=', site.quarterDays[0]],
        ['posting_date', '<', site.quarterDays[1]],
      ]);
      expect(first.map((d) => [d.id, d.orderNumber, d.windowStart])).toEqual([
        ['MAT-DN-2026-00003', 'SO-2026-000002', windowOf('MAT-DN-2026-00003').windowStart],
        ['MAT-DN-2026-00001', 'SO-2026-000001', windowOf('MAT-DN-2026-00001').windowStart],
      ]);
      const last = first[1];
      if (!last) throw new Error('no page');
      const second = await z.deliveries.list({
        ...range,
        limit: 10,
        after: { windowStart: last.windowStart, id: last.id },
      });
      // The cursor's window start is local midnight of 22 February, whatever instant that is.
      expect(postingDays()).toContainEqual(['posting_date', '>=', '2026-02-22']);
      expect(lastFilters('or_filters')).toEqual([
        ['posting_date', '>', '2026-02-22'],
        ['name', '>', 'MAT-DN-2026-00001'],
      ]);
      expect(second.map((d) => [d.id, d.windowStart, d.windowEnd])).toEqual(
        ['MAT-DN-2026-00004', 'MAT-DN-2026-00002'].map((id) => {
          const w = windowOf(id);
          return [id, w.windowStart, w.windowEnd];
        }),
      );
      const all = await z.deliveries.list({ ...range, limit: 100 });
      expect(all.map((d) => d.id)).toEqual([...first, ...second].map((d) => d.id));
    });

    it('takes [from, to) on window starts: exactly one local day, and nothing a millisecond later', async () => {
      const { windowStart, windowEnd } = windowOf('MAT-DN-2026-00001');
      const day = await z.deliveries.list({ from: windowStart, to: windowEnd, limit: 10 });
      expect(postingDays()).toEqual([
        ['posting_date', '>=', '2026-02-22'],
        ['posting_date', '<', '2026-02-23'],
      ]);
      expect(day.map((d) => [d.id, d.windowStart, d.windowEnd])).toEqual([
        ['MAT-DN-2026-00001', windowStart, windowEnd],
        ['MAT-DN-2026-00004', windowStart, windowEnd],
      ]);
      const later = await z.deliveries.list({
        from: new Date(windowStart.getTime() + 1),
        to: new Date(windowEnd.getTime() + 1),
        limit: 10,
      });
      expect(postingDays()).toEqual([
        ['posting_date', '>=', '2026-02-23'],
        ['posting_date', '<', '2026-02-24'],
      ]);
      expect(later).toEqual([]);
    });

    it('turns a UTC range into the local days it starts, with the region filter', async () => {
      // 18:00Z is 01:00 the next day in Ho Chi Minh City: the same instants cover other days.
      const south = await z.deliveries.list({
        from: new Date('2026-02-21T18:00:00Z'),
        to: new Date('2026-03-02T18:00:00Z'),
        region: 'south',
        limit: 10,
      });
      expect(postingDays()).toEqual([
        ['posting_date', '>=', site.southRange.days[0]],
        ['posting_date', '<', site.southRange.days[1]],
      ]);
      expect(south.map((d) => [d.id, d.windowStart])).toEqual(
        site.southRange.ids.map((id) => [id, windowOf(id).windowStart]),
      );
      const territories = lastFilters('filters').find((f) => f[0] === 'territory');
      expect(territories?.[2]).toEqual(
        expect.arrayContaining(['Miền Nam', 'Hồ Chí Minh', 'Bạc Liêu']),
      );
      expect(territories?.[2]).not.toContain('Việt Nam');
      expect(territories?.[2]).not.toContain('Hà Nội');
    });

    it('reads Bin.modified as local time for updatedAt and asOf', async () => {
      const report = await z.inventory.getStock('BAN-GO-SOI-120');
      expect(report?.warehouses.map((w) => [w.warehouseCode, w.updatedAt])).toEqual([
        ['HCM-01', new Date(site.stock['HCM-01'])],
        ['HN-01', new Date(site.stock['HN-01'])],
      ]);
      expect(report?.asOf).toEqual(new Date(site.stock['HN-01']));
    });

    it("checks a list price's validity against the site's calendar day", async () => {
      // 18:00Z on 31 December is already 1 January 2026 in Ho Chi Minh City.
      const newYearsEve = adapters(
        context(fake.url, { ERPNEXT_TIME_ZONE: site.zone }, Date.parse('2025-12-31T18:00:00Z')),
      );
      const [product] = await newYearsEve.inventory.searchProducts(['ban', 'soi', '140'], 10);
      expect(product?.listPrice).toEqual({ amount: site.newYearsEvePrice, currency: 'VND' });
    });
  });

  describe('sinks', () => {
    it('creates an Issue from an internal request and answers its name', async () => {
      const receipt = await a.tickets.createTicket({ messageId: 'msg-t1', payload: ticketPayload });
      expect(receipt.reference).toMatch(/^ISS-2026-\d{5}$/);
      const [post] = fake.callsTo('POST', '/api/resource/Issue');
      const doc = post?.body as Record<string, string>;
      expect(doc.subject).toBe('[stock_transfer] Chuyển 5 bàn gỗ sồi từ HCM-01 ra HN-01');
      expect(doc.priority).toBe('High');
      expect(doc.raised_by).toBe('mai.tran@example.vn');
      expect(doc.description).toContain('&lt;trước thứ Sáu&gt; &amp; có hoá đơn');
      expect(doc.description).toContain('Related order: SO-2026-000001');
      expect(doc.description).toContain('gatehouse-message-id: msg-t1');
    });

    it('creates one Issue per message id, however often it is delivered', async () => {
      const first = await a.tickets.createTicket({ messageId: 'msg-t2', payload: ticketPayload });
      const again = await a.tickets.createTicket({ messageId: 'msg-t2', payload: ticketPayload });
      // A longer id that merely starts the same way is a different message.
      const other = await a.tickets.createTicket({ messageId: 'msg-t2x', payload: ticketPayload });
      expect(again).toEqual(first);
      expect(other.reference).not.toBe(first.reference);
      expect(fake.callsTo('POST', '/api/resource/Issue')).toHaveLength(2);
    });

    it('creates a Lead with a CRM Note, once per message id', async () => {
      const first = await a.leads.pushLead({ messageId: 'msg-l1', payload: leadPayload });
      expect(first.reference).toMatch(/^CRM-LEAD-2026-\d{5}$/);
      const again = await a.leads.pushLead({ messageId: 'msg-l1', payload: leadPayload });
      expect(again).toEqual(first);
      const posts = fake.callsTo('POST', '/api/resource/Lead');
      expect(posts).toHaveLength(1);
      const doc = posts[0]?.body as Record<string, unknown>;
      expect(doc).toMatchObject({
        first_name: 'Phạm Quốc Huy',
        email_id: 'huy.pham@example.vn',
        mobile_no: '+84912345678',
        company_name: 'Công ty Nội thất Huy',
        unsubscribed: 1,
      });
      const note = (doc.notes as { note: string }[])[0]?.note ?? '';
      expect(note).toContain('Interested in: BAN-GO-SOI-120, DESK-OAK-140');
      expect(note).toContain('Channel: zalo');
      expect(note).toContain('gatehouse-message-id: msg-l1');
      const [lookup] = fake.callsTo('GET', '/api/resource/Lead');
      expect(JSON.parse(lookup?.query.get('filters') ?? '')).toEqual([
        ['CRM Note', 'note', 'like', '%gatehouse-message-id: msg-l1%'],
      ]);
    });

    it('turns a ValidationError (417) into PermanentDeliveryError without upstream text', async () => {
      const error = await failure(
        a.tickets.createTicket({
          messageId: 'msg-t3',
          payload: { ...ticketPayload, requester: { email: 'invalid@example.vn' } },
        }),
      );
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toBe('ERPNext refused the Issue (ValidationError)');
      expect(errorText(error)).not.toMatch(/not a valid Email|invalid@example/);
      const duplicate = await failure(
        a.leads.pushLead({ messageId: 'msg-l2', payload: { ...leadPayload, leadId: 'LD-2' } }),
      );
      expect(duplicate).toBeInstanceOf(PermanentDeliveryError);
    });

    it('retries 401, 403 PermissionError and 404 through the outbox: they are about the configuration', async () => {
      fake.forbidden.add('Issue');
      try {
        const forbidden = await failure(
          a.tickets.createTicket({ messageId: 'msg-t4', payload: ticketPayload }),
        );
        expect(forbidden).toBeInstanceOf(UpstreamError);
        expect(forbidden).not.toBeInstanceOf(PermanentDeliveryError);
        expect((forbidden as UpstreamError).upstreamStatus).toBe(403);
      } finally {
        fake.forbidden.delete('Issue');
      }
      // Once the permission is granted, the redelivery creates the Issue.
      await expect(
        a.tickets.createTicket({ messageId: 'msg-t4', payload: ticketPayload }),
      ).resolves.toEqual({ reference: expect.any(String) });

      const wrongKey = adapters(context(fake.url, { ERPNEXT_API_SECRET: 'wrong' }));
      const unauthorized = await failure(
        wrongKey.tickets.createTicket({ messageId: 'msg-t5', payload: ticketPayload }),
      );
      expect(unauthorized).toBeInstanceOf(UpstreamError);
      expect(unauthorized).not.toBeInstanceOf(PermanentDeliveryError);
      expect((unauthorized as UpstreamError).upstreamStatus).toBe(401);

      const wrongUrl = adapters(context(`${fake.url}/not-erpnext`));
      const missing = await failure(
        wrongUrl.tickets.createTicket({ messageId: 'msg-t5', payload: ticketPayload }),
      );
      expect(missing).not.toBeInstanceOf(PermanentDeliveryError);
      expect((missing as UpstreamError).upstreamStatus).toBe(404);
    });

    it('never retries a create itself, and a redelivery after a lost answer finds the first Issue', async () => {
      fake.loseInsertAnswers = 1;
      const lost = await failure(
        a.tickets.createTicket({ messageId: 'msg-t6', payload: ticketPayload }),
      );
      expect(lost).toBeInstanceOf(UpstreamError);
      expect(lost).not.toBeInstanceOf(PermanentDeliveryError);
      expect(fake.callsTo('POST', '/api/resource/Issue')).toHaveLength(1);

      const redelivered = await a.tickets.createTicket({
        messageId: 'msg-t6',
        payload: ticketPayload,
      });
      const created = fake.docs.Issue?.filter((d) => String(d.description).includes('msg-t6'));
      expect(created?.map((d) => d.name)).toEqual([redelivered.reference]);
      expect(fake.callsTo('POST', '/api/resource/Issue')).toHaveLength(1);
    });

    it('does not retry a create that failed with 5xx or a timeout', async () => {
      fake.fail({ status: 503 }, 1, (r) => r.method === 'POST');
      const error = await failure(
        a.leads.pushLead({
          messageId: 'msg-l3',
          payload: { ...leadPayload, email: 'x@example.vn' },
        }),
      );
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      fake.fail('hang', 1, (r) => r.method === 'POST');
      const timedOut = await failure(
        a.tickets.createTicket({ messageId: 'msg-t8', payload: ticketPayload }),
      );
      expect(timedOut).toBeInstanceOf(UpstreamError);
      expect(fake.callsTo('POST', '/api/resource/')).toHaveLength(2);
    });
  });

  describe('resilience', () => {
    it('retries reads on 5xx and succeeds (counting what the server received)', async () => {
      fake.fail({ status: 500 }, 2, (r) => r.path === '/api/resource/Sales Order/SO-2026-000002');
      const order = await a.orders.getOrder('SO-2026-000002');
      expect(order?.orderNumber).toBe('SO-2026-000002');
      expect(fake.callsTo('GET', '/api/resource/Sales Order/SO-2026-000002')).toHaveLength(3);
    });

    it('a 404 that is not Frappe saying DoesNotExistError is an UpstreamError, never "no such order"', async () => {
      const path = '/api/resource/Sales Order/SO-2026-000002';
      fake.fail({ status: 404, body: '<html>nginx 404</html>' }, 1, (r) => r.path === path);
      const proxy = await failure(a.orders.getOrder('SO-2026-000002'));
      expect(proxy).toBeInstanceOf(UpstreamError);
      expect((proxy as UpstreamError).upstreamStatus).toBe(404);
      const page = { exc_type: 'PageDoesNotExistError', exception: 'Not found' };
      fake.fail({ status: 404, body: page }, 1, (r) => r.path === path);
      await expect(failure(a.orders.getOrder('SO-2026-000002'))).resolves.toBeInstanceOf(
        UpstreamError,
      );
      // Frappe's own answer for a missing document still means "not found".
      expect(await a.orders.getOrder('SO-2026-999999')).toBeNull();
    });

    it('gives up after the configured read retries with an UpstreamError', async () => {
      fake.fail({ status: 503 });
      const error = await failure(a.orders.getOrder('SO-2026-000002'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).system).toBe('erpnext');
      expect(fake.callsTo('GET', '/api/resource/Sales Order/')).toHaveLength(1 + 2);
    });

    it('times out a hanging read on every attempt', async () => {
      fake.fail('hang');
      const error = await failure(a.inventory.warehouseExists('HCM-01'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).upstreamStatus).toBeUndefined();
      expect(fake.callsTo('GET', '/api/resource/Warehouse')).toHaveLength(3);
    });

    it('does not retry a 403 on a read, and reports it as an UpstreamError', async () => {
      fake.forbidden.add('Bin');
      try {
        const error = await failure(a.inventory.getStock('BAN-GO-SOI-120'));
        expect(error).toBeInstanceOf(UpstreamError);
        expect((error as UpstreamError).upstreamStatus).toBe(403);
        expect(fake.callsTo('GET', '/api/resource/Bin')).toHaveLength(1);
      } finally {
        fake.forbidden.delete('Bin');
      }
    });

    it('answers 401 on reads as UpstreamError, unretried', async () => {
      const wrongKey = adapters(context(fake.url, { ERPNEXT_API_KEY: 'nope' }));
      const error = await failure(wrongKey.orders.getOrder('SO-2026-000001'));
      expect((error as UpstreamError).upstreamStatus).toBe(401);
      expect(fake.requests).toHaveLength(1);
    });

    it('opens the circuit after consecutive failures, shared by every capability', async () => {
      const small = adapters(
        context(fake.url, { UPSTREAM_READ_RETRIES: '0', UPSTREAM_BREAKER_FAILURES: '3' }),
      );
      fake.fail({ status: 500 });
      for (let i = 0; i < 3; i++) await failure(small.orders.getOrder('SO-2026-000001'));
      expect(fake.requests).toHaveLength(3);
      fake.heal();
      const open = await failure(small.inventory.warehouseExists('HCM-01'));
      expect(open).toBeInstanceOf(UpstreamError);
      expect(errorText(open)).toContain('circuit open');
      await expect(small.deliveries.ping(AbortSignal.timeout(1000))).rejects.toBeInstanceOf(
        UpstreamError,
      );
      expect(fake.requests).toHaveLength(3);
    });

    it('pings with an authenticated call', async () => {
      await a.inventory.ping(AbortSignal.timeout(1000));
      await a.leads.ping(AbortSignal.timeout(1000));
      expect(fake.requests.map((r) => [r.path, r.authorization])).toEqual([
        ['/api/method/frappe.auth.get_logged_user', `token ${API_KEY}:${API_SECRET}`],
        ['/api/method/frappe.auth.get_logged_user', `token ${API_KEY}:${API_SECRET}`],
      ]);
      const wrong = adapters(context(fake.url, { ERPNEXT_API_SECRET: 'wrong' }));
      await expect(wrong.orders.ping(AbortSignal.timeout(1000))).rejects.toBeInstanceOf(
        UpstreamError,
      );
    });

    it('never puts the secret, the key or the URL in an error', async () => {
      const errors: unknown[] = [];
      fake.fail({ status: 500 }, 3);
      errors.push(await failure(a.orders.getOrder('SO-2026-000001')));
      fake.heal();
      fake.fail('hang', 3);
      errors.push(await failure(a.inventory.getStock('BAN-GO-SOI-120')));
      fake.heal();
      fake.fail(
        {
          status: 417,
          body: {
            exc_type: 'ValidationError',
            exception: `token ${API_KEY}:${API_SECRET} at ${fake.url}`,
          },
        },
        1,
      );
      errors.push(
        await failure(a.tickets.createTicket({ messageId: 'msg-t7', payload: ticketPayload })),
      );
      fake.heal();
      const unreachable = adapters(context('http://127.0.0.1:9', { UPSTREAM_READ_RETRIES: '0' }));
      errors.push(await failure(unreachable.orders.getOrder('SO-2026-000001')));
      for (const error of errors) {
        const text = errorText(error);
        expect(text).not.toContain(API_SECRET);
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(fake.url);
        expect(text).not.toContain('127.0.0.1');
      }
    });
  });
});
