import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/config/app-config.js';
import { createConnectorContext } from '../../src/connectors/connector-registry.js';
import { odooConnector } from '../../src/connectors/odoo/odoo.connector.js';
import {
  PermanentDeliveryError,
  type SinkDelivery,
} from '../../src/connectors/ports/sinks.port.js';
import { UpstreamError } from '../../src/connectors/ports/upstream.error.js';
import { TEST_SECRETS_ENV } from '../utils/template-db.js';
import { TestClock } from '../utils/test-clock.js';
import {
  FAKE_API_KEY,
  FAKE_DB,
  FAKE_LOGIN,
  startFakeOdoo,
  type FakeOdoo,
} from './odoo/fake-odoo.js';
import { failure } from './fakes/failure.js';

const NOW = Date.parse('2026-11-03T00:00:00Z');
const READ_RETRIES = 2;

function connect(fake: FakeOdoo, env: Record<string, string> = {}) {
  const config = loadConfig({
    ...TEST_SECRETS_ENV,
    CONNECTOR_INVENTORY: 'odoo',
    CONNECTOR_ORDERS: 'odoo',
    CONNECTOR_DELIVERIES: 'odoo',
    CONNECTOR_TICKETS: 'odoo',
    CONNECTOR_LEADS: 'odoo',
    ODOO_URL: fake.url,
    ODOO_DB: FAKE_DB,
    ODOO_USERNAME: FAKE_LOGIN,
    ODOO_API_KEY: FAKE_API_KEY,
    UPSTREAM_TIMEOUT_MS: '300',
    UPSTREAM_READ_RETRIES: String(READ_RETRIES),
    UPSTREAM_BREAKER_FAILURES: '100',
    UPSTREAM_BREAKER_HALF_OPEN_MS: '60000',
    ...env,
  });
  const context = createConnectorContext(config, new TestClock(NOW));
  return {
    inventory: odooConnector.inventory!(context),
    orders: odooConnector.orders!(context),
    deliveries: odooConnector.deliveries!(context),
    tickets: odooConnector.tickets!(context),
    leads: odooConnector.leads!(context),
  };
}

type Adapters = ReturnType<typeof connect>;

/** Everything an error could show: message, stack, cause chain, own properties. */
function everythingIn(error: unknown): string {
  return inspect(error, { depth: 10, showHidden: true });
}

const ticket = (messageId: string, overrides: Record<string, unknown> = {}): SinkDelivery => ({
  messageId,
  payload: {
    requestId: 'IR-7K2M9Q4X1B3C',
    type: 'stock_transfer',
    summary: 'Chuyển 20 bàn BAN-GO-SOI-120 từ HN-01 vào SG-01',
    description: 'Khách ở Thủ Đức cần hàng trước thứ Sáu <gấp>.',
    priority: 'high',
    requester: { name: 'Trần Thị Mai', email: 'mai.tran@giabao.vn', team: 'Sales South' },
    relatedOrderNumber: 'SO-2026-000123',
    relatedSku: 'BAN-GO-SOI-120',
    conversationId: 'conv-42',
    source: { clientId: 'cl_sales_bot' },
    createdAt: '2026-11-03T00:00:00.000Z',
    ...overrides,
  },
});

const lead = (messageId: string): SinkDelivery => ({
  messageId,
  payload: {
    leadId: 'LD-9XK2M4Q7P1ZR',
    name: 'Phạm Minh Tuấn',
    email: 'tuan.pham@acme.vn',
    phone: '+84903111222',
    company: 'ACME Việt Nam',
    interest: {
      skus: ['DESK-OAK-140', 'GHE-XOAY-01'],
      note: 'Fitting out a 30-person office in Q1.',
    },
    channel: 'web_chat',
    consent: true,
    conversationId: 'conv-77',
    region: 'south',
    source: { clientId: 'cl_web', clientName: 'Website assistant' },
    createdAt: '2026-11-03T00:00:00.000Z',
    assignedRepId: 'rep-3',
  },
});

