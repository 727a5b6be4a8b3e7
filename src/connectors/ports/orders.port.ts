export type OrderStatus =
  'pending' | 'confirmed' | 'picking' | 'shipped' | 'partially_shipped' | 'delivered' | 'cancelled';

export interface OrderLineRecord {
  sku: string;
  name: string;
  quantity: number;
  shipped: number;
}

/** An order as the ERP holds it. Customer fields are raw: the service masks them. */
export interface OrderRecord {
  orderNumber: string;
  status: OrderStatus;
  placedAt: Date;
  updatedAt: Date;
  region: string;
  customer: { name: string; email: string; phone: string };
  lines: OrderLineRecord[];
}

export abstract class OrdersPort {
  abstract getOrder(orderNumber: string): Promise<OrderRecord | null>;
}
