import { Injectable, Logger } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  CallToolRequestSchema,
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../../auth/principal.js';
import { buildProblem } from '../../common/errors/problem.js';
import { ManifestService } from '../manifest.service.js';
import { answerInvalidParams } from './invalid-params.js';
import { ToolDispatcher, type Caller } from './tool-dispatcher.js';

/** The newest MCP revision this server speaks; older ones the SDK supports are negotiated down. */
export const MCP_PROTOCOL_VERSION = LATEST_PROTOCOL_VERSION;

const INSTRUCTIONS = [
  "Gatehouse exposes a company's sales and operations tools: product search and stock, order and delivery status, internal requests, sales leads and human handoff.",
  'Only the tools your credential allows are listed. Read each tool description before calling it.',
  'A failed call returns isError with a problem JSON: follow its agentHint, and offer request_human_handoff when a company system is unavailable.',
  'Write tools take an idempotencyKey argument: a new unique value per new request, the same value to retry it.',
].join(' ');

export interface McpExchange {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * A stateless MCP server (Streamable HTTP, JSON responses): every POST gets
 * a fresh SDK server bound to the authenticated caller, so tools/list and
 * tools/call always see that caller's scopes and nothing is shared.
 */
@Injectable()
export class McpService {
  private readonly logger = new Logger(McpService.name);
  /**
   * One validator for every per-request server: left to itself, each SDK
   * server builds its own Ajv instance, which cost a tenth of a tools/call.
   */
  private readonly jsonSchemaValidator = new AjvJsonSchemaValidator();

  constructor(
    private readonly manifests: ManifestService,
    private readonly dispatcher: ToolDispatcher,
  ) {}

  async handle(
    request: Request,
    body: unknown,
    principal: Principal,
    caller: Caller,
  ): Promise<McpExchange> {
    const server = this.serverFor(principal, caller);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      answerInvalidParams(transport, (error) =>
        this.logger.error(
          { requestId: caller.requestId, err: String(error) },
          'could not answer invalid params',
        ),
      );
      const response = await transport.handleRequest(request, { parsedBody: body });
      return { status: response.status, headers: response.headers, body: await response.text() };
    } finally {
      await transport.close();
      await server.close();
    }
  }

  private serverFor(principal: Principal, caller: Caller): Server {
    // The low-level Server (not McpServer) takes JSON Schema tool definitions as they are.
    const server = new Server(
      { name: 'gatehouse', title: 'Gatehouse', version: '1.0.0' },
      {
        capabilities: { tools: { listChanged: false } },
        instructions: INSTRUCTIONS,
        jsonSchemaValidator: this.jsonSchemaValidator,
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () =>
      this.manifests.manifest('mcp', principal),
    );
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const tool = this.manifests.find(request.params.name);
      if (!tool)
        throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
      try {
        // Tools outside the caller's scopes are still dispatched: the HTTP route refuses and audits them.
        return await this.dispatcher.call(tool, request.params.arguments ?? {}, caller);
      } catch (error) {
        // The SDK would put the message into the JSON-RPC error; internals must not leak (SPEC §4).
        this.logger.error(
          { requestId: caller.requestId, err: String(error) },
          'tool dispatch failed',
        );
        const problem = buildProblem('internal_error', caller.requestId);
        return {
          isError: true,
          content: [{ type: 'text', text: JSON.stringify(problem) }],
          structuredContent: { ...problem },
        };
      }
    });
    return server;
  }
}
