import { describe, expect, it } from '@jest/globals';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import {
  DeliveriesPort,
  type DeliveryRange,
  type DeliveryRecord,
} from '../../connectors/ports/deliveries.port.js';
import { OrdersPort, type OrderRecord } from '../../connectors/ports/orders.port.js';
import { OrdersService } from './orders.service.js';

class FakeOrders extends OrdersPort {
  constructor(private readonly orders: OrderRecord[]) {
    super();
  }

  getOrder(orderNumber: string): Promise<OrderRecord | null> {
    return Promise.resolve(this.orders.find((o) => o.orderNumber === orderNumber) ?? null);
  }
}

class FakeDeliveries extends DeliveriesPort {
  calls = 0;

  constructor(private readonly rows: DeliveryRecord[]) {
    super();
  }

  forOrder(orderNumber: string): Promise<DeliveryRecord[]> {
    this.calls++;
    return Promise.resolve(this.rows.filter((d) => d.orderNumber === orderNumber));
  }

  list(_range: DeliveryRange): Promise<DeliveryRecord[]> {
    return Promise.resolve([]);
  }
}

const ORDER: OrderRecord = {
  orderNumber: 'SO-2026-000123',
  status: 'shipped',
  placedAt: new Date('2026-10-25T03:00:00Z'),
  updatedAt: new Date('2026-10-31T09:00:00Z'),
  region: 'south',
  customer: { name: 'Trần Thị Lan', email: 'lan.tran@example.vn', phone: '+84901234567' },
  lines: [{ sku: 'BAN-GO-SOI-120', name: 'Bàn gỗ sồi 120cm', quantity: 2, shipped: 2 }],
};

function delivery(id: string, status: DeliveryRecord['status'], start: string): DeliveryRecord {
  const windowStart = new Date(start);
  return {
    id,
    orderNumber: ORDER.orderNumber,
    status,
    carrier: 'GHN',
    trackingNumber: status === 'scheduled' ? null : `GHN${id}`,
    windowStart,
    windowEnd: new Date(windowStart.getTime() + 4 * 3600_000),
    region: 'south',
  };
}

function setup(rows: DeliveryRecord[] = []): {
  service: OrdersService;
  deliveries: FakeDeliveries;
} {
  const deliveries = new FakeDeliveries(rows);
  return { service: new OrdersService(new FakeOrders([ORDER]), deliveries), deliveries };
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

describe(OrdersService.name, () => {
  it('returns the status with masked customer fields and no extra fields', async () => {
    const { service } = setup();
    const status = await service.status('so-2026-000123', {}, {});
    expect(status).toEqual({
      orderNumber: 'SO-2026-000123',
      status: 'shipped',
      placedAt: '2026-10-25T03:00:00.000Z',
      lastUpdatedAt: '2026-10-31T09:00:00.000Z',
      customer: { name: 'T*** T** L**', email: 'l***@e***.vn', phone: '+84*******567' },
      lines: [
        { sku: 'BAN-GO-SOI-120', name: 'Bàn gỗ sồi 120cm', quantityOrdered: 2, quantityShipped: 2 },
      ],
      shipmentSummary: {
        deliveries: 0,
        delivered: 0,
        inTransit: 0,
        scheduled: 0,
        failed: 0,
        nextWindowStart: null,
      },
    });
    expect(JSON.stringify(status)).not.toContain('region');
  });

  it('summarises deliveries, the next window being the earliest still open', async () => {
    const { service } = setup([
      delivery('1', 'failed', '2026-10-27T01:00:00Z'),
      delivery('2', 'delivered', '2026-10-28T01:00:00Z'),
      delivery('4', 'scheduled', '2026-11-05T06:00:00Z'),
      delivery('3', 'in_transit', '2026-11-02T01:00:00Z'),
    ]);
    const { shipmentSummary } = await service.status(ORDER.orderNumber, {}, {});
    expect(shipmentSummary).toEqual({
      deliveries: 4,
      delivered: 1,
      inTransit: 1,
      scheduled: 1,
      failed: 1,
      nextWindowStart: '2026-11-02T01:00:00.000Z',
    });
  });

  it('under the verified policy, answers with the right email or phone', async () => {
    const { service } = setup();
    const verified = { orderLookup: 'verified' } as const;
    await expect(
      service.status(ORDER.orderNumber, { customerEmail: 'lan.tran@example.vn' }, verified),
    ).resolves.toMatchObject({ orderNumber: ORDER.orderNumber });
    await expect(
      service.status(ORDER.orderNumber, { customerPhone: '0901234567' }, verified),
    ).resolves.toMatchObject({ orderNumber: ORDER.orderNumber });
  });

  it('under the verified policy, hides an order asked for without proof, reading nothing else', async () => {
    const { service, deliveries } = setup();
    const refused = await errorOf(
      service.status(ORDER.orderNumber, {}, { orderLookup: 'verified' }),
    );
    const missing = await errorOf(service.status('SO-2026-999999', {}, {}));
    expect(refused.code).toBe('order_not_found');
    expect(missing.code).toBe('order_not_found');
    expect(refused.options.detail?.replace(ORDER.orderNumber, 'N')).toBe(
      missing.options.detail?.replace('SO-2026-999999', 'N'),
    );
    expect(deliveries.calls).toBe(0);
  });

  it('hides the order when a given email does not match, even under the open policy', async () => {
    const { service } = setup();
    const error = await errorOf(
      service.status(ORDER.orderNumber, { customerEmail: 'someone@example.vn' }, {}),
    );
    expect(error.code).toBe('order_not_found');
  });
});
