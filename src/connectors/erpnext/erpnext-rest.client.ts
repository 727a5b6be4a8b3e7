import type { ErpNextSettings, ConnectorsConfig } from '../../config/connectors-config.js';
import { UpstreamHttp, UpstreamStatusError } from '../http/upstream-http.js';

/** One Frappe filter: `[field, op, value]`, or `[doctype, field, op, value]` to filter on a child table. */
export type FrappeFilter = [string, string, FrappeValue] | [string, string, string, FrappeValue];
export type FrappeValue = string | number | readonly (string | number)[];

export interface ListQuery {
  fields: readonly string[];
  filters?: readonly FrappeFilter[];
  /** OR-ed together, then AND-ed with `filters` (Frappe's `or_filters`). */
  orFilters?: readonly FrappeFilter[];
  orderBy?: string;
  limit: number;
  start?: number;
}

export type FrappeDoc = Record<string, unknown>;

const SYSTEM = 'erpnext';

/**
 * The Frappe REST API (`/api/resource/<DocType>`) over UpstreamHttp, so every
 * call gets the timeout, read retries and the circuit breaker shared by all
 * ERPNext capabilities. Answers are checked for shape here, once.
 */
export class ErpNextRestClient {
  readonly http: UpstreamHttp;

  constructor(settings: ErpNextSettings, upstream: ConnectorsConfig['upstream']) {
    const authorization = `token ${settings.apiKey}:${settings.apiSecret}`;
    this.http = new UpstreamHttp({
      system: SYSTEM,
      baseUrl: settings.url,
      settings: upstream,
      headers: () => ({ authorization }),
    });
  }

  async list(doctype: string, query: ListQuery): Promise<FrappeDoc[]> {
    const response = await this.http.request<unknown>({
      operation: `${doctype}.list`,
      method: 'GET',
      path: resourcePath(doctype),
      query: {
        fields: JSON.stringify(query.fields),
        filters: query.filters && JSON.stringify(query.filters),
        or_filters: query.orFilters && JSON.stringify(query.orFilters),
        order_by: query.orderBy,
        limit_start: query.start,
        // Frappe reads 0 as "no limit"; a caller asking for nothing gets nothing without asking.
        limit_page_length: query.limit,
      },
      idempotent: true,
    });
    const data = dataOf(response.body, doctype);
    if (!Array.isArray(data)) throw malformed(doctype, 'list', response.status);
    return data.filter(isDoc);
  }

  /**
   * The whole document with its child tables; null when Frappe says it does
   * not exist. Only Frappe's own `DoesNotExistError` means that: a 404 from a
   * proxy, or from a wrong ERPNEXT_URL (`PageDoesNotExistError`), would tell
   * the agent that a real order does not exist.
   */
  async get(doctype: string, name: string): Promise<FrappeDoc | null> {
    try {
      const response = await this.http.request<unknown>({
        operation: `${doctype}.get`,
        method: 'GET',
        path: `${resourcePath(doctype)}/${encodeURIComponent(name)}`,
        idempotent: true,
      });
      const data = dataOf(response.body, doctype);
      if (!isDoc(data)) throw malformed(doctype, 'get', response.status);
      return data;
    } catch (error) {
      if (
        error instanceof UpstreamStatusError &&
        error.upstreamStatus === 404 &&
        frappeExcType(error) === 'DoesNotExistError'
      ) {
        return null;
      }
      throw error;
    }
  }

  /** Never retried here: the sinks look for an earlier copy before the outbox tries again. */
  async insert(doctype: string, doc: FrappeDoc): Promise<FrappeDoc> {
    const response = await this.http.request<unknown>({
      operation: `${doctype}.insert`,
      method: 'POST',
      path: resourcePath(doctype),
      body: doc,
      idempotent: false,
    });
    const data = dataOf(response.body, doctype);
    if (!isDoc(data) || typeof data.name !== 'string') {
      throw malformed(doctype, 'insert', response.status);
    }
    return data;
  }

  /**
   * `frappe.auth.get_logged_user` rather than `ping`: it needs a valid token,
   * so readiness also fails when the API key is revoked. One attempt only:
   * readiness reports the state now, under its own deadline.
   */
  async ping(signal: AbortSignal): Promise<void> {
    await this.http.request({
      operation: 'frappe.auth.get_logged_user',
      method: 'GET',
      path: '/api/method/frappe.auth.get_logged_user',
      idempotent: false,
      signal,
    });
  }
}

function resourcePath(doctype: string): string {
  return `/api/resource/${encodeURIComponent(doctype)}`;
}

function dataOf(body: unknown, doctype: string): unknown {
  if (!isDoc(body) || !('data' in body)) throw malformed(doctype, 'read', undefined);
  return body.data;
}

function isDoc(value: unknown): value is FrappeDoc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(doctype: string, what: string, status: number | undefined): Error {
  return new UpstreamStatusError(SYSTEM, `${doctype}.${what}`, status ?? 502, 'malformed answer');
}

/**
 * Frappe's exception class from an error answer (`ValidationError`,
 * `PermissionError`, ...). Only a bare class name is kept: the message and
 * traceback in the body may hold data that must not reach logs.
 */
export function frappeExcType(error: unknown): string | undefined {
  if (!(error instanceof UpstreamStatusError) || !isDoc(error.body)) return undefined;
  const type = error.body.exc_type;
  return typeof type === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(type) ? type : undefined;
}
