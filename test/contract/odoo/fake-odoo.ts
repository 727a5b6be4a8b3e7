import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ODOO_SCHEMA, seedOdooData, type FieldDef, type OdooRecord } from './odoo-data.js';

export const FAKE_DB = 'gatehouse_prod';
export const FAKE_LOGIN = 'gatehouse-api@example.vn';
export const FAKE_API_KEY = 'odoo-api-key-7f3c9a1e5b2d4c6e8f0a1b2c3d4e5f60';
export const FAKE_UID = 7;

/** One JSON-RPC call as the fake received it. */
export interface ReceivedCall {
  service: string;
  method: string;
  /** `execute_kw` only. */
  model?: string;
  modelMethod?: string;
  domain?: unknown[];
  kwargs?: Record<string, unknown>;
  /** What the fake answered with: an HTTP status other than 200, or the JSON-RPC outcome. */
  outcome: 'result' | 'error' | number | 'hung';
}

interface JsonRpcFault {
  name: string;
  message: string;
}

type Term = [string, string, unknown];

/** Links that Odoo's own create() overrides read before inserting the record. */
const READ_IN_CREATE = new Set(['project.task.project_id', 'helpdesk.ticket.team_id']);

/**
 * A local stand-in for Odoo's `POST /jsonrpc` (services `common` and
 * `object`). It checks each request the way Odoo does — the envelope, the
 * database, uid and API key of every `execute_kw`, that every model, field
 * and domain path exists — evaluates domains over a small data set, and
 * answers in Odoo's shapes: `result`, or HTTP 200 with an `error` member
 * naming the Python exception class. Faults can be injected per test.
 */
export class FakeOdoo {
  readonly calls: ReceivedCall[] = [];
  tables: Map<string, OdooRecord[]> = seedOdooData();
  /** HTTP statuses to answer the next requests with, one per request. */
  readonly httpFailures: number[] = [];
  /** Every request answers 500 while set. */
  down = false;
  /** The next requests never answer (the client must time out), one per request. */
  hangNext = 0;
  /** The next `execute_kw` answers AccessDenied, as after a key rotation or user reset. */
  rejectSessionOnce = false;
  /** The next `execute_kw` on this model and method answers this exception. */
  faultNext: { model: string; method: string; fault: JsonRpcFault } | undefined;
  /** The next `execute_kw` on this model and method answers this HTTP status, or never. */
  breakNext: { model: string; method: string; answer: number | 'hang' } | undefined;
  /** Changes what authenticate accepts (a revoked key). */
  acceptedKey = FAKE_API_KEY;

  private server: Server | undefined;
  private readonly hung = new Set<ServerResponse>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  reset(): void {
    this.calls.length = 0;
    this.httpFailures.length = 0;
    this.down = false;
    this.hangNext = 0;
    this.rejectSessionOnce = false;
    this.faultNext = undefined;
    this.breakNext = undefined;
    this.acceptedKey = FAKE_API_KEY;
    this.tables = seedOdooData();
  }

  callsTo(model: string, method?: string): ReceivedCall[] {
    return this.calls.filter(
      (c) => c.model === model && (method === undefined || c.modelMethod === method),
    );
  }

