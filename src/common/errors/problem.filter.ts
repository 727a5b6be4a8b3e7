import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from './error-codes.js';
import { GatehouseError } from './gatehouse.error.js';
import { buildProblem, type ProblemBody } from './problem.js';
import { RouteTable } from '../http/route-table.js';
import { OAuthError } from '../../auth/oauth.error.js';
import { UpstreamError } from '../../connectors/ports/upstream.error.js';
import { AuditUnavailableError } from '../../audit/audit-writer.service.js';
import { isStoreUnavailable, STORE_UNAVAILABLE_DETAIL } from '../../database/store-unavailable.js';

interface Classified {
  error: GatehouseError;
  unexpected?: unknown;
  /** For a core system's failure: what the log line says of it (see upstreamSummary). */
  upstream?: Record<string, unknown>;
}

/**
 * Turns every exception into RFC 9457 problem+json. Nothing from the original
 * exception reaches the client except through a catalogued code, so stack
 * traces, SQL and upstream internals never leak.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    if (exception instanceof OAuthError) {
      sendOAuthError(reply, exception);
      return;
    }
    const { error, unexpected, upstream } = this.classify(exception, request);
    const oauthDescription = request.url.startsWith('/oauth/')
      ? OAUTH_REQUEST_ERRORS[error.status]
      : undefined;
    if (oauthDescription !== undefined) {
      // Token endpoint clients parse RFC 6749 errors, not problem+json: a request
      // the endpoint cannot read is §5.2's 400 invalid_request, whatever the reason.
      sendOAuthError(reply, new OAuthError('invalid_request', oauthDescription || error.message));
      return;
    }
    if (upstream !== undefined) {
      // Expected in operation (a core system is down): which system, what and why, at warn.
      this.logger.warn({ reqId: request.id, upstream }, 'core system call failed');
    } else if (unexpected !== undefined) {
      this.logger.error({ reqId: request.id, err: describe(unexpected) }, 'unhandled error');
    }
    sendProblem(reply, request.id, error);
  }

  private classify(exception: unknown, request: FastifyRequest): Classified {
    if (exception instanceof GatehouseError) return { error: exception };
    if (exception instanceof AuditUnavailableError) {
      return {
        error: new GatehouseError('service_unavailable', {
          detail: isStoreUnavailable(exception)
            ? STORE_UNAVAILABLE_DETAIL
            : 'The audit trail could not be written, so nothing was changed.',
          retryAfterSeconds: 5,
        }),
        unexpected: exception,
      };
    }
    if (exception instanceof UpstreamError) {
      const upstream = upstreamSummary(exception);
      return {
        error: new GatehouseError('upstream_unavailable', {
          detail: upstreamDetail(upstream),
          retryAfterSeconds: upstreamWaitSeconds(exception),
        }),
        unexpected: exception,
        upstream,
      };
    }
    // The client closed the connection while its body was being read: Node's ECONNRESET
    // "aborted" would otherwise pass for a database outage (503, logged as an error).
    if (clientAborted(request)) {
      return {
        error: new GatehouseError('bad_request', {
          detail: 'The connection closed before the request body was complete.',
        }),
      };
    }
    // After UpstreamError: a core system's socket errors are not the database's.
    if (isStoreUnavailable(exception)) {
      return {
        error: new GatehouseError('service_unavailable', {
          detail: STORE_UNAVAILABLE_DETAIL,
          retryAfterSeconds: 5,
        }),
        unexpected: exception,
      };
    }
    const status = statusOf(exception);
    const fastifyCode = (exception as { code?: unknown } | null)?.code;
    if (status === 404) {
      const allowed = this.routes.allowedMethods(request.url);
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        return {
          error: new GatehouseError('method_not_allowed', {
            detail: `${request.method} is not allowed here; use ${allowed.join(', ')}.`,
            headers: { allow: allowed.join(', ') },
          }),
        };
      }
      return {
        error: new GatehouseError('route_not_found', {
          detail: `There is no endpoint ${request.method} ${request.url.split('?')[0] ?? ''}.`,
        }),
      };
    }
    if (exception instanceof SyntaxError || fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return { error: new GatehouseError('malformed_json') };
    }
    if (fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return { error: new GatehouseError('malformed_json', { detail: 'The JSON body is empty.' }) };
    }
    const byStatus: Record<number, ErrorCode> = {
      400: 'bad_request',
      405: 'method_not_allowed',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
      429: 'rate_limited',
      503: 'service_unavailable',
    };
    if (status !== undefined && byStatus[status]) {
      const code = byStatus[status];
      if (code === 'bad_request' && isBodyParseError(exception)) {
        return { error: new GatehouseError('malformed_json') };
      }
      return { error: new GatehouseError(code) };
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return { error: new GatehouseError('bad_request') };
    }
    return { error: new GatehouseError('internal_error'), unexpected: exception };
  }
}

/**
 * Its body was cut off: the stream was aborted before it completed. A client
 * that hangs up after sending a whole request (a GET whose answer it stopped
 * waiting for) is not this: that request's own failure stands.
 */
