import { Injectable } from '@nestjs/common';
import type { Delivery, Prisma } from '../../generated/sqlite/client.js';
import { PrismaService } from '../../database/prisma.service.js';
import {
  DeliveriesPort,
  type DeliveryRange,
  type DeliveryRecord,
  type DeliveryStatus,
} from '../ports/deliveries.port.js';

const DELIVERY_STATUSES: ReadonlySet<string> = new Set<DeliveryStatus>([
  'scheduled',
  'in_transit',
  'delivered',
  'failed',
]);

/** Deliveries from Gatehouse's own demo tables. */
@Injectable()
export class EmbeddedDeliveriesAdapter extends DeliveriesPort {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async forOrder(orderNumber: string): Promise<DeliveryRecord[]> {
    const rows = await this.prisma.delivery.findMany({
      where: { orderNumber },
      orderBy: [{ windowStart: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRecord);
  }

  async list(range: DeliveryRange): Promise<DeliveryRecord[]> {
    const where: Prisma.DeliveryWhereInput[] = [{ windowStart: { gte: range.from, lt: range.to } }];
    if (range.region !== undefined) where.push({ region: range.region });
    if (range.after) {
      const { windowStart, id } = range.after;
      where.push({
        OR: [{ windowStart: { gt: windowStart } }, { windowStart, id: { gt: id } }],
      });
    }
    const rows = await this.prisma.delivery.findMany({
      where: { AND: where },
      orderBy: [{ windowStart: 'asc' }, { id: 'asc' }],
      take: range.limit,
    });
    return rows.map(toRecord);
  }
}

function toRecord(row: Delivery): DeliveryRecord {
  if (!DELIVERY_STATUSES.has(row.status)) {
    throw new Error(`unknown delivery status "${row.status}"`);
  }
  return {
    id: row.id,
    orderNumber: row.orderNumber,
    status: row.status as DeliveryStatus,
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    region: row.region,
  };
}
