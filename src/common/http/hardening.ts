import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HelmetOptions } from 'helmet';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { GatehouseError } from '../errors/gatehouse.error.js';
import { buildProblem } from '../errors/problem.js';
import { sendProblem } from '../errors/problem.filter.js';
import { unsafeBody } from './json-body.js';
import { securityHeaders } from './security-headers.js';

export const MAX_URL_LENGTH = 2048;
/**
 * Fastify's router refuses a longer path parameter (decoded) before any hook
 * runs: createApp passes it as `routerOptions.maxParamLength`.
 */
export const MAX_PATH_PARAM_LENGTH = 256;
export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_HEADER_COUNT = 100;

/** Documentation and discovery documents may be cached; every other answer is per caller. */
const CACHEABLE = /^\/(docs(\/|\?|$)|openapi\.json(\?|$)|\.well-known\/)/;
const DOCS = /^\/docs(\/|$)/;

/**
 * JSON answers are never rendered as pages: nothing may load, frame or submit
 * anything. They carry the headers the OWASP REST Security Cheat Sheet lists
 * for APIs (CSP, HSTS, nosniff, X-Frame-Options, with Cache-Control set
 * below), not helmet's headers for HTML documents: each one costs about half
 * a microsecond on every answer and none of them protects JSON.
 */
const API_HELMET: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * Swagger UI is an HTML page: all of helmet's document headers. It loads its
 * own scripts and styles, injects inline styles, shows data: images and
 * fetches /openapi.json; no inline script is needed. No
 * upgrade-insecure-requests: the UI must work on plain-HTTP localhost.
 */
const DOCS_HELMET = {
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
} satisfies HelmetOptions;

/**
 * HTTP hardening applied to the Fastify instance before routes are registered
 * (SPEC §10): security headers, no-store caching, URL, header and JSON depth
 * bounds, a whole-request timeout and problem+json for connection-level errors.
 */
export function applyHardening(fastify: FastifyInstance, config: AppConfig): void {
  const api = securityHeaders(API_HELMET);
  const apiNoStore = Object.freeze({ ...api, 'cache-control': 'no-store' });
  const docs = securityHeaders(DOCS_HELMET);
  // Set first, so a handler that names its own Cache-Control overrides no-store.
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    void reply.headers(!CACHEABLE.test(url) ? apiNoStore : DOCS.test(url) ? docs : api);
    done();
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    done(oversized(request), payload);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    done(unsafeBody(request));
  });
  limitRequestTime(fastify.server, config.requestTimeoutMs);
  // Fastify takes a clientErrorHandler only as a constructor option; this swaps in ours afterwards.
  fastify.server.removeAllListeners('clientError');
  fastify.server.on('clientError', answerClientError);
}

function oversized(request: FastifyRequest): GatehouseError | undefined {
  if (request.url.length > MAX_URL_LENGTH) {
    return new GatehouseError('uri_too_long', {
      detail: `The URL is ${request.url.length} characters long; the limit is ${MAX_URL_LENGTH}.`,
    });
  }
  const raw = request.raw.rawHeaders;
  let bytes = 0;
  for (const part of raw) bytes += part.length + 2;
  if (raw.length / 2 > MAX_HEADER_COUNT || bytes > MAX_HEADER_BYTES) {
    return new GatehouseError('headers_too_large', {
      detail: `Send at most ${MAX_HEADER_COUNT} headers and ${MAX_HEADER_BYTES} bytes of headers.`,
    });
  }
  return undefined;
}

/**
 * A client must deliver its whole request within the timeout (slow-loris).
 * Node reads these at check time, so setting them after construction works;
 * the checking interval is shortened so the bound holds within a quarter of it.
 */
function limitRequestTime(server: Server, requestTimeoutMs: number): void {
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(10_000, requestTimeoutMs);
  Object.assign(server, {
    connectionsCheckingInterval: Math.max(250, Math.min(30_000, Math.floor(requestTimeoutMs / 4))),
  });
}

/**
 * FastifyAdapter's `frameworkErrors` option: the router answers a malformed
 * percent-encoding (FST_ERR_BAD_URL) and an over-long path parameter
 * (FST_ERR_MAX_PARAM_LENGTH) itself, before any hook or Nest filter runs, in
 * Fastify's own JSON; this answers them as problems. Constructor-only, so
 * createApp passes it.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply.header('x-request-id', request.id);
  sendProblem(
    reply,
    request.id,
    new GatehouseError(tooLong ? 'uri_too_long' : 'bad_request', {
      detail: tooLong
        ? 'A path segment is longer than 256 characters.'
        : 'The URL is not validly percent-encoded.',
    }),
  );
}

/** Errors Node raises before a request exists (timeouts, oversized or malformed heads), as problem+json. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const code: ErrorCode =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? 'headers_too_large'
          : 'bad_request';
    const problem = buildProblem(code, randomUUID());
    const body = JSON.stringify(problem);
    const status = problem.status;
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        `X-Request-Id: ${problem.instance}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