function clientAborted(request: FastifyRequest): boolean {
  return request.raw.readableAborted && !request.raw.complete;
}

/** Malformed requests to the OAuth endpoints, by HTTP status: a description ('' keeps the error's own). */
const OAUTH_REQUEST_ERRORS: Record<number, string> = {
  400: '',
  413: 'The request body is too large.',
  415: 'Send the parameters as application/x-www-form-urlencoded (or application/json).',
};

export function sendProblem(reply: FastifyReply, requestId: string, error: GatehouseError): void {
  const body: ProblemBody = buildProblem(error.code, requestId, error.options);
  const headers: Record<string, string> = { ...(error.options.headers ?? {}) };
  if (body.status === 401 && !headers['www-authenticate']) {
    headers['www-authenticate'] =
      error.code === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer';
  }
  if (error.options.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(error.options.retryAfterSeconds);
  }
  void reply
    .status(body.status)
    .headers(headers)
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    .send(body);
}

/** The token endpoints answer in RFC 6749 §5.2's format, not problem+json. */
function sendOAuthError(reply: FastifyReply, error: OAuthError): void {
  if (error.basicChallenge) void reply.header('www-authenticate', 'Basic realm="gatehouse"');
  void reply
    .status(error.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json')
    .send({ error: error.error, error_description: error.description });
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = (exception as { statusCode?: unknown; status?: unknown } | null) ?? {};
  const status = candidate.statusCode ?? candidate.status;
  return typeof status === 'number' ? status : undefined;
}

function isBodyParseError(exception: unknown): boolean {
  const message = exception instanceof Error ? exception.message : '';
  return /JSON|Unexpected token|Unexpected end/i.test(message);
}

function describe(exception: unknown): Record<string, unknown> {
  if (exception instanceof Error) {
    return { type: exception.name, message: exception.message, stack: exception.stack };
  }
  return { value: String(exception) };
}

/** Gatehouse's own reasons ("timed out or cancelled", "circuit open", "odoo fault: auth", …), never upstream text. */
const UPSTREAM_REASON = /^[a-z][a-z0-9 ,:'()_-]{0,60}$/i;

/**
 * What an operator needs to tell "ERP down" from "key revoked" from "circuit
 * open": the system, the operation, the HTTP status if there was one and
 * Gatehouse's reason, found along the cause chain.
 */
function upstreamSummary(error: UpstreamError): Record<string, unknown> {
  let status = error.upstreamStatus;
  let reason: string | undefined;
  for (let e: unknown = error.cause, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof UpstreamError) status ??= e.upstreamStatus;
    else if (UPSTREAM_REASON.test(e.message)) reason ??= e.message;
    e = e.cause;
  }
  return {
    system: error.system,
    operation: error.operation,
    ...(status !== undefined ? { status } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(error.name !== 'UpstreamError' ? { error: error.name } : {}),
  };
}

/** What kind of failure it was, for the agent, with nothing of the system's own answer. */
function upstreamDetail(summary: Record<string, unknown>): string {
  if (summary.reason === 'circuit open') {
    return 'A company system kept failing, so Gatehouse is not calling it for a short while.';
  }
  if (summary.reason === 'unreachable') return 'A company system could not be reached.';
  if (summary.reason === 'timed out or cancelled')
    return 'A company system did not answer in time.';
  return 'A company system answered with an error.';
}

/**
 * How long an agent should wait after an upstream failure: what the core
 * system asked for (its Retry-After on a 429 or 503) or, for an open circuit,
 * until it lets a trial call through; bounded to 1-300 s; else 30 s.
 */
function upstreamWaitSeconds(error: UpstreamError): number {
  if (error.retryAfterMs === undefined) return 30;
  return Math.min(300, Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
}
