import type { ClientPolicies } from '../../clients/client-policies.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import type { OrderRecord, OrdersPort } from '../../connectors/ports/orders.port.js';
import {
  hasProof,
  matchesCustomer,
  type CustomerContact,
  type CustomerProof,
} from '../../common/privacy/customer-match.js';

/**
 * The one answer for "no such order" and "not your order" (OWASP API1): the body is the same in
 * both cases, so a caller cannot learn that an order number exists without proving who it is.
 */
export function orderNotFound(orderNumber: string): GatehouseError {
  return new GatehouseError('order_not_found', {
    detail: `No order ${orderNumber} is visible to this client with the details given.`,
  });
}

/**
 * Returns the order when the caller may see it, else throws `order_not_found`.
 * Under `orderLookup: "verified"` the call must carry the customer's email or phone; under any
 * policy, a contact detail that is given must match the order's customer.
 */
export function authorizeOrderAccess<T extends { customer: CustomerContact }>(
  orderNumber: string,
  order: T | null,
  policies: Pick<ClientPolicies, 'orderLookup'>,
  proof: CustomerProof,
): T {
  if (!order) throw orderNotFound(orderNumber);
  if (policies.orderLookup === 'verified' && !hasProof(proof)) throw orderNotFound(orderNumber);
  if (!matchesCustomer(order.customer, proof)) throw orderNotFound(orderNumber);
  return order;
}

/** An order for a customer-facing tool: the number normalised, fetched, then the access rule. */
export async function findAuthorizedOrder(
  orders: OrdersPort,
  rawOrderNumber: string,
  policies: Pick<ClientPolicies, 'orderLookup'>,
  proof: CustomerProof,
): Promise<OrderRecord> {
  const orderNumber = rawOrderNumber.toUpperCase();
  return authorizeOrderAccess(orderNumber, await orders.getOrder(orderNumber), policies, proof);
}