  records(model: string): OdooRecord[] {
    return this.tables.get(model) ?? [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return this.send(res, 400, 'text/plain', 'Bad Request');
    }
    const params = (body.params ?? {}) as { service?: unknown; method?: unknown; args?: unknown };
    const args = Array.isArray(params.args) ? (params.args as unknown[]) : [];
    const call: ReceivedCall = {
      service: String(params.service),
      method: String(params.method),
      outcome: 'result',
    };
    if (params.service === 'object' && params.method === 'execute_kw') {
      call.model = String(args[3]);
      call.modelMethod = String(args[4]);
      const positional = Array.isArray(args[5]) ? (args[5] as unknown[]) : [];
      if (Array.isArray(positional[0])) call.domain = positional[0] as unknown[];
      call.kwargs = (args[6] ?? {}) as Record<string, unknown>;
    }
    this.calls.push(call);

    const broken = this.breakNext;
    const breaks = broken?.model === call.model && broken?.method === call.modelMethod;
    if (breaks) this.breakNext = undefined;
    if (this.hangNext > 0 || (breaks && broken?.answer === 'hang')) {
      if (!breaks) this.hangNext -= 1;
      call.outcome = 'hung';
      this.hung.add(res);
      return;
    }
    const failure =
      breaks && typeof broken?.answer === 'number'
        ? broken.answer
        : this.down
          ? 500
          : this.httpFailures.shift();
    if (failure !== undefined) {
      call.outcome = failure;
      return this.send(res, failure, 'text/html', '<h1>Internal Server Error</h1>');
    }
    if (
      req.method !== 'POST' ||
      req.url !== '/jsonrpc' ||
      !String(req.headers['content-type']).startsWith('application/json')
    ) {
      call.outcome = 404;
      return this.send(res, 404, 'text/html', '<h1>Not Found</h1>');
    }
    if (body.jsonrpc !== '2.0' || body.method !== 'call') {
      call.outcome = 400;
      return this.send(res, 400, 'text/plain', 'Invalid JSON-RPC request');
    }
    try {
      const result = this.dispatch(String(params.service), String(params.method), args);
      this.send(
        res,
        200,
        'application/json',
        JSON.stringify({ jsonrpc: '2.0', id: body.id, result }),
      );
    } catch (error) {
      call.outcome = 'error';
      const fault =
        error instanceof OdooFault
          ? error.fault
          : { name: 'builtins.Exception', message: String(error) };
      this.send(
        res,
        200,
        'application/json',
        JSON.stringify({
          jsonrpc: '2.0',
          id: body.id,
          error: {
            code: 200,
            message: 'Odoo Server Error',
            data: {
              name: fault.name,
              // Real tracebacks quote paths, hosts and record data; none of it may leak.
              debug: `Traceback (most recent call last):\n  File "/opt/odoo/odoo/http.py", in ${this.url}/jsonrpc\n${fault.name}: ${fault.message}`,
              message: fault.message,
              arguments: [fault.message],
              context: {},
            },
          },
        }),
      );
    }
  }

