import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CallToolRequestSchema, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseBody } from '../../audit/audit-recorder.js';
import { AuthGuard } from '../../auth/auth.guard.js';
import type { Principal } from '../../auth/principal.js';
import { Public } from '../../auth/public.decorator.js';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ThrottlingService } from '../../throttling/throttling.service.js';
import { isRecord } from '../json-schema.js';
import { ManifestService } from '../manifest.service.js';
import { McpService } from './mcp.service.js';
import { toHttpCall } from './tool-dispatcher.js';

/** The request headers the Streamable HTTP transport reads. */
const TRANSPORT_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id'];

/**
 * MCP over Streamable HTTP (stateless, JSON responses) at /mcp, with the
 * same credentials as the HTTP API. No session is kept, so there is no SSE
 * stream to GET and no session to DELETE.
 */
@ApiExcludeController()
@Public()
@Controller('mcp')
export class McpController {
  private readonly resourceMetadata: string;
  private readonly trustedOrigins: Set<string>;

  constructor(
    private readonly mcp: McpService,
    private readonly manifests: ManifestService,
    private readonly auth: AuthGuard,
    private readonly throttling: ThrottlingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.resourceMetadata = `${config.token.issuer}/.well-known/oauth-protected-resource`;
    this.trustedOrigins = new Set([originOf(config.token.issuer), ...config.corsOrigins]);
  }

  @Post()
  async post(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    request.ctx.transport = 'mcp';
    const origin = request.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      // MCP transport spec: an invalid Origin is answered 403 (DNS rebinding protection).
      await reply
        .code(403)
        .type('application/json')
        .send({
          jsonrpc: '2.0',
          error: {
            code: -32000,
            message: `Origin ${origin} is not allowed to use this MCP server.`,
          },
          id: null,
        });
      return;
    }
    const principal = await this.authenticate(request);
    request.principal = principal;
    // The throttle guard ran before the caller was known. A tools/call that is dispatched
    // is counted as the tool's own request; every other message counts as a read here,
    // tools/call messages refused before dispatch (invalid params, unknown tool, bad
    // arguments) and tools/call notifications (never run) included.
    const messages: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
    for (const message of messages) {
      if (this.dispatched(message)) continue;
      this.throttling.enforce(await this.throttling.forClient(principal, 'read'), reply);
    }
    const exchange = await this.mcp.handle(this.webRequest(request), request.body, principal, {
      headers: request.headers,
      remoteAddress: request.raw.socket.remoteAddress ?? request.ip,
      requestId: request.id,
    });
    request.ctx.responseBody = auditedAnswer(exchange.body);
    void reply.code(exchange.status).header('cache-control', 'no-store');
    exchange.headers.forEach((value, name) => {
      if (name !== 'content-length') void reply.header(name, value);
    });
    await reply.send(exchange.body === '' ? undefined : exchange.body);
  }

  @Get()
  sse(@Req() request: FastifyRequest): never {
    request.ctx.transport = 'mcp';
    throw notAllowed();
  }

  @Delete()
  endSession(@Req() request: FastifyRequest): never {
    request.ctx.transport = 'mcp';
    throw notAllowed();
  }

  /**
   * Whether a message is a tools/call the server will run as the tool's own
   * HTTP request: a request (not a notification) whose params fit the SDK's
   * schema (others are answered -32602), naming a known tool, with arguments
   * that fit the tool's URL and header parameters.
   */
  private dispatched(message: unknown): boolean {
    if (!isJSONRPCRequest(message)) return false;
    const call = CallToolRequestSchema.safeParse(message);
    if (!call.success) return false;
    const { name, arguments: args = {} } = call.data.params;
    const tool = this.manifests.find(name);
    return tool !== undefined && !('invalid' in toHttpCall(tool, args));
  }

  private originAllowed(origin: string): boolean {
    return this.trustedOrigins.has(origin) || this.config.corsOrigins.includes('*');
  }

  /** As AuthGuard, but a 401 names the RFC 9728 metadata MCP clients discover OAuth from. */
  private async authenticate(request: FastifyRequest): Promise<Principal> {
    try {
      return await this.auth.authenticate(request);
    } catch (error) {
      if (!(error instanceof GatehouseError) || error.status !== 401) throw error;
      const challenge =
        error.code === 'invalid_token'
          ? `Bearer error="invalid_token", resource_metadata="${this.resourceMetadata}"`
          : `Bearer resource_metadata="${this.resourceMetadata}"`;
      throw new GatehouseError(error.code, {
        ...error.options,
        headers: { ...error.options.headers, 'www-authenticate': challenge },
      });
    }
  }

  private webRequest(request: FastifyRequest): Request {
    const headers = new Headers();
    for (const name of TRANSPORT_HEADERS) {
      const value = request.headers[name];
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return new Request(new URL(request.url, this.config.token.issuer), { method: 'POST', headers });
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The JSON-RPC answer (or a batch's answers) as the exchange's audit event
 * summarises it: each error reduced to its code (-32602 for invalid params),
 * never its message.
 */
function auditedAnswer(body: string): unknown {
  // Not JSON, or too large to parse: left to the recorder, which comes to the same null.
  const answer = parseBody(body);
  if (answer === null) return undefined;
  const codeOnly = (one: unknown): unknown =>
    isRecord(one) && isRecord(one.error) ? { ...one, error: one.error.code } : one;
  return Array.isArray(answer) ? answer.map(codeOnly) : codeOnly(answer);
}

function notAllowed(): GatehouseError {
  return new GatehouseError('method_not_allowed', {
    detail: 'This MCP server is stateless: send every JSON-RPC message with POST /mcp.',
    headers: { allow: 'POST' },
  });
}
