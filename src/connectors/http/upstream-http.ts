import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  wrap,
  CircuitState,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import type { ConnectorsConfig } from '../../config/connectors-config.js';
import { UpstreamError } from '../ports/upstream.error.js';

/** Larger answers are refused: no connector operation needs more, and memory stays bounded. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface UpstreamRequest {
  /** Names the call in errors, audit rows and metrics, e.g. `stock.quant.search_read`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Appended to the system's base URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent exactly as given, as JSON, instead of `body`: for payloads signed byte for byte. */
  rawBody?: string;
  headers?: Record<string, string>;
  /**
   * Reads are retried on transient failures. Writes are not: the outbox
   * retries them later with the message id as the idempotency key.
   */
  idempotent: boolean;
  /** Cancels the call, e.g. a readiness probe's own deadline. */
  signal?: AbortSignal;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the answer is not JSON. */
  body: T;
}

/**
 * A core system answered with an error status. Carries the parsed body so an
 * adapter can tell a permanent refusal from a transient failure; the body is
 * never logged or forwarded to agents (the problem filter only sees
 * `upstream_unavailable`).
 */
export class UpstreamStatusError extends UpstreamError {
  override name = 'UpstreamStatusError';

  constructor(
    system: string,
    operation: string,
    status: number,
    readonly body: unknown,
    retryAfterMs?: number,
  ) {
    super(system, operation, status, { retryAfterMs });
  }

  /** 4xx other than 408/425/429: asking again with the same input cannot succeed. */
  get permanent(): boolean {
    const s = this.upstreamStatus ?? 0;
    return s >= 400 && s < 500 && s !== 408 && s !== 425 && s !== 429;
  }
}

/** Network errors, timeouts, 5xx, 408, 425 and 429: worth another try and counted by the breaker. */
export function isTransient(error: unknown): boolean {
  if (error instanceof UpstreamStatusError) return !error.permanent;
  return !(error instanceof UpstreamError) || error.upstreamStatus === undefined;
}

/** The longest a read waits before its next attempt. */
const MAX_RETRY_DELAY_MS = 2_000;

function asksForLongerWait(error: unknown): boolean {
  return error instanceof UpstreamError && (error.retryAfterMs ?? 0) > MAX_RETRY_DELAY_MS;
}

/** Every client created in this process, by system: /metrics reports their circuits. */
const clients = new Map<string, UpstreamHttp>();

/** 1 while the system's circuit is open (calls fail fast), 0.5 half-open, 0 closed. */
export function circuitStates(): { system: string; open: number }[] {
  return [...clients.values()].map((client) => ({
    system: client.system,
    open:
      client.breaker.state === CircuitState.Closed
        ? 0
        : client.breaker.state === CircuitState.HalfOpen
          ? 0.5
          : 1,
  }));
}

type HeaderSource = () => Record<string, string> | Promise<Record<string, string>>;

export interface UpstreamHttpOptions {
  /** `odoo`, `erpnext`, `jira`, `webhook`: names the system in errors and metrics. */
  system: string;
  baseUrl: string;
  settings: ConnectorsConfig['upstream'];
  /** Credentials and fixed headers, asked for on every attempt (tokens may change). */
  headers?: HeaderSource;
}

/**
 * JSON over HTTP to one core system, with the SPEC §6 guarantees: a timeout on
 * every attempt, bounded retries with exponential backoff for reads only, and
 * a circuit breaker shared by every call to the system, so a dead ERP costs
 * agents a fast `upstream_unavailable` instead of a timeout each.
 */
export class UpstreamHttp {
  readonly system: string;
  readonly breaker: CircuitBreakerPolicy;
  private readonly reads: IPolicy;
  private readonly writes: IPolicy;

  constructor(private readonly options: UpstreamHttpOptions) {
    this.system = options.system;
    const { timeoutMs, readRetries, breakerFailures, breakerHalfOpenMs } = options.settings;
    const transient = handleWhen(isTransient);
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(breakerFailures),
    });
    const perAttempt = timeout(timeoutMs, TimeoutStrategy.Aggressive);
    // An open circuit is final for this call: retrying it would only add the backoff delays.
    // So is a core system asking for a longer wait than the backoff's (a 429 or 503 with
    // Retry-After): asking again at once would ignore it; the agent is told to wait instead.
    const retryable = handleWhen(
      (error) => !isBrokenCircuitError(error) && isTransient(error) && !asksForLongerWait(error),
    );
    const retries = retry(retryable, {
      maxAttempts: readRetries,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: MAX_RETRY_DELAY_MS }),
    });
    this.reads = wrap(retries, this.breaker, perAttempt);
    this.writes = wrap(this.breaker, perAttempt);
    clients.set(this.system, this);
  }

  async request<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const policy = req.idempotent ? this.reads : this.writes;
    try {
      return await policy.execute(({ signal }) => this.once<T>(req, signal), req.signal);
    } catch (error) {
      throw this.toUpstreamError(req.operation, error);
    }
  }

  private async once<T>(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse<T>> {
    const url = new URL(this.options.baseUrl + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(await this.options.headers?.()),
      ...req.headers,
    };
    const payload = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(url, {
      method: req.method,
      headers,
      body: payload,
      signal,
      redirect: 'error',
    });
    const body = await readBody(response, this.system, req.operation);
    if (!response.ok) {
      throw new UpstreamStatusError(
        this.system,
        req.operation,
        response.status,
        body,
        retryAfterMs(response.headers.get('retry-after'), Date.now()),
      );
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }

  /** Everything leaves as an UpstreamError naming the system and operation, never the URL or credentials. */
  private toUpstreamError(operation: string, error: unknown): UpstreamError {
    if (error instanceof UpstreamError) return error;
    if (isBrokenCircuitError(error)) {
      // About when the open circuit lets a trial call through: the agent's Retry-After.
      return new UpstreamError(this.system, operation, undefined, {
        cause: new Error('circuit open'),
        retryAfterMs: this.options.settings.breakerHalfOpenMs,
      });
    }
    const reason =
      error instanceof TaskCancelledError || isAbort(error)
        ? 'timed out or cancelled'
        : 'unreachable';
    return new UpstreamError(this.system, operation, undefined, { cause: new Error(reason) });
  }
}

/**
 * fetch may reject with the abort reason before the timeout policy reports its
 * own error. (cockatiel 3.2's isTaskCancelledError tests for the wrong marker
 * property, hence instanceof above.)
 */
function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readBody(response: Response, system: string, operation: string): Promise<unknown> {
  const tooLarge = (): UpstreamError =>
    new UpstreamError(system, operation, response.status, {
      cause: new Error('response too large'),
    });
  if (Number(response.headers.get('content-length') ?? 0) > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  // Counted while streaming: a chunked answer has no length to check up front.
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  if (response.body) {
    for await (const part of response.body) {
      const chunk = part as Uint8Array;
      bytes += chunk.byteLength;
      if (bytes > MAX_RESPONSE_BYTES) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks, bytes).toString('utf8');
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // An error page with a JSON content type (a proxy's 502, say) is still that error.
    if (!response.ok) return text;
    throw new UpstreamError(system, operation, response.status, {
      cause: new Error('invalid JSON in response'),
    });
  }
}