  private send(res: ServerResponse, status: number, type: string, text: string): void {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private dispatch(service: string, method: string, args: unknown[]): unknown {
    if (service === 'common' && method === 'version') {
      return {
        server_version: '17.0',
        server_version_info: [17, 0, 0, 'final', 0, ''],
        server_serie: '17.0',
        protocol_version: 1,
      };
    }
    if (service === 'common' && (method === 'authenticate' || method === 'login')) {
      const [db, login, key] = args;
      if (method === 'authenticate' && (args.length !== 4 || typeof args[3] !== 'object')) {
        throw fault('builtins.TypeError', 'authenticate() takes 4 arguments');
      }
      return db === FAKE_DB && login === FAKE_LOGIN && key === this.acceptedKey ? FAKE_UID : false;
    }
    if (service === 'object' && method === 'execute_kw') return this.executeKw(args);
    throw fault('builtins.NameError', `No such service or method ${service}.${method}`);
  }

  private executeKw(args: unknown[]): unknown {
    const [db, uid, key, model, method, positional, kwargs] = args;
    if (db !== FAKE_DB || uid !== FAKE_UID || key !== this.acceptedKey || this.rejectSessionOnce) {
      this.rejectSessionOnce = false;
      throw fault('odoo.exceptions.AccessDenied', 'Access Denied');
    }
    if (typeof model !== 'string' || !ODOO_SCHEMA[model]) {
      throw fault('builtins.KeyError', String(model));
    }
    if (!Array.isArray(positional)) throw fault('builtins.TypeError', 'args must be a list');
    const options = (kwargs ?? {}) as Record<string, unknown>;
    const injected = this.faultNext;
    if (injected && injected.model === model && injected.method === method) {
      this.faultNext = undefined;
      throw fault(injected.fault.name, injected.fault.message);
    }
    switch (method) {
      case 'search_read':
        return this.searchRead(model, positional[0], options);
      case 'search_count':
        return this.search(model, positional[0]).length;
      case 'create':
        return this.create(model, positional[0]);
      default:
        throw fault('builtins.AttributeError', `The method '${String(method)}' does not exist`);
    }
  }

  private searchRead(model: string, domain: unknown, options: Record<string, unknown>): unknown {
    const fields = options.fields;
    if (!Array.isArray(fields) || fields.length === 0) {
      // Odoo would answer every field; a connector must always name the ones it needs.
      throw fault('builtins.AssertionError', 'the fake expects an explicit fields list');
    }
    for (const name of fields) this.fieldDef(model, String(name));
    let rows = this.search(model, domain);
    if (typeof options.order === 'string') rows = this.sort(model, rows, options.order);
    if (typeof options.limit === 'number') rows = rows.slice(0, options.limit);
    return rows.map((row) => {
      const out: Record<string, unknown> = { id: row.id };
      for (const name of fields as string[]) out[name] = this.present(model, name, row);
      return out;
    });
  }

  private create(model: string, values: unknown): number {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw fault('builtins.TypeError', 'create() expects a dict');
    }
    for (const name of Object.keys(values)) this.fieldDef(model, name);
    const row = values as Record<string, unknown>;
    if (typeof row.name !== 'string' || row.name === '') {
      throw fault('odoo.exceptions.ValidationError', `The field "name" is required on ${model}`);
    }
    for (const [name, value] of Object.entries(row)) {
      const def = this.fieldDef(model, name);
      if (def.type !== 'm2o' || value === false || value === null) continue;
      if (this.records(def.comodel).some((r) => r.id === value)) continue;
      // Task and ticket create() read their project or team first (stages, company); any other
      // dangling link fails on PostgreSQL's foreign key, which Odoo answers as a ValidationError.
      throw READ_IN_CREATE.has(`${model}.${name}`)
        ? fault(
            'odoo.exceptions.MissingError',
            `Record does not exist or has been deleted.\n(Record: ${def.comodel}(${JSON.stringify(value)},), User: ${FAKE_UID})`,
          )
        : fault(
            'odoo.exceptions.ValidationError',
            'The operation cannot be completed: - Create/update: a mandatory field is not set.',
          );
    }
    const table = this.tables.get(model) ?? [];
    const id = Math.max(0, ...table.map((r) => r.id)) + 1;
    table.push({ active: true, ...row, id });
    this.tables.set(model, table);
    return id;
  }

  private search(model: string, domain: unknown): OdooRecord[] {
    if (!Array.isArray(domain)) throw fault('builtins.ValueError', 'Invalid domain');
    const predicate = this.compile(model, domain);
    const mentionsActive = domain.some((t) => Array.isArray(t) && t[0] === 'active');
    return this.records(model).filter(
      (row) =>
        (mentionsActive || !('active' in ODOO_SCHEMA[model]) || row.active !== false) &&
        predicate(row),
    );
  }

  /** Odoo's prefix notation: `&` and `|` take two operands, `!` one; juxtaposition is `&`. */
  private compile(model: string, domain: unknown[]): (row: OdooRecord) => boolean {
    let i = 0;
    const next = (): ((row: OdooRecord) => boolean) => {
      const token = domain[i++];
      if (token === '&' || token === '|') {
        const a = next();
        const b = next();
        return token === '&' ? (r) => a(r) && b(r) : (r) => a(r) || b(r);
      }
      if (token === '!') {
        const a = next();
        return (r) => !a(r);
      }
      if (!Array.isArray(token) || token.length !== 3 || typeof token[0] !== 'string') {
        throw fault('builtins.ValueError', `Invalid leaf ${JSON.stringify(token)}`);
      }
      return this.leaf(model, token as Term);
    };
    const parts: ((row: OdooRecord) => boolean)[] = [];
    while (i < domain.length) parts.push(next());
    return (row) => parts.every((p) => p(row));
  }

