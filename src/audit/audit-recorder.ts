import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SERVER_SECRETS } from '../config/config.module.js';
import type { ServerSecrets } from '../config/local-secrets.js';
import { elapsedMs, type RequestContext } from '../common/http/request-context.js';
import { buildProblem } from '../common/errors/problem.js';
import { INFRASTRUCTURE_PATH, isRefusedScrape } from '../common/http/infrastructure-paths.js';
import { isStoreUnavailable, STORE_UNAVAILABLE_DETAIL } from '../database/store-unavailable.js';
import type { Prisma } from '../generated/sqlite/client.js';
import { AuditWriter, type AuditEventInput, type AuditOutcome } from './audit-writer.service.js';
import { redactSummary, type RedactionRules } from './redaction.js';

const AGENT_HEADER_VALUE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
/**
 * Answers given before the body was looked at (no credential, over the size
 * limit, throttled): recording the body would only let an outside caller
 * grow the append-only trail with whatever it sends.
 */
const BODY_NOT_READ = new Set([401, 413, 429]);
const BODY_NOT_RECORDED = '[NOT RECORDED]';

/** The OAuth endpoints read the body to authenticate: a failed login keeps the client_id it tried. */
function bodyWasRead(status: number, route: string): boolean {
  return !BODY_NOT_READ.has(status) || (status === 401 && route.startsWith('/oauth/'));
}
/** The MCP exchange's own route: its `params.name` names a tool, not a person. */
const MCP_ROUTE = '/mcp';
const MCP_PLAIN_PATHS = ['body.params.name'];

/**
 * Builds one audit event per API request from what the request carried and
 * what is about to be sent, and writes it before the response leaves.
 */
@Injectable()
export class AuditRecorder {
  private readonly logger = new Logger(AuditRecorder.name);
  private readonly rules: RedactionRules;
  private readonly mcpRules: RedactionRules;
  /** Per tool's `auditPlain` list, so each rules object is compiled once. */
  private readonly responseRules = new WeakMap<readonly string[], RedactionRules>();

  constructor(
    private readonly writer: AuditWriter,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(SERVER_SECRETS) private readonly secrets: ServerSecrets,
  ) {
    this.rules = { extraFields: config.auditRedactFields };
    this.mcpRules = { extraFields: config.auditRedactFields, plainPaths: MCP_PLAIN_PATHS };
  }

  /** API calls; and scrapes of /metrics refused for their token (401, 429): a security event. */
  shouldAudit(url: string, status?: number): boolean {
    return !INFRASTRUCTURE_PATH.test(url) || (status !== undefined && isRefusedScrape(url, status));
  }

  /** Lets a write tool append the event inside its own transaction. */
  attach(request: FastifyRequest): void {
    if (!this.shouldAudit(request.url)) return;
    request.ctx.auditInTransaction = async (tx, status, body) => {
      await this.writer.appendInTransaction(tx as Prisma.TransactionClient, [
        this.eventFor(request, status, body),
      ]);
    };
  }

  /**
   * Fastify onSend: writes the event unless the handler already did. When the
   * audit trail cannot be written, the response becomes a 503 instead.
   */
  async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const ctx: RequestContext | undefined = request.ctx;
    if (!ctx || ctx.audited || !this.shouldAudit(request.url, reply.statusCode)) return payload;
    ctx.audited = true;
    try {
      const body = ctx.responseBody !== undefined ? ctx.responseBody : parseBody(payload);
      await this.writer.append(this.eventFor(request, reply.statusCode, body));
      return payload;
    } catch (error) {
      this.logger.error({ reqId: request.id }, 'audit trail unavailable; answering 503');
      const problem = buildProblem('service_unavailable', request.id, {
        detail: isStoreUnavailable(error)
          ? STORE_UNAVAILABLE_DETAIL
          : 'The audit trail could not be written, so the request was not completed.',
        retryAfterSeconds: 5,
      });
      void reply.code(503).header('retry-after', '5').type('application/problem+json');
      return JSON.stringify(problem);
    }
  }

  eventFor(request: FastifyRequest, status: number, body: unknown): AuditEventInput {
    const ctx = request.ctx;
    const principal = request.principal;
    const headers = request.headers;
    const route = ctx.route ?? request.url.split('?')[0] ?? request.url;
    const requestBody = request.body ?? null;
    return {
      kind: 'request',
      transport: ctx.transport,
      requestId: request.id,
      clientId: principal?.clientId ?? ctx.clientId ?? null,
      credentialId: principal?.credentialId ?? null,
      credentialType: principal?.credentialType ?? null,
      agentId: agentHeader(headers['x-agent-id']),
      conversationId: agentHeader(headers['x-conversation-id']),
      endUserHash: this.hashEndUser(headers['x-end-user-id']),
      tool: ctx.tool ?? null,
      method: request.method,
      route,
      status,
      outcome: outcomeOf(status, body),
      latencyMs: elapsedMs(ctx),
      request: redactSummary(
        {
          params: request.params ?? {},
          query: request.query ?? {},
          body:
            requestBody !== null && !bodyWasRead(status, route) ? BODY_NOT_RECORDED : requestBody,
        },
        route === MCP_ROUTE ? this.mcpRules : this.rules,
      ),
      response: redactSummary(summarize(status, body), this.rulesFor(ctx.auditPlain)),
      upstream: ctx.upstream,
    };
  }

  /** A tool's `auditPlain` answer fields are top-level paths of its response summary. */
  private rulesFor(plain: readonly string[] | undefined): RedactionRules {
    if (!plain || plain.length === 0) return this.rules;
    let rules = this.responseRules.get(plain);
    if (!rules) {
      rules = { extraFields: this.rules.extraFields, plainPaths: plain };
      this.responseRules.set(plain, rules);
    }
    return rules;
  }

  private hashEndUser(value: string | string[] | undefined): string | null {
    if (typeof value !== 'string' || value === '') return null;
    return createHmac('sha256', this.secrets.pepper)
      .update(`end-user:${value}`)
      .digest('hex')
      .slice(0, 32);
  }
}

function agentHeader(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return AGENT_HEADER_VALUE.test(value) ? value : '[invalid]';
}

export function outcomeOf(status: number, body: unknown): AuditOutcome {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status < 500) return 'invalid';
  const code = (body as { code?: unknown } | null)?.code;
  return code === 'upstream_unavailable' ? 'upstream_error' : 'error';
}

/** A short summary: problem code for errors, counts and ids for successes — never whole records. */
function summarize(status: number, body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  if (status >= 400) {
    return { code: record.code ?? record.error ?? null, errors: record.errors ?? undefined };
  }
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value)) summary[`${key}Count`] = value.length;
    else if (
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    )
      summary[key] = value;
  }
  return summary;
}

/** A JSON response body for its audit summary: null when it is not JSON or over 256 KiB (not parsed). */
export function parseBody(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload.length > 256 * 1024) return null;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
}
