import { createHash } from 'node:crypto';

export interface FingerprintInput {
  method: string;
  route: string;
  body: unknown;
}

/** JSON with object keys sorted at every level, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value)) ?? 'null';
}

/** sha256 (hex) of the canonical JSON of method, route template and validated body. */
export function requestFingerprint({ method, route, body }: FingerprintInput): string {
  return createHash('sha256')
    .update(canonicalJson({ method: method.toUpperCase(), route, body }))
    .digest('hex');
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalize(item) ?? null);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      const item = canonicalize(record[key]);
      if (item !== undefined) sorted[key] = item;
    }
    return sorted;
  }
  return value;
}
