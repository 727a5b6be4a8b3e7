/** Every scope Gatehouse knows, in one map (SPEC §3). */
export const Scope = {
  InventoryRead: 'inventory:read',
  OrdersRead: 'orders:read',
  DeliveriesRead: 'deliveries:read',
  RequestsWrite: 'requests:write',
  RequestsRead: 'requests:read',
  LeadsWrite: 'leads:write',
  HandoffWrite: 'handoff:write',
  AuditRead: 'audit:read',
  ClientsAdmin: 'clients:admin',
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

/** The scopes that unlock agent tools (the demo client gets exactly these). */
export const TOOL_SCOPES: readonly Scope[] = [
  Scope.InventoryRead,
  Scope.OrdersRead,
  Scope.DeliveriesRead,
  Scope.RequestsWrite,
  Scope.RequestsRead,
  Scope.LeadsWrite,
  Scope.HandoffWrite,
];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'inventory:read': 'Search products and read stock levels',
  'orders:read': 'Read order status (customer fields masked)',
  'deliveries:read': 'Read delivery schedules',
  'requests:write': 'Create internal requests for staff',
  'requests:read': 'Read internal requests created by this client',
  'leads:write': 'Create sales leads',
  'handoff:write': 'Hand a conversation over to a human',
  'audit:read': 'Read and verify the audit trail',
  'clients:admin': 'Manage clients, secrets, API keys and signing keys',
};

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

export function parseScopes(value: string): Scope[] {
  return [...new Set(value.split(/[\s,]+/).filter(Boolean))].filter(isScope);
}
