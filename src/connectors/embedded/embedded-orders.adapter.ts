import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { OrdersPort, type OrderRecord, type OrderStatus } from '../ports/orders.port.js';

const ORDER_STATUSES: ReadonlySet<string> = new Set<OrderStatus>([
  'pending',
  'confirmed',
  'picking',
  'shipped',
  'partially_shipped',
  'delivered',
  'cancelled',
]);

/** Sales orders from Gatehouse's own demo tables. */
@Injectable()
export class EmbeddedOrdersAdapter extends OrdersPort {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async getOrder(orderNumber: string): Promise<OrderRecord | null> {
    const order = await this.prisma.salesOrder.findUnique({
      where: { orderNumber },
      include: { lines: { orderBy: { lineNo: 'asc' } } },
    });
    if (!order) return null;
    return {
      orderNumber: order.orderNumber,
      status: toOrderStatus(order.status),
      placedAt: order.placedAt,
      updatedAt: order.updatedAt,
      region: order.region,
      customer: {
        name: order.customerName,
        email: order.customerEmail,
        phone: order.customerPhone,
      },
      lines: order.lines.map((line) => ({
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        shipped: line.shipped,
      })),
    };
  }
}

function toOrderStatus(value: string): OrderStatus {
  if (ORDER_STATUSES.has(value)) return value as OrderStatus;
  // The column is free text (SQLite has no enums); a value outside the set is a data bug.
  throw new Error(`unknown order status "${value}"`);
}
