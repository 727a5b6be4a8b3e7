import { Injectable } from '@nestjs/common';
import type { ClientPolicies } from '../../clients/client-policies.js';
import type { CustomerProof } from '../../common/privacy/customer-match.js';
import { maskEmail, maskName, maskPhone } from '../../common/privacy/mask.js';
import { DeliveriesPort, type DeliveryRecord } from '../../connectors/ports/deliveries.port.js';
import { OrdersPort } from '../../connectors/ports/orders.port.js';
import type { OrderStatusDto, ShipmentSummaryDto } from './dto/order-status.dto.js';
import { findAuthorizedOrder } from './order-access.policy.js';
import type { RequestContext } from '../../common/http/request-context.js';
import { forRequest } from '../../connectors/instrument-port.js';

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersPort,
    private readonly deliveries: DeliveriesPort,
  ) {}

  async status(
    rawOrderNumber: string,
    proof: CustomerProof,
    policies: ClientPolicies,
    request?: RequestContext,
  ): Promise<OrderStatusDto> {
    const orders = forRequest(this.orders, request);
    const order = await findAuthorizedOrder(orders, rawOrderNumber, policies, proof);
    const deliveries = await forRequest(this.deliveries, request).forOrder(order.orderNumber);
    return {
      orderNumber: order.orderNumber,
      status: order.status,
      placedAt: order.placedAt.toISOString(),
      lastUpdatedAt: order.updatedAt.toISOString(),
      customer: {
        name: maskName(order.customer.name),
        email: maskEmail(order.customer.email),
        phone: maskPhone(order.customer.phone),
      },
      lines: order.lines.map((line) => ({
        sku: line.sku,
        name: line.name,
        quantityOrdered: line.quantity,
        quantityShipped: line.shipped,
      })),
      shipmentSummary: summarize(deliveries),
    };
  }
}

function summarize(deliveries: DeliveryRecord[]): ShipmentSummaryDto {
  const count = (status: DeliveryRecord['status']): number =>
    deliveries.filter((d) => d.status === status).length;
  const open = deliveries
    .filter((d) => d.status === 'scheduled' || d.status === 'in_transit')
    .map((d) => d.windowStart.getTime());
  return {
    deliveries: deliveries.length,
    delivered: count('delivered'),
    inTransit: count('in_transit'),
    scheduled: count('scheduled'),
    failed: count('failed'),
    nextWindowStart: open.length > 0 ? new Date(Math.min(...open)).toISOString() : null,
  };
}
