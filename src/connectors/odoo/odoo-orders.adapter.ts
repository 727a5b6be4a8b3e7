import {
  OrdersPort,
  type OrderLineRecord,
  type OrderRecord,
  type OrderStatus,
} from '../ports/orders.port.js';
import { regionOfState, UNKNOWN_REGION } from './odoo-regions.js';
import type { OdooRpcClient } from './odoo-rpc.client.js';
import {
  fromOdooDatetime,
  many2oneId,
  num,
  optionalText,
  text,
  type OdooRow,
} from './odoo-values.js';

/** Sales orders (`sale.order`, order number = `name`) and their lines from Odoo Sales. */
export class OdooOrdersAdapter extends OrdersPort {
  constructor(private readonly rpc: OdooRpcClient) {
    super();
  }

  async getOrder(orderNumber: string): Promise<OrderRecord | null> {
    const [order] = await this.rpc.searchRead('sale.order', [['name', '=', orderNumber]], {
      fields: ['name', 'state', 'date_order', 'write_date', 'partner_id', 'partner_shipping_id'],
      limit: 1,
    });
    if (!order) return null;
    const customerId = many2oneId(order.partner_id);
    const shippingId = many2oneId(order.partner_shipping_id) ?? customerId;
    const partnerIds = [...new Set([customerId, shippingId].filter((id) => id !== null))];
    const [partners, lines] = await Promise.all([
      partnerIds.length === 0
        ? Promise.resolve([])
        : this.rpc.searchRead('res.partner', [['id', 'in', partnerIds]], {
            fields: ['name', 'email', 'phone', 'mobile', 'state_id'],
          }),
      this.lines(num(order.id)),
    ]);
    const customer = partners.find((p) => num(p.id) === customerId);
    const shipping = partners.find((p) => num(p.id) === shippingId);
    const placedAt = fromOdooDatetime(order.date_order) ?? new Date(0);
    return {
      orderNumber: text(order.name),
      status: await this.statusOf(order, lines),
      placedAt,
      updatedAt: fromOdooDatetime(order.write_date) ?? placedAt,
      region: regionOfState(shipping?.state_id) ?? UNKNOWN_REGION,
      customer: {
        name: text(customer?.name),
        email: text(customer?.email),
        phone: optionalText(customer?.phone) ?? text(customer?.mobile),
      },
      lines,
    };
  }

  ping(signal: AbortSignal): Promise<void> {
    return this.rpc.ping(signal);
  }

  private async lines(orderId: number): Promise<OrderLineRecord[]> {
    // Section and note lines carry no product.
    const rows = await this.rpc.searchRead(
      'sale.order.line',
      [
        ['order_id', '=', orderId],
        ['display_type', '=', false],
        ['product_id', '!=', false],
      ],
      { fields: ['product_id', 'product_uom_qty', 'qty_delivered'], order: 'sequence asc, id asc' },
    );
    const productIds = [...new Set(rows.map((r) => many2oneId(r.product_id)))];
    // Archived products still name the lines of old orders.
    const products =
      productIds.length === 0
        ? []
        : await this.rpc.searchRead(
            'product.product',
            [
              ['id', 'in', productIds],
              ['active', 'in', [true, false]],
            ],
            { fields: ['default_code', 'name'] },
          );
    const byId = new Map(products.map((p) => [num(p.id), p]));
    return rows.map((row) => {
      const product = byId.get(many2oneId(row.product_id) ?? 0);
      return {
        sku: text(product?.default_code),
        name: text(product?.name),
        quantity: num(row.product_uom_qty),
        shipped: num(row.qty_delivered),
      };
    });
  }

  /**
   * Odoo's order state says whether the sale is confirmed; how far delivery
   * got is in the delivered quantities (set when a delivery order is
   * validated) and, before anything left, in whether a delivery order is
   * reserved and ready to pick.
   */
  private async statusOf(order: OdooRow, lines: OrderLineRecord[]): Promise<OrderStatus> {
    switch (text(order.state)) {
      case 'draft':
      case 'sent':
        return 'pending';
      case 'cancel':
        return 'cancelled';
      default:
        break;
    }
    const ordered = lines.reduce((sum, l) => sum + l.quantity, 0);
    const shipped = lines.reduce((sum, l) => sum + Math.min(l.shipped, l.quantity), 0);
    if (ordered > 0 && shipped >= ordered) return 'delivered';
    if (shipped > 0) return 'partially_shipped';
    const ready = await this.rpc.searchRead(
      'stock.picking',
      [
        ['origin', '=', text(order.name)],
        ['picking_type_code', '=', 'outgoing'],
        ['state', '=', 'assigned'],
      ],
      { fields: ['id'], limit: 1 },
    );
    return ready.length > 0 ? 'picking' : 'confirmed';
  }
}
