import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll } from '../fakes/read-body.js';

export type Doc = Record<string, unknown>;

export interface ReceivedRequest {
  method: string;
  /** Decoded path, e.g. `/api/resource/Sales Order/SO-2026-000001`. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

/** What the next matching request gets instead of a normal answer. */
export type Fault = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/** Child tables by parent DocType: field -> child DocType. */
const CHILD_TABLES: Record<string, Record<string, string>> = {
  'Sales Order': { items: 'Sales Order Item' },
  'Delivery Note': { items: 'Delivery Note Item' },
  Lead: { notes: 'CRM Note' },
};

/** Columns each DocType answers for in list queries, as in Frappe's meta (a subset). */
const COLUMNS: Record<string, readonly string[]> = {
  Item: ['name', 'item_code', 'item_name', 'item_group', 'stock_uom', 'disabled', 'has_variants'],
  'Item Price': [
    'name',
    'item_code',
    'price_list',
    'price_list_rate',
    'currency',
    'valid_from',
    'valid_upto',
  ],
  'Price List': ['name', 'currency', 'selling'],
  Bin: [
    'name',
    'item_code',
    'warehouse',
    'actual_qty',
    'reserved_qty',
    'projected_qty',
    'modified',
  ],
  Warehouse: ['name', 'warehouse_name', 'parent_warehouse', 'is_group', 'disabled', 'company'],
  Territory: ['name', 'parent_territory', 'is_group'],
  'Sales Order': [
    'name',
    'customer',
    'customer_name',
    'status',
    'docstatus',
    'transaction_date',
    'territory',
    'modified',
    'per_picked',
    'contact_email',
    'contact_mobile',
    'contact_phone',
    'creation',
  ],
  'Delivery Note': [
    'name',
    'posting_date',
    'docstatus',
    'status',
    'transporter',
    'transporter_name',
    'lr_no',
    'territory',
    'is_return',
    'creation',
  ],
  Issue: ['name', 'subject', 'description', 'priority', 'raised_by', 'status', 'creation'],
  Lead: [
    'name',
    'lead_name',
    'first_name',
    'email_id',
    'mobile_no',
    'company_name',
    'status',
    'unsubscribed',
    'creation',
  ],
};

const ISSUE_PRIORITIES = new Set(['Low', 'Medium', 'High']);

/**
 * A local server speaking ERPNext's `/api/resource` shape over a small data
 * set: token authentication, list queries with fields / filters (also on
 * child tables) / or_filters / order_by / paging, single-document reads with
 * child tables, inserts with naming series and Frappe-style error bodies.
 */
export class FakeErpNext {
  readonly requests: ReceivedRequest[] = [];
  readonly docs: Record<string, Doc[]>;
  /** DocTypes the API user may not read or create (answers 403 PermissionError). */
  readonly forbidden = new Set<string>();
  /** Inserts that succeed but whose answer is lost (a 502 from a proxy after the commit). */
  loseInsertAnswers = 0;
  private faults: { match: (r: ReceivedRequest) => boolean; fault: Fault; times: number }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;
  private counter = 0;

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    data: Record<string, Doc[]>,
  ) {
    this.docs = structuredClone(data);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next `times` requests matching `match` (default: every request) get `fault`. */
  fail(fault: Fault, times = Infinity, match: (r: ReceivedRequest) => boolean = () => true): void {
    this.faults.push({ match, fault, times });
  }

  heal(): void {
    this.faults = [];
  }

  reset(): void {
    this.requests.length = 0;
    this.heal();
  }

  callsTo(method: string, pathPrefix: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readAll(req);
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      authorization: req.headers.authorization,
      body: raw === '' ? undefined : (JSON.parse(raw) as unknown),
    };
    this.requests.push(received);

    const fault = this.faults.find((f) => f.times > 0 && f.match(received));
    if (fault) {
      fault.times -= 1;
      if (fault.fault === 'hang') {
        this.hanging.add(res);
        return;
      }
      return send(
        res,
        fault.fault.status,
        fault.fault.body ?? frappeError('InternalServerError', 'boom'),
        fault.fault.headers,
      );
    }
    if (req.headers.authorization !== `token ${this.apiKey}:${this.apiSecret}`) {
      return send(res, 401, frappeError('AuthenticationError', 'Invalid token'));
    }
    if (received.path === '/api/method/frappe.auth.get_logged_user') {
      return send(res, 200, { message: 'gatehouse@example.com' });
    }
    const match = /^\/api\/resource\/([^/]+)(?:\/(.+))?$/.exec(received.path);
    if (!match?.[1]) return send(res, 404, frappeError('PageDoesNotExistError', 'Not found'));
    const doctype = match[1];
    if (this.forbidden.has(doctype)) {
      return send(res, 403, frappeError('PermissionError', `No permission for ${doctype}`));
    }
    try {
      if (received.method === 'GET' && match[2] !== undefined)
        return this.getDoc(res, doctype, match[2]);
      if (received.method === 'GET') return this.listDocs(res, doctype, url.searchParams);
      if (received.method === 'POST') return this.insertDoc(res, doctype, received.body);
      send(res, 405, frappeError('MethodNotAllowed', 'no'));
    } catch (error) {
      send(
        res,
        417,
        frappeError('DataError', error instanceof Error ? error.message : 'bad query'),
      );
    }
  }

