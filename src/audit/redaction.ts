import { maskEmail, maskName, maskPhone } from '../common/privacy/mask.js';

export const REDACTED = '[REDACTED]';

/** Field names whose values never reach the audit trail at all. */
const SECRET_FIELDS = [
  'password',
  'secret',
  'client_secret',
  'clientsecret',
  'token',
  'access_token',
  'accesstoken',
  'refresh_token',
  'apikey',
  'api_key',
  'authorization',
  'x-api-key',
  'cookie',
];
const EMAIL_FIELDS = ['email', 'customeremail'];
const PHONE_FIELDS = ['phone', 'customerphone'];
const NAME_FIELDS = ['name', 'customername', 'contactname', 'fullname'];

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International (+...) or national (0...) numbers standing alone, not digits inside ids like SO-2026-000123.
const PHONE_IN_TEXT = /(?<![\w-])(?:\+\d[\d .()-]{7,}\d|0\d(?:[ .-]?\d){7,10})(?![\w-])/g;
const CREDENTIAL_IN_TEXT =
  /\b(?:eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|ghs_[A-Za-z0-9_-]+|gh_[a-z0-9]{12}_[A-Za-z0-9_-]+)/g;

const MAX_DEPTH = 6;
const MAX_STRING = 500;
const MAX_ITEMS = 20;

export interface RedactionRules {
  /** Extra field names (any depth) or dotted paths to drop, from AUDIT_REDACT_FIELDS. */
  readonly extraFields: readonly string[];
}

/**
 * Redacts a value before it is written to the audit trail: secrets dropped,
 * emails, phones and person names masked by field name, and the same patterns
 * masked inside any free text. Bounded in depth, length and item count.
 */
export function redact(value: unknown, rules: RedactionRules = NO_EXTRA_FIELDS): unknown {
  return walk(value, '', 0, extraFieldsOf(rules));
}

/** True when a top-level field of this name is dropped altogether (a secret, or AUDIT_REDACT_FIELDS). */
export function dropsField(key: string, rules: RedactionRules = NO_EXTRA_FIELDS): boolean {
  const lower = key.toLowerCase();
  return SECRET_FIELDS.includes(lower) || extraFieldsOf(rules).has(lower);
}

function extraFieldsOf(rules: RedactionRules): Set<string> {
  let extra = extraFieldSets.get(rules);
  if (!extra) {
    extra = new Set(rules.extraFields.map((f) => f.toLowerCase()));
    extraFieldSets.set(rules, extra);
  }
  return extra;
}

const NO_EXTRA_FIELDS: RedactionRules = { extraFields: [] };
/** The lower-cased field set of each rules object, built on its first use rather than per event. */
const extraFieldSets = new WeakMap<RedactionRules, Set<string>>();

function walk(value: unknown, path: string, depth: number, extra: Set<string>): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return redactText(value);
  if (depth >= MAX_DEPTH) return '[TRUNCATED]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => walk(v, path, depth + 1, extra));
    return value.length > MAX_ITEMS ? [...items, `[+${value.length - MAX_ITEMS} more]`] : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      // As in JSON: an absent value is no field at all.
      if (v === undefined) continue;
      const lower = key.toLowerCase();
      const keyPath = path ? `${path}.${lower}` : lower;
      if (SECRET_FIELDS.includes(lower) || extra.has(lower) || extra.has(keyPath)) {
        out[key] = REDACTED;
      } else if (typeof v === 'string' && EMAIL_FIELDS.includes(lower)) {
        out[key] = maskEmail(v);
      } else if (typeof v === 'string' && PHONE_FIELDS.includes(lower)) {
        out[key] = maskPhone(v);
      } else if (typeof v === 'string' && NAME_FIELDS.includes(lower)) {
        out[key] = maskName(v);
      } else {
        out[key] = walk(v, keyPath, depth + 1, extra);
      }
    }
    return out;
  }
  return typeof value === 'bigint' ? value.toString() : null;
}

export function redactText(text: string): string {
  const bounded = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  return bounded
    .replace(CREDENTIAL_IN_TEXT, REDACTED)
    .replace(EMAIL_IN_TEXT, (m) => maskEmail(m))
    .replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}
