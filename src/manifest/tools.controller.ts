import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard } from '../auth/auth.guard.js';
import { Public } from '../auth/public.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ThrottlingService } from '../throttling/throttling.service.js';
import { ApiProblems } from '../tools/tool.decorator.js';
import { ToolsQuery } from './dto/tools-query.dto.js';
import { ManifestService } from './manifest.service.js';
import type { ToolManifests } from './tool-manifests.js';

export const MANIFEST_TAG = 'Agent tools';

/** Answers whether the request carries a credential at all (an empty one still counts). */
export function hasCredential(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
}

@ApiTags(MANIFEST_TAG)
@Public()
@Controller('v1/tools')
export class ToolsController {
  constructor(
    private readonly manifests: ManifestService,
    private readonly auth: AuthGuard,
    private readonly throttling: ThrottlingService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'get_tool_manifest',
    summary: 'Tool definitions for LLM function calling',
    description: [
      "The agent tools in the dialect of one LLM API, derived from this OpenAPI document: name, description written for the model and a dereferenced JSON Schema of the arguments (path, query and body parameters in one object; a write tool's Idempotency-Key header is the `idempotencyKey` argument).",
      "Without a credential the whole catalogue is returned; with one (Bearer token or API key) only the tools its scopes and policies allow, and the call counts as a read against the client's rate limit. An invalid credential is refused.",
      'openai definitions are valid under `strict: true`: every property is required and optional ones accept null, which means "not given".',
    ].join(' '),
    security: [{}, { oauth2: [] }, { apiKey: [] }],
  })
  @ApiOkResponse({
    description: 'The tool definitions, ready to pass to the provider.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          description:
            'openai, anthropic, mcp: `{tools: [...]}`; gemini: `{functionDeclarations: [...]}`.',
          properties: {
            tools: { type: 'array', items: { type: 'object' } },
            functionDeclarations: { type: 'array', items: { type: 'object' } },
          },
        },
        example: {
          tools: [
            {
              type: 'function',
              function: {
                name: 'check_inventory',
                description: 'Stock of one product per warehouse: ...',
                parameters: {
                  type: 'object',
                  properties: {
                    sku: { type: 'string', description: 'Product SKU, e.g. "BAN-GO-SOI-120".' },
                    warehouse: { type: ['string', 'null'], description: 'Warehouse code.' },
                  },
                  required: ['sku', 'warehouse'],
                  additionalProperties: false,
                },
                strict: true,
              },
            },
          ],
        },
      },
    },
  })
  @ApiProblems(['validation_failed', 'invalid_token', 'rate_limited', 'internal_error'])
  async list(
    @Query() query: ToolsQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ToolManifests[keyof ToolManifests]> {
    let principal: Principal | undefined;
    if (hasCredential(request)) {
      principal = await this.auth.authenticate(request);
      request.principal = principal;
      // The throttle guard ran before the credential was known: counted here, as a read.
      this.throttling.enforce(await this.throttling.forClient(principal, 'read'), reply);
    }
    void reply
      .header('cache-control', principal ? 'private, no-store' : 'public, max-age=60')
      .header('vary', 'Authorization, X-API-Key');
    return this.manifests.manifest(query.format, principal);
  }
}
