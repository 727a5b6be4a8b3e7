import type { ClientPolicies } from '../clients/client-policies.js';

/**
 * Whether a client bound to one customer's orders (`orderLookup: "verified"`,
 * OWASP API1) is kept away from a tool that answers with many customers'
 * orders (SPEC §5.3): such a tool cannot ask for proof of who the customer is.
 */
export function refusedByCustomerBinding(
  tool: { allCustomers?: boolean | undefined },
  policies: Pick<ClientPolicies, 'orderLookup'>,
): boolean {
  return tool.allCustomers === true && policies.orderLookup === 'verified';
}