describe('Odoo connector contract (JSON-RPC against a local Odoo)', () => {
  let fake: FakeOdoo;
  let odoo: Adapters;

  beforeAll(async () => {
    fake = await startFakeOdoo();
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    fake.reset();
    odoo = connect(fake);
  });

  describe('the JSON-RPC exchange', () => {
    it('logs in once with common.authenticate and sends db, uid and key on every execute_kw', async () => {
      await odoo.inventory.getStock('BAN-GO-SOI-120');
      await odoo.orders.getOrder('SO-2026-000123');
      const logins = fake.calls.filter((c) => c.service === 'common');
      expect(logins).toEqual([
        expect.objectContaining({ service: 'common', method: 'authenticate', outcome: 'result' }),
      ]);
      const objectCalls = fake.calls.filter((c) => c.service === 'object');
      expect(objectCalls.length).toBeGreaterThan(3);
      // The fake refuses any execute_kw without the right db, uid and key, so every one succeeding shows they were sent.
      expect(objectCalls.every((c) => c.method === 'execute_kw' && c.outcome === 'result')).toBe(
        true,
      );
      expect(fake.calls.every((c) => c.outcome === 'result')).toBe(true);
    });

    it('shares one login across every capability bound to Odoo', async () => {
      await Promise.all([
        odoo.inventory.warehouseExists('HN-01'),
        odoo.orders.getOrder('SO-2026-000124'),
        odoo.deliveries.forOrder('SO-2026-000123'),
      ]);
      expect(fake.calls.filter((c) => c.method === 'authenticate')).toHaveLength(1);
    });

    it('fails with an UpstreamError when Odoo refuses the login (result false), and does not loop', async () => {
      fake.acceptedKey = 'rotated-key';
      const error = await failure(odoo.inventory.getStock('BAN-GO-SOI-120'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).operation).toBe('common.authenticate');
      expect(fake.calls.map((c) => c.method)).toEqual(['authenticate']);
    });

    it('logs in again once when Odoo stops accepting the session, then succeeds', async () => {
      await odoo.inventory.warehouseExists('HN-01');
      fake.rejectSessionOnce = true;
      const report = await odoo.inventory.getStock('DESK-OAK-140');
      expect(report?.sku).toBe('DESK-OAK-140');
      expect(fake.calls.filter((c) => c.method === 'authenticate')).toHaveLength(2);
    });

    it('maps a JSON-RPC error envelope (HTTP 200) to an UpstreamError without retrying it', async () => {
      fake.faultNext = {
        model: 'sale.order',
        method: 'search_read',
        fault: {
          name: 'odoo.exceptions.AccessError',
          message: 'You are not allowed to access Sales Order',
        },
      };
      const error = await failure(odoo.orders.getOrder('SO-2026-000123'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).system).toBe('odoo');
      expect((error as UpstreamError).operation).toBe('sale.order.search_read');
      expect(fake.callsTo('sale.order')).toHaveLength(1);
    });
  });

  describe('InventoryPort', () => {
    it('searchProducts maps product.product and sums available stock per warehouse', async () => {
      const products = await odoo.inventory.searchProducts(['ban', 'soi'], 10);
      expect(products).toEqual([
        {
          sku: 'BAN-GO-SOI-120',
          name: 'Bàn gỗ sồi 120cm',
          unit: 'cái',
          productLine: 'furniture',
          listPrice: { amount: 3450000, currency: 'VND' },
          // HN-01: 50 on hand - 5 reserved; SG-01: 25 - 30 clamps to 0; transit and customer quants do not count.
          totalAvailable: 45,
        },
      ]);
      const [search] = fake.callsTo('product.product', 'search_read');
      expect(search?.domain).toEqual([
        ['default_code', '!=', false],
        '|',
        ['name', 'ilike', 'ban'],
        ['default_code', 'ilike', 'ban'],
        '|',
        ['name', 'ilike', 'soi'],
        ['default_code', 'ilike', 'soi'],
      ]);
      expect(search?.kwargs).toMatchObject({ limit: 10, order: 'default_code asc' });
    });

    it('searchProducts honours limit and ordering, skips products without SKU, and answers [] for no terms', async () => {
      const products = await odoo.inventory.searchProducts(['e'], 2);
      expect(products.map((p) => p.sku)).toEqual(['DEN-LED-12W', 'DESK-OAK-140']);
      expect(await odoo.inventory.searchProducts(['phi', 'van', 'chuyen'], 5)).toEqual([]);
      expect(await odoo.inventory.searchProducts(['vận chuyển'], 5)).toEqual([]);
      const before = fake.calls.length;
      expect(await odoo.inventory.searchProducts([], 5)).toEqual([]);
      expect(fake.calls.length).toBe(before);
    });

    it('getStock reports each warehouse from internal quants, ordered by code', async () => {
      const report = await odoo.inventory.getStock('BAN-GO-SOI-120');
      expect(report).toEqual({
        sku: 'BAN-GO-SOI-120',
        name: 'Bàn gỗ sồi 120cm',
        unit: 'cái',
        warehouses: [
          {
            warehouseCode: 'HN-01',
            warehouseName: 'Kho Long Biên',
            region: 'north',
            onHand: 50,
            reserved: 5,
            available: 45,
            updatedAt: new Date('2026-11-02T03:00:00Z'),
          },
          {
            warehouseCode: 'SG-01',
            warehouseName: 'Kho Thủ Đức',
            region: 'south',
            onHand: 25,
            reserved: 30,
            available: 0,
            updatedAt: new Date('2026-10-30T09:45:00Z'),
          },
        ],
        asOf: new Date('2026-11-02T03:00:00Z'),
      });
      const [quants] = fake.callsTo('stock.quant', 'search_read');
      expect(quants?.domain).toEqual([
        ['product_id', '=', 11],
        ['location_id.usage', '=', 'internal'],
        ['warehouse_id', '!=', false],
      ]);
    });

    it('getStock narrows to one warehouse, and reports zero for a warehouse without the product', async () => {
      const one = await odoo.inventory.getStock('BAN-GO-SOI-120', 'SG-01');
      expect(one?.warehouses.map((w) => w.warehouseCode)).toEqual(['SG-01']);
      const [narrowed] = fake.callsTo('stock.quant', 'search_read');
      expect(narrowed?.domain).toContainEqual(['warehouse_id.code', '=', 'SG-01']);

      const none = await odoo.inventory.getStock('BAN-GO-SOI-120', 'DN-01');
      expect(none?.warehouses).toEqual([
        {
          warehouseCode: 'DN-01',
          warehouseName: 'Kho Liên Chiểu',
          region: 'central',
          onHand: 0,
          reserved: 0,
          available: 0,
          updatedAt: new Date(NOW),
        },
      ]);
      expect(none?.asOf).toEqual(new Date(NOW));
      const unknownWarehouse = await odoo.inventory.getStock('BAN-GO-SOI-120', 'XX-99');
      expect(unknownWarehouse?.warehouses).toEqual([]);
    });

    it('getStock answers null for an unknown or archived SKU', async () => {
      expect(await odoo.inventory.getStock('NOPE-404')).toBeNull();
      expect(await odoo.inventory.getStock('GHE-DAU-OLD')).toBeNull();
      expect(fake.callsTo('stock.quant')).toHaveLength(0);
    });

    it('getStock keeps fractional quantities as numbers', async () => {
      const report = await odoo.inventory.getStock('GHE-XOAY-01');
      expect(report?.unit).toBe('bộ');
      expect(report?.warehouses[0]).toMatchObject({ onHand: 60.5, reserved: 0.5, available: 60 });
    });

    it('warehouseExists knows active warehouses only, and reads the directory once', async () => {
      expect(await odoo.inventory.warehouseExists('HN-01')).toBe(true);
      expect(await odoo.inventory.warehouseExists('HP-01')).toBe(false);
      expect(await odoo.inventory.warehouseExists('XX-01')).toBe(false);
      expect(fake.callsTo('stock.warehouse')).toHaveLength(1);
    });
  });

  describe('OrdersPort', () => {
    it('maps sale.order, its partner and product lines (no sections)', async () => {
      const order = await odoo.orders.getOrder('SO-2026-000123');
      expect(order).toEqual({
        orderNumber: 'SO-2026-000123',
        status: 'partially_shipped',
        placedAt: new Date('2026-10-28T03:12:45Z'),
        updatedAt: new Date('2026-11-02T04:00:00Z'),
        region: 'south',
        customer: { name: 'Trần Thị Lan', email: 'lan.tran@example.vn', phone: '+84901234567' },
        lines: [
          { sku: 'BAN-GO-SOI-120', name: 'Bàn gỗ sồi 120cm', quantity: 2, shipped: 2 },
          { sku: 'DEN-LED-12W', name: 'Đèn LED âm trần 12W', quantity: 4, shipped: 1 },
        ],
      });
      expect(fake.callsTo('sale.order', 'search_read')[0]?.domain).toEqual([
        ['name', '=', 'SO-2026-000123'],
      ]);
    });

    it('derives every order status from state, delivered quantities and ready delivery orders', async () => {
      const statuses = await Promise.all(
        ['000124', '000125', '000126', '000127', '000128'].map(async (n) => {
          const order = await odoo.orders.getOrder(`SO-2026-${n}`);
          return order?.status;
        }),
      );
      expect(statuses).toEqual(['pending', 'picking', 'confirmed', 'delivered', 'cancelled']);
    });

    it('falls back to the mobile number, the customer address and archived products', async () => {
      const minh = await odoo.orders.getOrder('SO-2026-000124');
      expect(minh?.customer).toEqual({
        name: 'Nguyễn Văn Minh',
        email: 'minh.nguyen@example.vn',
        phone: '+84912000111',
      });
      expect(minh?.region).toBe('north');
      const old = await odoo.orders.getOrder('SO-2026-000127');
      expect(old?.lines).toEqual([
        { sku: 'GHE-DAU-OLD', name: 'Ghế đẩu cũ', quantity: 3, shipped: 3 },
      ]);
      expect(old?.region).toBe('north');
      expect(old?.customer.email).toBe('');
    });

    it('answers null for an unknown order', async () => {
      expect(await odoo.orders.getOrder('SO-2026-999999')).toBeNull();
    });
  });

  describe('DeliveriesPort', () => {
    it('forOrder lists the outgoing delivery orders of the sale, not internal steps or cancelled ones', async () => {
      expect(await odoo.deliveries.forOrder('SO-2026-000123')).toEqual([
        {
          id: 'WH/OUT/00011',
          orderNumber: 'SO-2026-000123',
          status: 'delivered',
          carrier: 'GHN',
          trackingNumber: 'GHN5839201746',
          windowStart: new Date('2026-11-02T01:00:00Z'),
          windowEnd: new Date('2026-11-02T05:00:00Z'),
          region: 'south',
        },
        {
          id: 'WH/OUT/00014',
          orderNumber: 'SO-2026-000123',
          status: 'scheduled',
          carrier: 'unassigned',
          trackingNumber: null,
          windowStart: new Date('2026-11-04T06:00:00Z'),
          windowEnd: new Date('2026-11-04T10:00:00Z'),
          region: 'south',
        },
      ]);
      expect(await odoo.deliveries.forOrder('SO-2026-999999')).toEqual([]);
    });

    it('list pages by (windowStart, id) with a keyset, within [from, to)', async () => {
      const from = new Date('2026-11-01T00:00:00Z');
      const to = new Date('2026-11-05T00:00:00Z');
      const all = await odoo.deliveries.list({ from, to, limit: 10 });
      expect(all.map((d) => d.id)).toEqual([
        'WH/OUT/00011',
        'WH/OUT/00014',
        'WH/OUT/00015',
        'WH/OUT/00016',
      ]);
      const first = await odoo.deliveries.list({ from, to, limit: 2 });
      const last = first[first.length - 1];
      const second = await odoo.deliveries.list({
        from,
        to,
        limit: 2,
        after: { windowStart: last.windowStart, id: last.id },
      });
      expect([...first, ...second].map((d) => d.id)).toEqual(all.map((d) => d.id));
      const page = fake.callsTo('stock.picking', 'search_read').at(-1);
      expect(page?.domain).toEqual([
        ['picking_type_code', '=', 'outgoing'],
        ['state', '!=', 'cancel'],
        ['scheduled_date', '>=', '2026-11-01 00:00:00'],
        ['scheduled_date', '<', '2026-11-05 00:00:00'],
        '|',
        ['scheduled_date', '>', '2026-11-04 06:00:00'],
        '&',
        ['scheduled_date', '=', '2026-11-04 06:00:00'],
        ['name', '>', 'WH/OUT/00014'],
      ]);
      expect(page?.kwargs).toMatchObject({ limit: 2, order: 'scheduled_date asc, name asc' });
      const empty = await odoo.deliveries.list({
        from,
        to: new Date('2026-11-02T01:00:00Z'),
        limit: 5,
      });
      expect(empty).toEqual([]);
    });

    it('list filters by region through the province of the delivery address', async () => {
      const from = new Date('2026-10-01T00:00:00Z');
      const to = new Date('2026-11-30T00:00:00Z');
      const north = await odoo.deliveries.list({ from, to, region: 'north', limit: 10 });
      expect(north.map((d) => [d.id, d.region])).toEqual([
        ['WH/OUT/00009', 'north'],
        ['WH/OUT/00016', 'north'],
      ]);
      const central = await odoo.deliveries.list({ from, to, region: 'central', limit: 10 });
      expect(central.map((d) => d.id)).toEqual(['WH/OUT/00015']);
      expect(fake.callsTo('res.country.state')).toHaveLength(1);
    });
  });

  describe('TicketsPort and CrmLeadsPort (outbox sinks)', () => {
    it('creates a helpdesk.ticket with the request, and answers a readable reference', async () => {
      const receipt = await odoo.tickets.createTicket(ticket('msg_0193a1b2-0001'));
      const [created] = fake.records('helpdesk.ticket');
      expect(receipt).toEqual({ reference: `odoo:helpdesk.ticket:${created?.id}` });
      expect(created).toMatchObject({
        name: 'Chuyển 20 bàn BAN-GO-SOI-120 từ HN-01 vào SG-01',
        priority: '2',
        partner_email: 'mai.tran@giabao.vn',
        partner_name: 'Trần Thị Mai',
      });
      expect(created?.description).toContain('Khách ở Thủ Đức cần hàng trước thứ Sáu &lt;gấp&gt;.');
      expect(created?.description).toContain('Related order: SO-2026-000123');
      expect(created?.description).toContain('[gatehouse-message:msg_0193a1b2-0001]');
      expect(fake.callsTo('helpdesk.ticket', 'create')).toHaveLength(1);
    });

    it('creates a project.task when ODOO_TICKET_MODEL says so, private without a project', async () => {
      const tasks = connect(fake, { ODOO_TICKET_MODEL: 'project.task' });
      const receipt = await tasks.tickets.createTicket(
        ticket('msg_task-1', { priority: 'urgent' }),
      );
      expect(receipt.reference).toMatch(/^odoo:project\.task:\d+$/);
      expect(fake.records('project.task')[0]).toMatchObject({ priority: '1' });
      expect(fake.records('project.task')[0]).not.toHaveProperty('project_id');
      expect(fake.records('helpdesk.ticket')).toEqual([]);
    });

    it('files the task in ODOO_TICKET_PROJECT_ID', async () => {
      const tasks = connect(fake, {
        ODOO_TICKET_MODEL: 'project.task',
        ODOO_TICKET_PROJECT_ID: '5',
      });
      const receipt = await tasks.tickets.createTicket(ticket('msg_task-2'));
      const [created] = fake.records('project.task');
      expect(receipt).toEqual({ reference: `odoo:project.task:${created?.id}` });
      expect(created).toMatchObject({ project_id: 5, priority: '1' });
      expect(created).not.toHaveProperty('partner_email');
      // The idempotency search is not narrowed to the project: a task moved elsewhere still counts.
      const again = await tasks.tickets.createTicket(ticket('msg_task-2'));
      expect(again).toEqual(receipt);
      expect(fake.callsTo('project.task', 'search_read')[0]?.domain).toEqual([
        ['description', 'ilike', '[gatehouse-message:msg_task-2]'],
        ['active', 'in', [true, false]],
      ]);
      expect(fake.records('project.task')).toHaveLength(1);
    });

    it('dead-letters a task for a project Odoo does not have (MissingError or ValidationError)', async () => {
      const tasks = connect(fake, {
        ODOO_TICKET_MODEL: 'project.task',
        ODOO_TICKET_PROJECT_ID: '999',
      });
      const missing = await failure(tasks.tickets.createTicket(ticket('msg_task-3')));
      expect(missing).toBeInstanceOf(PermanentDeliveryError);
      expect((missing as Error).message).toBe('odoo refused project.task.create (rejected)');
      expect(everythingIn(missing)).not.toMatch(/999|does not exist/);
      expect(fake.callsTo('project.task', 'create').map((c) => c.outcome)).toEqual(['error']);

      // Odoo versions that insert first answer the foreign-key violation as a ValidationError.
      fake.faultNext = {
        model: 'project.task',
        method: 'create',
        fault: {
          name: 'odoo.exceptions.ValidationError',
          message:
            'The operation cannot be completed: - Create/update: a mandatory field is not set.',
        },
      };
      const valid = connect(fake, {
        ODOO_TICKET_MODEL: 'project.task',
        ODOO_TICKET_PROJECT_ID: '5',
      });
      expect(await failure(valid.tickets.createTicket(ticket('msg_task-4')))).toBeInstanceOf(
        PermanentDeliveryError,
      );
      expect(fake.records('project.task')).toEqual([]);
    });

    it('puts helpdesk tickets in ODOO_HELPDESK_TEAM_ID, and dead-letters an unknown team', async () => {
      const team = connect(fake, { ODOO_HELPDESK_TEAM_ID: '3' });
      await team.tickets.createTicket(ticket('msg_team-1'));
      expect(fake.records('helpdesk.ticket')[0]).toMatchObject({ team_id: 3, priority: '2' });
      await odoo.tickets.createTicket(ticket('msg_team-2'));
      // Without the setting Gatehouse sends no team and Odoo applies its default.
      expect(fake.records('helpdesk.ticket')[1]).not.toHaveProperty('team_id');

      const unknown = connect(fake, { ODOO_HELPDESK_TEAM_ID: '42' });
      const refused = await failure(unknown.tickets.createTicket(ticket('msg_team-3')));
      expect(refused).toBeInstanceOf(PermanentDeliveryError);
      expect(fake.records('helpdesk.ticket')).toHaveLength(2);
    });

    it('is idempotent on the message id: a redelivery returns the first record', async () => {
      const first = await odoo.tickets.createTicket(ticket('msg_0193a1b2-0002'));
      const again = await odoo.tickets.createTicket(ticket('msg_0193a1b2-0002'));
      const other = await odoo.tickets.createTicket(ticket('msg_0193a1b2-0003'));
      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
      expect(fake.records('helpdesk.ticket')).toHaveLength(2);
      expect(fake.callsTo('helpdesk.ticket', 'create')).toHaveLength(2);

      const lead1 = await odoo.leads.pushLead(lead('msg_lead-1'));
      // A fresh app (after a crash) finds the lead by its marker, too.
      const lead2 = await connect(fake).leads.pushLead(lead('msg_lead-1'));
      expect(lead2).toEqual(lead1);
      expect(fake.records('crm.lead')).toHaveLength(1);
    });

    it('does not mistake a record that ilike matches loosely for its own', async () => {
      await odoo.tickets.createTicket(ticket('msgX01'));
      // Odoo's ilike reads "_" as any character, so the search for msg_01 also finds msgX01's ticket.
      const distinct = await odoo.tickets.createTicket(ticket('msg_01'));
      expect(fake.callsTo('helpdesk.ticket', 'search_read').at(-1)?.outcome).toBe('result');
      expect(fake.records('helpdesk.ticket')).toHaveLength(2);
      expect(distinct.reference).toBe('odoo:helpdesk.ticket:2');
      // Nor one whose message id merely starts with this one.
      await odoo.tickets.createTicket(ticket('msg_0'));
      expect(fake.records('helpdesk.ticket')).toHaveLength(3);
    });

    it('pushes a crm.lead with contact, company and interest', async () => {
      const receipt = await odoo.leads.pushLead(lead('msg_lead-2'));
      const [created] = fake.records('crm.lead');
      expect(receipt).toEqual({ reference: `odoo:crm.lead:${created?.id}` });
      expect(created).toMatchObject({
        type: 'lead',
        name: 'ACME Việt Nam (Phạm Minh Tuấn)',
        contact_name: 'Phạm Minh Tuấn',
        partner_name: 'ACME Việt Nam',
        email_from: 'tuan.pham@acme.vn',
        phone: '+84903111222',
      });
      expect(created?.description).toContain('Products: DESK-OAK-140, GHE-XOAY-01');
      expect(created?.description).toContain('Region: south');
    });

    it('turns a validation refusal into a PermanentDeliveryError, and retries an access refusal', async () => {
      fake.faultNext = {
        model: 'crm.lead',
        method: 'create',
        fault: {
          name: 'odoo.exceptions.ValidationError',
          message: 'Invalid email for tuan.pham@acme.vn',
        },
      };
      const refused = await failure(odoo.leads.pushLead(lead('msg_lead-3')));
      expect(refused).toBeInstanceOf(PermanentDeliveryError);
      expect((refused as Error).message).not.toContain('tuan.pham');

      fake.faultNext = {
        model: 'helpdesk.ticket',
        method: 'search_read',
        fault: {
          name: 'odoo.exceptions.AccessError',
          message: 'not allowed to access Helpdesk Ticket',
        },
      };
      // The API user's rights are configuration: retried, so granting them delivers the message.
      const denied = await failure(odoo.tickets.createTicket(ticket('msg_t-9')));
      expect(denied).toBeInstanceOf(UpstreamError);
      expect(denied).not.toBeInstanceOf(PermanentDeliveryError);
      expect(fake.records('crm.lead')).toEqual([]);
      await odoo.tickets.createTicket(ticket('msg_t-9'));
      expect(fake.records('helpdesk.ticket')).toHaveLength(1);
    });

    it('leaves transient failures as UpstreamError for the outbox, and creates nothing while the search fails', async () => {
      await odoo.leads.pushLead(lead('msg_warm-up'));
      fake.calls.length = 0;
      fake.down = true;
      const error = await failure(odoo.leads.pushLead(lead('msg_lead-502')));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      // The idempotency search is a read and is retried; no create is sent without it.
      expect(fake.callsTo('crm.lead', 'search_read')).toHaveLength(1 + READ_RETRIES);
      expect(fake.callsTo('crm.lead', 'create')).toHaveLength(0);
    });

    it('sends a create exactly once when it times out, and the redelivery finds no duplicate', async () => {
      fake.breakNext = { model: 'crm.lead', method: 'create', answer: 'hang' };
      const error = await failure(odoo.leads.pushLead(lead('msg_lead-timeout')));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect(fake.callsTo('crm.lead', 'create')).toHaveLength(1);
      // The hung create never reached the database; the outbox's next attempt creates it once.
      await odoo.leads.pushLead(lead('msg_lead-timeout'));
      expect(fake.records('crm.lead')).toHaveLength(1);
    });
  });

  describe('timeouts, retries and the circuit breaker (UpstreamHttp)', () => {
    it('retries a read after HTTP 5xx and succeeds', async () => {
      await odoo.inventory.warehouseExists('HN-01');
      fake.calls.length = 0;
      fake.httpFailures.push(502, 503);
      // The order the third attempt read, mapped as on a first-time success.
      expect(await odoo.orders.getOrder('SO-2026-000124')).toMatchObject({
        orderNumber: 'SO-2026-000124',
        status: 'pending',
        region: 'north',
        customer: {
          name: 'Nguyễn Văn Minh',
          email: 'minh.nguyen@example.vn',
          phone: '+84912000111',
        },
      });
      expect(fake.callsTo('sale.order', 'search_read').map((c) => c.outcome)).toEqual([
        502,
        503,
        'result',
      ]);
    });

    it('gives up on a read after 1 + UPSTREAM_READ_RETRIES attempts with an UpstreamError', async () => {
      await odoo.inventory.warehouseExists('HN-01');
      fake.calls.length = 0;
      fake.down = true;
      const error = await failure(odoo.inventory.getStock('BAN-GO-SOI-120'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).upstreamStatus).toBe(500);
      expect(fake.calls).toHaveLength(1 + READ_RETRIES);
    });

    it('times out a read that never answers, retrying it', async () => {
      await odoo.inventory.warehouseExists('HN-01');
      fake.calls.length = 0;
      fake.hangNext = 1 + READ_RETRIES;
      const error = await failure(odoo.orders.getOrder('SO-2026-000123'));
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).upstreamStatus).toBeUndefined();
      expect(fake.calls.map((c) => c.outcome)).toEqual(['hung', 'hung', 'hung']);
    });

    it('never retries a create after HTTP 5xx', async () => {
      fake.breakNext = { model: 'helpdesk.ticket', method: 'create', answer: 500 };
      const error = await failure(odoo.tickets.createTicket(ticket('msg_t-5xx')));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect((error as UpstreamError).upstreamStatus).toBe(500);
      expect(fake.callsTo('helpdesk.ticket', 'create').map((c) => c.outcome)).toEqual([500]);
    });

    it('opens the circuit after UPSTREAM_BREAKER_FAILURES consecutive failures and fails fast', async () => {
      const small = connect(fake, { UPSTREAM_READ_RETRIES: '0', UPSTREAM_BREAKER_FAILURES: '3' });
      await small.inventory.warehouseExists('HN-01');
      fake.calls.length = 0;
      fake.down = true;
      for (const n of ['000123', '000124', '000125']) {
        expect(await failure(small.orders.getOrder(`SO-2026-${n}`))).toBeInstanceOf(UpstreamError);
      }
      expect(fake.calls).toHaveLength(3);
      fake.down = false;
      // Open: even a healthy Odoo is not asked, by any capability (one breaker per system).
      const fast = await failure(small.deliveries.forOrder('SO-2026-000123'));
      expect(fast).toBeInstanceOf(UpstreamError);
      expect(everythingIn(fast)).toContain('circuit open');
      expect(fake.calls).toHaveLength(3);
    });
  });

  describe('readiness', () => {
    it('ping makes one authenticated call on every adapter', async () => {
      const signal = AbortSignal.timeout(3_000);
      for (const adapter of Object.values(odoo)) {
        await (adapter as unknown as { ping(s: AbortSignal): Promise<void> }).ping(signal);
      }
      expect(fake.callsTo('res.users', 'search_count')).toHaveLength(5);
      expect(fake.callsTo('res.users')[0]?.domain).toEqual([['login', '=', FAKE_LOGIN]]);
    });

    it('ping fails when Odoo answers 500 or refuses the key', async () => {
      const ping = (odoo.inventory as unknown as { ping(s: AbortSignal): Promise<void> }).ping.bind(
        odoo.inventory,
      );
      fake.down = true;
      expect(await failure(ping(AbortSignal.timeout(3_000)))).toBeInstanceOf(UpstreamError);
      fake.down = false;
      fake.acceptedKey = 'revoked';
      expect(await failure(ping(AbortSignal.timeout(3_000)))).toBeInstanceOf(UpstreamError);
    });
  });

  it('never puts the API key, the URL or Odoo error text in an error', async () => {
    const errors: unknown[] = [];
    const host = new URL(fake.url).host;
    fake.faultNext = {
      model: 'sale.order',
      method: 'search_read',
      fault: { name: 'odoo.exceptions.AccessError', message: `Denied for key ${FAKE_API_KEY}` },
    };
    errors.push(await failure(odoo.orders.getOrder('SO-2026-000123')));
    fake.faultNext = {
      model: 'crm.lead',
      method: 'create',
      fault: { name: 'odoo.exceptions.ValidationError', message: `Bad lead at ${fake.url}` },
    };
    errors.push(await failure(odoo.leads.pushLead(lead('msg_leak-1'))));
    fake.down = true;
    errors.push(await failure(odoo.inventory.getStock('BAN-GO-SOI-120')));
    fake.down = false;
    fake.acceptedKey = 'other';
    errors.push(await failure(connect(fake).inventory.getStock('BAN-GO-SOI-120')));
    fake.acceptedKey = FAKE_API_KEY;
    fake.hangNext = 3;
    errors.push(await failure(odoo.inventory.getStock('BAN-GO-SOI-120')));
    expect(errors).toHaveLength(5);
    for (const error of errors) {
      const text = everythingIn(error);
      expect(text).not.toContain(FAKE_API_KEY);
      expect(text).not.toContain(host);
      expect(text).not.toContain('Denied for key');
      expect(text).not.toContain('Traceback');
    }
  });
});