  private leaf(model: string, [path, op, value]: Term): (row: OdooRecord) => boolean {
    const steps = path.split('.');
    let current = model;
    for (const [index, step] of steps.entries()) {
      const def = this.fieldDef(current, step);
      if (index < steps.length - 1) {
        if (def.type !== 'm2o') throw fault('builtins.ValueError', `Invalid path ${path}`);
        current = def.comodel;
      }
    }
    const resolve = (row: OdooRecord): unknown => {
      let at: OdooRecord | undefined = row;
      let on = model;
      for (const [index, step] of steps.entries()) {
        const raw: unknown = at?.[step];
        if (index === steps.length - 1) return raw ?? false;
        const def = ODOO_SCHEMA[on][step];
        if (def.type !== 'm2o') return false;
        on = def.comodel;
        at = this.records(on).find((r) => r.id === raw);
      }
      return false;
    };
    const compare = (a: unknown, b: unknown): number | null =>
      (typeof a === 'number' && typeof b === 'number') ||
      (typeof a === 'string' && typeof b === 'string')
        ? a < b
          ? -1
          : a > b
            ? 1
            : 0
        : null;
    return (row) => {
      const v = resolve(row);
      const same = v === value || ((v === null || v === undefined) && value === false);
      switch (op) {
        case '=':
          return same;
        case '!=':
          return !same;
        case '>':
          return (compare(v, value) ?? 0) > 0;
        case '>=':
          return (compare(v, value) ?? -1) >= 0;
        case '<':
          return (compare(v, value) ?? 0) < 0;
        case '<=':
          return (compare(v, value) ?? 1) <= 0;
        case 'in':
          return Array.isArray(value) && value.includes(v);
        case 'not in':
          return Array.isArray(value) && !value.includes(v);
        case 'ilike':
          return typeof v === 'string' && typeof value === 'string' && likePattern(value).test(v);
        default:
          throw fault('builtins.ValueError', `Invalid operator ${op}`);
      }
    };
  }

  private sort(model: string, rows: OdooRecord[], order: string): OdooRecord[] {
    const keys = order.split(',').map((part) => {
      const [name = '', direction = 'asc'] = part.trim().split(/\s+/);
      this.fieldDef(model, name);
      return { name, sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
    });
    return [...rows].sort((a, b) => {
      for (const { name, sign } of [...keys, { name: 'id', sign: 1 }]) {
        const x: unknown = a[name] ?? false;
        const y: unknown = b[name] ?? false;
        if (x === y) continue;
        if (x === false) return -sign;
        if (y === false) return sign;
        return (
          (typeof x === 'number' && typeof y === 'number'
            ? x - y
            : String(x) < String(y)
              ? -1
              : 1) * sign
        );
      }
      return 0;
    });
  }

  private fieldDef(model: string, name: string): FieldDef {
    if (name === 'id') return { type: 'int' };
    const def = ODOO_SCHEMA[model]?.[name];
    if (!def) throw fault('builtins.ValueError', `Invalid field '${name}' on model '${model}'`);
    return def;
  }

  /** What search_read answers for a field: many2one as `[id, display_name]`, unset as `false`. */
  private present(model: string, name: string, row: OdooRecord): unknown {
    const def = this.fieldDef(model, name);
    const raw = row[name];
    if (raw === undefined || raw === null) return false;
    if (def.type !== 'm2o') return raw;
    const target = this.records(def.comodel).find((r) => r.id === raw);
    return target ? [target.id, this.displayName(def.comodel, target)] : false;
  }

  private displayName(model: string, row: OdooRecord): string {
    switch (model) {
      case 'res.country.state': {
        const country = this.records('res.country').find((c) => c.id === row.country_id);
        return `${String(row.name)} (${String(country?.code)})`;
      }
      case 'product.product':
        return typeof row.default_code === 'string'
          ? `[${row.default_code}] ${String(row.name)}`
          : String(row.name);
      case 'product.category':
        return String(row.complete_name);
      default:
        return String(row.name);
    }
  }
}

/** Odoo wraps an ilike value in `%...%` without escaping it: `_` and `%` stay wildcards. */
function likePattern(value: string): RegExp {
  const source = [...value]
    .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(source, 'is');
}

class OdooFault extends Error {
  constructor(readonly fault: JsonRpcFault) {
    super(fault.message);
  }
}

function fault(name: string, message: string): OdooFault {
  return new OdooFault({ name, message });
}

export async function startFakeOdoo(): Promise<FakeOdoo> {
  return new FakeOdoo().start();
}
