import { maskEmail, maskName, maskPhone } from '../common/privacy/mask.js';

export const REDACTED = '[REDACTED]';

/**
 * Field names whose values never reach the audit trail at all, compared
 * without case, "_" or "-": `refreshToken`, `refresh_token` and
 * `REFRESH-TOKEN` are one name. A name that ends in one of these is a secret
 * too (`clientSecret`, `idToken`, `x-api-key`, `setCookie`), and so is its plural.
 */
const SECRET_NAME =
  /(?:password|passwd|passphrase|secret|token|apikey|privatekey|credential|authorization|cookie)s?$/;
const SEPARATORS = /[_-]/g;
/** Names already judged: every audited answer repeats the same few dozen field names. */
const judgedNames = new Map<string, boolean>();
const MAX_JUDGED_NAMES = 1_000;

function isSecretName(lowerCaseName: string): boolean {
  let secret = judgedNames.get(lowerCaseName);
  if (secret === undefined) {
    secret = SECRET_NAME.test(lowerCaseName.replace(SEPARATORS, ''));
    // Bounded: callers choose the names of unknown fields.
    if (judgedNames.size < MAX_JUDGED_NAMES) judgedNames.set(lowerCaseName, secret);
  }
  return secret;
}

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
const MAX_KEYS = 50;
/**
 * Free text is masked a little beyond MAX_STRING and cut after, so an email or
 * phone straddling the cut is masked whole rather than left half-visible (a cut
 * "chau.pham@exam" no longer looks like an email). 254 is the longest email.
 */
const MASK_WINDOW = MAX_STRING + 254;
/** The stored request and response summaries each stay within this many bytes of UTF-8 JSON. */
export const MAX_SUMMARY_BYTES = 4096;
export const TRUNCATED = '[TRUNCATED]';
/** The key of the entry that ends an object shown in part: `"…": "<n> more keys"`. */
export const MORE_KEYS = '…';

export interface RedactionRules {
  /** Extra field names (any depth) or dotted paths to drop, from AUDIT_REDACT_FIELDS. */
  readonly extraFields: readonly string[];
  /**
   * Dotted paths from the summary's root (`body.params.name`) whose string
   * values are not personal data although their field name says so: kept as
   * text with only emails, phones and credentials inside masked. Secrets and
   * AUDIT_REDACT_FIELDS still win.
   */
  readonly plainPaths?: readonly string[];
}

/**
 * Redacts a value before it is written to the audit trail: secrets dropped,
 * emails, phones and person names masked by field name, and the same patterns
 * masked inside any free text. Bounded in depth, string length, item and key
 * count, not in total size (see redactSummary).
 */
export function redact(value: unknown, rules: RedactionRules = NO_EXTRA_FIELDS): unknown {
  return walk(value, '', 0, compiled(rules), Infinity);
}

/**
 * Redacts a request or response summary and bounds its JSON to maxBytes. Over
 * the bound, the summary is redacted again into what fits: leading keys and
 * items kept in order, the rest counted by the usual markers, and a first
 * `"[TRUNCATED]"` entry giving the full size, so a row never silently loses
 * data and is always whole JSON.
 */
export function redactSummary(
  summary: Record<string, unknown>,
  rules: RedactionRules = NO_EXTRA_FIELDS,
  maxBytes: number = MAX_SUMMARY_BYTES,
): Record<string, unknown> {
  const rule = compiled(rules);
  const full = walk(summary, '', 0, rule, Infinity) as Record<string, unknown>;
  const size = jsonBytes(full);
  if (size <= maxBytes) return full;
  const marker = { [TRUNCATED]: `${size} bytes cut to ${maxBytes}` };
  // The marker's entry and a comma replace the fitted object's opening brace.
  const fitted = walk(summary, '', 0, rule, maxBytes - jsonBytes(marker) + 1);
  return fitted === NO_ROOM ? marker : { ...marker, ...(fitted as Record<string, unknown>) };
}

interface CompiledRules {
  /** AUDIT_REDACT_FIELDS names, matched at any depth. */
  extra: Set<string>;
  /** Dotted AUDIT_REDACT_FIELDS entries, matched where they end a path ("interest.note" is body.interest.note). */
  extraPaths: string[];
  plain: Set<string>;
}

function compiled(rules: RedactionRules): CompiledRules {
  let rule = compiledRules.get(rules);
  if (!rule) {
    rule = {
      extra: new Set(rules.extraFields.filter((f) => !f.includes('.')).map((f) => f.toLowerCase())),
      extraPaths: rules.extraFields.filter((f) => f.includes('.')).map((f) => f.toLowerCase()),
      plain: new Set((rules.plainPaths ?? []).map((f) => f.toLowerCase())),
    };
    compiledRules.set(rules, rule);
  }
  return rule;
}

const NO_EXTRA_FIELDS: RedactionRules = { extraFields: [] };
/** Each rules object's lower-cased sets, built on its first use rather than per event. */
const compiledRules = new WeakMap<RedactionRules, CompiledRules>();

/** What a walk returns when not even a marker fits in its budget. */
const NO_ROOM = Symbol('no room');

/**
 * With an infinite budget (every event) no size is measured; a finite budget
 * (only for a summary found too big) makes every value fit in what is left.
 */
