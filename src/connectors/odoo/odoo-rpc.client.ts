import type { ConnectorsConfig, OdooSettings } from '../../config/connectors-config.js';
import { UpstreamHttp } from '../http/upstream-http.js';
import { UpstreamError } from '../ports/upstream.error.js';
import { asRows, type OdooDomain, type OdooRow, type SearchReadOptions } from './odoo-values.js';

export const ODOO_SYSTEM = 'odoo';

/**
 * How Odoo refused a call, from the exception class it names in the JSON-RPC
 * `error.data.name`:
 * - `auth`: the credentials were not accepted (AccessDenied, expired session);
 * - `access`: the API user lacks rights on a model or record (AccessError);
 * - `rejected`: the input cannot succeed as sent (ValidationError, UserError,
 *   MissingError, an unknown field or model);
 * - `server`: anything else, e.g. a database serialisation failure: worth retrying.
 */
export type OdooFault = 'auth' | 'access' | 'rejected' | 'server';

const FAULTS: Readonly<Record<string, OdooFault>> = {
  'odoo.exceptions.AccessDenied': 'auth',
  'odoo.http.SessionExpiredException': 'auth',
  'odoo.exceptions.AccessError': 'access',
  'odoo.exceptions.ValidationError': 'rejected',
  'odoo.exceptions.UserError': 'rejected',
  'odoo.exceptions.MissingError': 'rejected',
  'builtins.ValueError': 'rejected',
  'builtins.KeyError': 'rejected',
  'builtins.TypeError': 'rejected',
};

/**
 * Odoo answered (HTTP 200) with a JSON-RPC `error`. Only the fault class is
 * kept: Odoo's message and traceback can quote record data and are never
 * carried into logs, outbox rows or receipts.
 */
export class OdooRpcError extends UpstreamError {
  override name = 'OdooRpcError';

  constructor(
    operation: string,
    readonly fault: OdooFault,
  ) {
    super(ODOO_SYSTEM, operation, undefined, { cause: new Error(`odoo fault: ${fault}`) });
  }
}

interface CallOptions {
  /** Reads are retried by UpstreamHttp; creates never are (the outbox retries them). */
  idempotent: boolean;
  signal?: AbortSignal;
}

/**
 * Odoo's external JSON-RPC API (`POST /jsonrpc`, services `common` and
 * `object`). One instance per app, shared by every Odoo adapter through the
 * connector context: one login, one circuit breaker.
 */
export class OdooRpcClient {
  private readonly http: UpstreamHttp;
  private uid: Promise<number> | undefined;
  private nextId = 1;

  constructor(
    private readonly settings: OdooSettings,
    upstream: ConnectorsConfig['upstream'],
  ) {
    this.http = new UpstreamHttp({
      system: ODOO_SYSTEM,
      baseUrl: settings.url,
      settings: upstream,
    });
  }

  async searchRead(
    model: string,
    domain: OdooDomain,
    options: SearchReadOptions,
    signal?: AbortSignal,
  ): Promise<OdooRow[]> {
    const kwargs: Record<string, unknown> = { fields: options.fields };
    if (options.limit !== undefined) kwargs.limit = options.limit;
    if (options.order !== undefined) kwargs.order = options.order;
    const rows = await this.execute(model, 'search_read', [domain], kwargs, {
      idempotent: true,
      ...(signal ? { signal } : {}),
    });
    return asRows(rows);
  }

  async create(model: string, values: Record<string, unknown>): Promise<number> {
    const id = await this.execute(model, 'create', [values], {}, { idempotent: false });
    if (typeof id !== 'number') {
      throw new UpstreamError(ODOO_SYSTEM, `${model}.create`, undefined, {
        cause: new Error('create did not answer a record id'),
      });
    }
    return id;
  }

  /** Readiness: an authenticated call, so a revoked API key shows as not ready. */
  async ping(signal: AbortSignal): Promise<void> {
    const domain: OdooDomain = [['login', '=', this.settings.username]];
    await this.execute('res.users', 'search_count', [domain], {}, { idempotent: true, signal });
  }

  /**
   * `execute_kw` with the cached uid. If Odoo no longer accepts the session
   * (key rotated, user re-created), logs in again once and repeats the call:
   * Odoo checks credentials before running the method, so even a create is
   * safe to repeat after an `auth` fault.
   */
  private async execute(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
    options: CallOptions,
  ): Promise<unknown> {
    const operation = `${model}.${method}`;
    const attempt = async (): Promise<unknown> => {
      const uid = await this.login(options.signal);
      const { database, apiKey } = this.settings;
      return this.call(
        'object',
        'execute_kw',
        [database, uid, apiKey, model, method, args, kwargs],
        operation,
        options,
      );
    };
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof OdooRpcError) || error.fault !== 'auth') throw error;
      if (error.operation === 'common.authenticate') throw error;
      this.uid = undefined;
      return attempt();
    }
  }

  private login(signal?: AbortSignal): Promise<number> {
    // Concurrent first calls share one authenticate request; a failure is forgotten.
    this.uid ??= this.authenticate(signal).catch((error: unknown) => {
      this.uid = undefined;
      throw error;
    });
    return this.uid;
  }

  private async authenticate(signal?: AbortSignal): Promise<number> {
    const { database, username, apiKey } = this.settings;
    const operation = 'common.authenticate';
    const uid = await this.call(
      'common',
      'authenticate',
      [database, username, apiKey, {}],
      operation,
      { idempotent: true, ...(signal ? { signal } : {}) },
    );
    // Odoo answers `false`, not an error, when the login or key is wrong.
    if (typeof uid !== 'number' || uid <= 0) throw new OdooRpcError(operation, 'auth');
    return uid;
  }

  private async call(
    service: 'common' | 'object',
    method: string,
    args: unknown[],
    operation: string,
    options: CallOptions,
  ): Promise<unknown> {
    const id = this.nextId++;
    const response = await this.http.request<unknown>({
      operation,
      method: 'POST',
      path: '/jsonrpc',
      body: { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id },
      idempotent: options.idempotent,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const body = response.body;
    if (typeof body !== 'object' || body === null) {
      throw new UpstreamError(ODOO_SYSTEM, operation, response.status, {
        cause: new Error('not a JSON-RPC answer'),
      });
    }
    const envelope = body as { result?: unknown; error?: unknown };
    if (envelope.error !== undefined && envelope.error !== null) {
      throw new OdooRpcError(operation, faultOf(envelope.error));
    }
    if (!('result' in envelope)) {
      throw new UpstreamError(ODOO_SYSTEM, operation, response.status, {
        cause: new Error('not a JSON-RPC answer'),
      });
    }
    return envelope.result;
  }
}

function faultOf(error: unknown): OdooFault {
  if (typeof error !== 'object' || error === null) return 'server';
  const { code, data } = error as { code?: unknown; data?: unknown };
  // Code 100 is Odoo's "session expired" answer, whatever the exception class.
  if (code === 100) return 'auth';
  const name =
    typeof data === 'object' && data !== null ? (data as { name?: unknown }).name : undefined;
  return (typeof name === 'string' && FAULTS[name]) || 'server';
}
