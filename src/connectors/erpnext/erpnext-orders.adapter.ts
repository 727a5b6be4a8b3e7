import { OrdersPort, type OrderRecord, type OrderStatus } from '../ports/orders.port.js';
import type { ErpNextRestClient, FrappeDoc } from './erpnext-rest.client.js';
import { territoryTree } from './erpnext-territories.js';
import type { FrappeTimeZone } from './erpnext-time.js';
import { childRows, optionalText, quantity, text, UNKNOWN_REGION } from './erpnext-values.js';

/** Sales orders from ERPNext `Sales Order` (the order number is the document name). */
export class ErpNextOrdersAdapter extends OrdersPort {
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

  async getOrder(orderNumber: string): Promise<OrderRecord | null> {
    // Child tables (the lines) come only with the single-document read.
    const order = await this.client.get('Sales Order', orderNumber);
    if (!order) return null;
    const placedAt = this.zone.parse(order.transaction_date);
    const updatedAt = this.zone.parse(order.modified) ?? placedAt;
    if (!placedAt || !updatedAt) throw new Error('ERPNext Sales Order has no transaction date');
    const territory = optionalText(order, 'territory');
    const lines = childRows(order, 'items').map((line) => ({
      sku: text(line, 'item_code'),
      name: text(line, 'item_name') || text(line, 'item_code'),
      quantity: quantity(line, 'qty'),
      shipped: quantity(line, 'delivered_qty'),
    }));
    return {
      orderNumber: text(order, 'name'),
      status: orderStatus(order, lines),
      placedAt,
      updatedAt,
      region:
        territory === null
          ? UNKNOWN_REGION
          : (await territoryTree(this.client)).regionOf(territory),
      customer: {
        name: text(order, 'customer_name') || text(order, 'customer'),
        email: text(order, 'contact_email'),
        phone: text(order, 'contact_mobile') || text(order, 'contact_phone'),
      },
      lines,
    };
  }
}

/**
 * ERPNext tracks shipping per line (`delivered_qty`) and billing per order; the
 * mapping is documented in docs/connectors/erpnext.md. A Delivery Note means
 * the goods left, so "delivered" needs the order completed or closed.
 */
export function orderStatus(
  order: FrappeDoc,
  lines: readonly { quantity: number; shipped: number }[],
): OrderStatus {
  const docstatus = quantity(order, 'docstatus');
  const status = text(order, 'status');
  if (docstatus === 0) return 'pending';
  if (docstatus === 2 || status === 'Cancelled') return 'cancelled';
  const ordered = lines.reduce((sum, l) => sum + l.quantity, 0);
  const shipped = lines.reduce((sum, l) => sum + Math.min(l.shipped, l.quantity), 0);
  if (status === 'Closed') return shipped > 0 ? 'delivered' : 'cancelled';
  if (ordered > 0 && shipped >= ordered) return status === 'Completed' ? 'delivered' : 'shipped';
  if (shipped > 0) return 'partially_shipped';
  if (status !== 'On Hold' && quantity(order, 'per_picked') > 0) return 'picking';
  return 'confirmed';
}