function walk(
  value: unknown,
  path: string,
  depth: number,
  rule: CompiledRules,
  budget: number,
): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return fits(value, budget) ? value : NO_ROOM;
  }
  if (typeof value === 'string') return fitString(redactText(value), budget);
  if (depth >= MAX_DEPTH) return fitString(TRUNCATED, budget);
  if (Array.isArray(value)) {
    return fitEntries(
      value.slice(0, MAX_ITEMS).map((v): [string, unknown] => ['', v]),
      value.length,
      (n) => `[+${n} more]`,
      (_, v, room) => walk(v, path, depth + 1, rule, room),
      budget,
      true,
    );
  }
  if (typeof value === 'object') {
    // As in JSON: an absent value is no field at all.
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return fitEntries(
      entries.slice(0, MAX_KEYS),
      entries.length,
      (n) => `${n} more key${n === 1 ? '' : 's'}`,
      (key, v, room) => field(key, v, path, depth, rule, room),
      budget,
      false,
    );
  }
  return typeof value === 'bigint' ? fitString(value.toString(), budget) : null;
}

function field(
  key: string,
  v: unknown,
  path: string,
  depth: number,
  rule: CompiledRules,
  room: number,
): unknown {
  const lower = key.toLowerCase();
  const keyPath = path ? `${path}.${lower}` : lower;
  if (
    isSecretName(lower) ||
    rule.extra.has(lower) ||
    rule.extraPaths.some((p) => keyPath === p || keyPath.endsWith(`.${p}`))
  ) {
    return fitString(REDACTED, room);
  }
  if (typeof v === 'string') {
    if (rule.plain.has(keyPath)) return fitString(redactText(v), room);
    if (EMAIL_FIELDS.includes(lower)) return fitString(maskEmail(v), room);
    if (PHONE_FIELDS.includes(lower)) return fitString(maskPhone(v), room);
    if (NAME_FIELDS.includes(lower)) return fitString(maskName(v), room);
  }
  return walk(v, keyPath, depth + 1, rule, room);
}

/**
 * Shows the leading entries of an object or list (already cut to the key or
 * item cap), only as many as fit in the budget; the rest of `total` are counted
 * by a last entry (`"…": "<n> more keys"`, `"[+<n> more]"`). Before an entry is
 * shown, room is kept for the marker that may follow it, so the marker always fits.
 */
function fitEntries(
  entries: [string, unknown][],
  total: number,
  more: (n: number) => string,
  child: (key: string, value: unknown, room: number) => unknown,
  budget: number,
  isList: boolean,
): unknown {
  const entryBytes = (key: string, v: unknown, first: boolean): number =>
    (first ? 0 : 1) + (isList ? 0 : jsonBytes(key) + 1) + jsonBytes(v);
  const markerBytes = (n: number, first: boolean): number =>
    n === 0 ? 0 : entryBytes(MORE_KEYS, more(n), first);
  const bounded = budget !== Infinity;
  if (bounded && 2 + markerBytes(total, true) > budget) return NO_ROOM;
  const shown: [string, unknown][] = [];
  let used = 2;
  for (const [key, v] of entries) {
    const first = shown.length === 0;
    let room = Infinity;
    if (bounded) {
      const keyBytes = (first ? 0 : 1) + (isList ? 0 : jsonBytes(key) + 1);
      room = budget - used - keyBytes - markerBytes(total - shown.length - 1, false);
    }
    const out = child(key, v, room);
    if (out === NO_ROOM) break;
    shown.push([key, out]);
    if (bounded) used += entryBytes(key, out, first);
  }
  const omitted = total - shown.length;
  if (isList) {
    const items = shown.map(([, v]) => v);
    return omitted > 0 ? [...items, more(omitted)] : items;
  }
  const out = Object.fromEntries(shown);
  if (omitted > 0) out[MORE_KEYS] = more(omitted);
  return out;
}

/** The longest prefix of the text that fits, marked by a trailing "…". */
function fitString(text: string, budget: number): string | typeof NO_ROOM {
  if (budget === Infinity || jsonBytes(text) <= budget) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (jsonBytes(`${text.slice(0, mid)}…`) <= budget) low = mid;
    else high = mid - 1;
  }
  const cut = `${text.slice(0, low)}…`;
  return jsonBytes(cut) <= budget ? cut : NO_ROOM;
}

function fits(value: unknown, budget: number): boolean {
  return budget === Infinity || jsonBytes(value) <= budget;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** A word cut by the mask window: up to the window's slack, so long runs still show their start. */
const PARTIAL_LAST_WORD = new RegExp(`\\S{1,${MASK_WINDOW - MAX_STRING - 1}}$`);

export function redactText(text: string): string {
  // The word the window cuts could be half an email, which no longer looks like one; masking
  // what comes before it shortens the text, which would pull that half into view.
  const window =
    text.length > MASK_WINDOW ? text.slice(0, MASK_WINDOW).replace(PARTIAL_LAST_WORD, '') : text;
  const masked = window
    .replace(CREDENTIAL_IN_TEXT, REDACTED)
    .replace(EMAIL_IN_TEXT, (m) => maskEmail(m))
    .replace(PHONE_IN_TEXT, (m) => maskPhone(m));
  return masked.length > MAX_STRING || text.length > MASK_WINDOW
    ? `${masked.slice(0, MAX_STRING)}…`
    : masked;
}
