import type { RateClass } from '../tools/tool.decorator.js';

/** Per-client behaviour switches (SPEC §3, §5.3, §5.5). */
export interface ClientPolicies {
  /** "verified": order lookups must carry the customer's email or phone (OWASP API1). */
  orderLookup?: 'open' | 'verified';
  /** Internal requests wait in pending_review for a human before reaching the ticket system. */
  requestApproval?: 'none' | 'required';
}

/** Per-client overrides of the default rate limits, per minute. */
export type ClientLimits = Partial<Record<RateClass | 'token', number>>;

export function parsePolicies(json: string): ClientPolicies {
  const value = safeParse(json);
  const policies: ClientPolicies = {};
  if (value.orderLookup === 'open' || value.orderLookup === 'verified') {
    policies.orderLookup = value.orderLookup;
  }
  if (value.requestApproval === 'none' || value.requestApproval === 'required') {
    policies.requestApproval = value.requestApproval;
  }
  return policies;
}

export function parseLimits(json: string): ClientLimits {
  const value = safeParse(json);
  const limits: ClientLimits = {};
  for (const key of ['read', 'write', 'token'] as const) {
    const n = value[key];
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) limits[key] = n;
  }
  return limits;
}

function safeParse(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
