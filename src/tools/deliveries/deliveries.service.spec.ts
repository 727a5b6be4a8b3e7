import { beforeEach, describe, expect, it } from '@jest/globals';
import { Clock } from '../../common/clock.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import {
  DeliveriesPort,
  type DeliveryRange,
  type DeliveryRecord,
} from '../../connectors/ports/deliveries.port.js';
import { OrdersPort, type OrderRecord } from '../../connectors/ports/orders.port.js';
import { DeliveriesService } from './deliveries.service.js';
import type { ListDeliveriesQuery } from './dto/list-deliveries.dto.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-11-01T10:30:00Z');

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

class FakeOrders extends OrdersPort {
  constructor(private readonly orders: OrderRecord[]) {
    super();
  }

  getOrder(orderNumber: string): Promise<OrderRecord | null> {
    return Promise.resolve(this.orders.find((o) => o.orderNumber === orderNumber) ?? null);
  }
}

/** Implements the port contract over an array: window start in [from, to), keyset order. */
class FakeDeliveries extends DeliveriesPort {
  ranges: DeliveryRange[] = [];

  constructor(private readonly rows: DeliveryRecord[]) {
    super();
  }

  forOrder(orderNumber: string): Promise<DeliveryRecord[]> {
    return Promise.resolve(this.rows.filter((d) => d.orderNumber === orderNumber));
  }

  list(range: DeliveryRange): Promise<DeliveryRecord[]> {
    this.ranges.push(range);
    const key = (d: { windowStart: Date; id: string }): string =>
      `${d.windowStart.toISOString()}|${d.id}`;
    return Promise.resolve(
      this.rows
        .filter((d) => d.windowStart >= range.from && d.windowStart < range.to)
        .filter((d) => range.region === undefined || d.region === range.region)
        .filter((d) => !range.after || key(d) > key(range.after))
        .sort((a, b) => key(a).localeCompare(key(b)))
        .slice(0, range.limit),
    );
  }
}

const ORDER: OrderRecord = {
  orderNumber: 'SO-2026-000123',
  status: 'shipped',
  placedAt: new Date('2026-10-25T03:00:00Z'),
  updatedAt: new Date('2026-10-31T09:00:00Z'),
  region: 'south',
  customer: { name: 'Trần Thị Lan', email: 'lan.tran@example.vn', phone: '+84901234567' },
  lines: [],
};

// Three windows a day for ten days from 2026-11-01, several deliveries sharing each window.
const ROWS: DeliveryRecord[] = Array.from({ length: 60 }, (_, i) => {
  const windowStart = new Date(
    Date.UTC(2026, 10, 1) + Math.floor(i / 6) * DAY + ((i % 3) * 5 + 1) * HOUR,
  );
  return {
    id: `DLV-${String(1000 - i).padStart(6, '0')}`,
    orderNumber: i === 0 ? ORDER.orderNumber : `SO-2026-${String(500 + i).padStart(6, '0')}`,
    status: i % 4 === 0 ? 'scheduled' : 'in_transit',
    carrier: 'GHTK',
    trackingNumber: i % 4 === 0 ? null : `GHTK${i}`,
    windowStart,
    windowEnd: new Date(windowStart.getTime() + 4 * HOUR),
    region: i % 2 === 0 ? 'south' : 'north',
  };
});

function query(overrides: Partial<ListDeliveriesQuery> = {}): ListDeliveriesQuery {
  return { limit: 20, ...overrides };
}

async function errorOf(promise: Promise<unknown>): Promise<GatehouseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected a GatehouseError');
}