  private getDoc(res: ServerResponse, doctype: string, name: string): void {
    const doc = (this.docs[doctype] ?? []).find((d) => d.name === name);
    if (!doc) {
      return send(res, 404, frappeError('DoesNotExistError', `${doctype} ${name} not found`));
    }
    send(res, 200, { data: { doctype, ...doc } });
  }

  private listDocs(res: ServerResponse, doctype: string, params: URLSearchParams): void {
    const columns = COLUMNS[doctype];
    if (!columns) throw new Error(`unknown doctype ${doctype}`);
    const fields = parse<string[]>(params.get('fields')) ?? ['name'];
    for (const f of fields) {
      if (!columns.includes(f)) throw new Error(`Field not permitted in query: ${f}`);
    }
    const filters = parse<unknown[][]>(params.get('filters')) ?? [];
    const orFilters = parse<unknown[][]>(params.get('or_filters')) ?? [];
    let rows = (this.docs[doctype] ?? []).filter(
      (doc) =>
        filters.every((f) => this.matches(doctype, doc, f)) &&
        (orFilters.length === 0 || orFilters.some((f) => this.matches(doctype, doc, f))),
    );
    const orderBy = params.get('order_by') ?? 'modified desc';
    const keys = orderBy.split(',').map((part) => {
      const [field = 'name', direction = 'asc'] = part.trim().split(/\s+/);
      if (!columns.includes(field) && field !== 'modified')
        throw new Error(`bad order_by ${field}`);
      return { field, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
    });
    rows = [...rows].sort((a, b) => {
      for (const { field, sign } of keys) {
        const x = scalar(a[field]);
        const y = scalar(b[field]);
        if (x !== y) return (x < y ? -1 : 1) * sign;
      }
      return 0;
    });
    const start = Number(params.get('limit_start') ?? 0);
    const length = Number(params.get('limit_page_length') ?? 20);
    const page = length === 0 ? rows.slice(start) : rows.slice(start, start + length);
    send(res, 200, {
      data: page.map((doc) => Object.fromEntries(fields.map((f) => [f, doc[f] ?? null]))),
    });
  }

  private matches(doctype: string, doc: Doc, filter: unknown[]): boolean {
    const [target, field, op, value] = filter.length === 4 ? filter : [doctype, ...filter];
    if (typeof target !== 'string' || typeof field !== 'string' || typeof op !== 'string') {
      throw new Error('malformed filter');
    }
    if (target === doctype) return compare(doc[field], op, value);
    const tables = Object.entries(CHILD_TABLES[doctype] ?? {}).filter(
      ([, child]) => child === target,
    );
    if (tables.length === 0) throw new Error(`${target} is not a child table of ${doctype}`);
    return tables.some(([table]) => {
      const rows = doc[table];
      return Array.isArray(rows) && rows.some((row) => compare((row as Doc)[field], op, value));
    });
  }

  private insertDoc(res: ServerResponse, doctype: string, body: unknown): void {
    if (typeof body !== 'object' || body === null) throw new Error('no document');
    const doc = { ...(body as Doc) };
    if (doctype === 'Issue') {
      if (typeof doc.subject !== 'string' || doc.subject === '') {
        return send(res, 417, frappeError('MandatoryError', 'Subject is mandatory'));
      }
      if (typeof doc.priority === 'string' && !ISSUE_PRIORITIES.has(doc.priority)) {
        return send(
          res,
          417,
          frappeError('LinkValidationError', `Could not find Issue Priority: ${doc.priority}`),
        );
      }
      if (typeof doc.raised_by === 'string' && doc.raised_by.includes('invalid')) {
        return send(
          res,
          417,
          frappeError('ValidationError', `${doc.raised_by} is not a valid Email Address`),
        );
      }
    } else if (doctype === 'Lead') {
      if (typeof doc.first_name !== 'string' && typeof doc.lead_name !== 'string') {
        return send(res, 417, frappeError('MandatoryError', 'First Name is mandatory'));
      }
      const email = doc.email_id;
      if (typeof email === 'string' && (this.docs.Lead ?? []).some((l) => l.email_id === email)) {
        return send(
          res,
          417,
          frappeError('ValidationError', `Email Address must be unique, already used in a Lead`),
        );
      }
    } else {
      return send(
        res,
        403,
        frappeError('PermissionError', `Insufficient Permission for ${doctype}`),
      );
    }
    this.counter += 1;
    const prefix = doctype === 'Issue' ? 'ISS-2026-' : 'CRM-LEAD-2026-';
    const created: Doc = {
      ...doc,
      name: `${prefix}${String(this.counter).padStart(5, '0')}`,
      docstatus: 0,
      creation: `2026-03-02 09:00:${String(this.counter % 60).padStart(2, '0')}.000000`,
    };
    (this.docs[doctype] ??= []).push(created);
    if (this.loseInsertAnswers > 0) {
      this.loseInsertAnswers -= 1;
      return send(res, 502, '<html>Bad Gateway</html>');
    }
    send(res, 200, { data: { doctype, ...created } });
  }
}

/** Frappe's error body: `exc_type`, a traceback in `exception`/`exc`, and `_server_messages`. */
export function frappeError(type: string, message: string): Doc {
  return {
    exc_type: type,
    exception: `frappe.exceptions.${type}: ${message}`,
    exc: JSON.stringify([
      `Traceback (most recent call last):\n  File "apps/frappe/frappe/app.py"\nfrappe.exceptions.${type}: ${message}`,
    ]),
    _server_messages: JSON.stringify([JSON.stringify({ message, indicator: 'red' })]),
  };
}

/** Like utf8mb4_unicode_ci: case- and accent-insensitive, but đ stays a letter of its own. */
function collate(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

function compare(actual: unknown, op: string, expected: unknown): boolean {
  const a = actual ?? '';
  switch (op) {
    case '=':
      return typeof expected === 'string'
        ? collate(scalar(a)) === collate(expected)
        : a === expected;
    case '!=':
      return a !== expected;
    case '>':
      return scalar(a) > String(expected);
    case '>=':
      return scalar(a) >= String(expected);
    case '<':
      return scalar(a) < String(expected);
    case '<=':
      return scalar(a) <= String(expected);
    case 'in':
      return (
        Array.isArray(expected) && expected.some((e) => collate(String(e)) === collate(scalar(a)))
      );
    case 'like': {
      const pattern = collate(String(expected))
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/%/g, '.*')
        .replace(/_/g, '.');
      return new RegExp(`^${pattern}$`, 's').test(collate(scalar(a)));
    }
    default:
      throw new Error(`unsupported operator ${op}`);
  }
}

function parse<T>(value: string | null): T | undefined {
  return value === null ? undefined : (JSON.parse(value) as T);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A column value as MariaDB would compare it; objects (child tables) never match. */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}