describe(DeliveriesService.name, () => {
  let port: FakeDeliveries;
  let service: DeliveriesService;

  beforeEach(() => {
    port = new FakeDeliveries(ROWS);
    service = new DeliveriesService(new FakeOrders([ORDER]), port, new FixedClock());
  });

  describe('schedule', () => {
    it("lists the order's deliveries in the documented shape", async () => {
      const schedule = await service.schedule('SO-2026-000123', {}, {});
      expect(schedule).toEqual({
        orderNumber: 'SO-2026-000123',
        deliveries: [
          {
            deliveryId: 'DLV-001000',
            status: 'scheduled',
            carrier: 'GHTK',
            trackingNumber: null,
            plannedWindow: { start: '2026-11-01T01:00:00.000Z', end: '2026-11-01T05:00:00.000Z' },
            region: 'south',
          },
        ],
      });
    });

    it('applies the same access rule as get_order_status', async () => {
      const verified = { orderLookup: 'verified' } as const;
      expect((await errorOf(service.schedule(ORDER.orderNumber, {}, verified))).code).toBe(
        'order_not_found',
      );
      expect(
        (await errorOf(service.schedule(ORDER.orderNumber, { customerPhone: '0909999999' }, {})))
          .code,
      ).toBe('order_not_found');
      await expect(
        service.schedule(ORDER.orderNumber, { customerPhone: '0901234567' }, verified),
      ).resolves.toMatchObject({ orderNumber: ORDER.orderNumber });
    });

    it('answers order_not_found for an unknown order', async () => {
      expect((await errorOf(service.schedule('SO-2026-999999', {}, {}))).code).toBe(
        'order_not_found',
      );
    });
  });

  describe('list', () => {
    it('defaults to today (UTC) plus seven days and asks for one extra row', async () => {
      await service.list(query());
      expect(port.ranges[0]).toEqual({
        from: new Date('2026-11-01T00:00:00Z'),
        to: new Date('2026-11-08T00:00:00Z'),
        limit: 21,
      });
    });

    it('defaults to to = from + 7 days', async () => {
      await service.list(query({ from: '2026-11-03T08:00:00+07:00' }));
      expect(port.ranges[0]?.from).toEqual(new Date('2026-11-03T01:00:00Z'));
      expect(port.ranges[0]?.to).toEqual(new Date('2026-11-10T01:00:00Z'));
    });

    it('walks every page of a range without duplicates or gaps', async () => {
      const base = { from: '2026-11-01', to: '2026-11-11', region: 'south' as const, limit: 7 };
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await service.list(query({ ...base, ...(cursor ? { cursor } : {}) }));
        seen.push(...page.items.map((item) => item.deliveryId));
        expect(page.items.length).toBeLessThanOrEqual(7);
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 20);
      const expected = ROWS.filter((d) => d.region === 'south')
        .sort(
          (a, b) => a.windowStart.getTime() - b.windowStart.getTime() || a.id.localeCompare(b.id),
        )
        .map((d) => d.id);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(Math.ceil(expected.length / 7));
    });

    it('continues a listing whose from/to were defaults when the follow-up leaves them out', async () => {
      const first = await service.list(query({ limit: 5 }));
      expect(first.nextCursor).not.toBeNull();
      const second = await service.list(query({ limit: 5, cursor: first.nextCursor ?? '' }));
      expect(second.items[0]?.deliveryId).not.toBe(first.items[0]?.deliveryId);
    });

    it('returns items with the order number and a null cursor on the last page', async () => {
      const page = await service.list(query({ from: '2026-11-10', to: '2026-11-11', limit: 100 }));
      expect(page.nextCursor).toBeNull();
      expect(page.items).toHaveLength(6);
      expect(Object.keys(page.items[0] ?? {}).sort()).toEqual([
        'carrier',
        'deliveryId',
        'orderNumber',
        'plannedWindow',
        'region',
        'status',
        'trackingNumber',
      ]);
    });

    it.each([
      ['to before from', { from: '2026-11-05', to: '2026-11-01' }, 'to'],
      ['to equal to from', { from: '2026-11-05', to: '2026-11-05' }, 'to'],
      ['a range over 31 days', { from: '2026-11-01', to: '2026-12-03' }, 'to'],
      ['an unparseable ISO week date', { from: '2026-W45-1' }, 'from'],
    ])('refuses %s with a field error', async (_name, overrides, field) => {
      const error = await errorOf(service.list(query(overrides)));
      expect(error.code).toBe('validation_failed');
      expect(error.options.errors?.map((e) => e.field)).toEqual([field]);
    });

    it('accepts a range of exactly 31 days', async () => {
      const page = await service.list(query({ from: '2026-11-01', to: '2026-12-02', limit: 100 }));
      expect(port.ranges[0]).toEqual({
        from: new Date('2026-11-01T00:00:00Z'),
        to: new Date('2026-12-02T00:00:00Z'),
        limit: 101,
      });
      // All 60 fixture deliveries (2026-11-01 to 2026-11-10) fall in the range.
      expect(page.items).toHaveLength(ROWS.length);
      expect(page.items[0]?.plannedWindow.start).toBe('2026-11-01T01:00:00.000Z');
      expect(page.items.at(-1)?.plannedWindow.start).toBe('2026-11-10T11:00:00.000Z');
      expect(page.nextCursor).toBeNull();
    });

    it('refuses a cursor used with different filters', async () => {
      const first = await service.list(query({ from: '2026-11-01', to: '2026-11-05', limit: 3 }));
      const cursor = first.nextCursor ?? '';
      for (const changed of [
        { from: '2026-11-02', to: '2026-11-05' },
        { from: '2026-11-01', to: '2026-11-06' },
        { from: '2026-11-01', to: '2026-11-05', region: 'north' as const },
      ]) {
        const error = await errorOf(service.list(query({ ...changed, limit: 3, cursor })));
        expect(error.options.errors?.[0]?.field).toBe('cursor');
      }
    });
  });
});
