import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiOAuth2,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ERROR_CATALOG, type ErrorCode } from '../common/errors/error-codes.js';
import { ProblemDto } from '../common/errors/problem.dto.js';
import type { Scope } from '../auth/scopes.js';

export type RateClass = 'read' | 'write';

export interface ToolDefinition {
  /** snake_case verb_noun: the name agents call. */
  name: string;
  /** Written for an LLM: what it does, when to use it, when not to. */
  description: string;
  scopes: Scope[];
  rateClass: RateClass;
  /** Tool-specific error codes beyond the ones every tool can return. */
  errors?: ErrorCode[];
  tag: string;
  /**
   * Top-level answer fields that are not personal data although their name
   * says so (a product's `name`): the audit summary keeps them as text, with
   * only emails, phones and credentials inside masked, instead of masking
   * them as a person's name.
   */
  auditPlain?: string[];
  /**
   * The answer holds many customers' orders (a listing), not one order the
   * caller proved it may see: refused to clients whose order lookups are
   * bound to the customer (`refusedByCustomerBinding`).
   */
  allCustomers?: true;
}

export const TOOL_METADATA = 'gatehouse:tool';
export const REQUIRED_SCOPES = 'gatehouse:scopes';

const COMMON_ERRORS: ErrorCode[] = [
  'validation_failed',
  'missing_credentials',
  'invalid_token',
  'insufficient_scope',
  'rate_limited',
  'internal_error',
  'upstream_unavailable',
];
const WRITE_ERRORS: ErrorCode[] = [
  'idempotency_key_required',
  'idempotency_key_in_flight',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
  'malformed_json',
];

/** Documents problem+json responses for a set of codes, one response per status. */
export function ApiProblems(codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...[...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) =>
        ApiResponse({
          status,
          description: list.map((c) => `\`${c}\`: ${ERROR_CATALOG[c].title}`).join('; '),
          content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
        }),
      ),
  );
}

/** Requires the caller to hold every listed scope (for non-tool routes such as admin). */
export const RequiresScopes = (...scopes: Scope[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiOAuth2(scopes, 'oauth2'),
    ApiSecurity('apiKey', scopes),
  );

/**
 * The single declaration of an agent tool. Validation (through the DTOs on the
 * handler), scope enforcement, throttling class, OpenAPI, the tool manifests
 * and MCP all read what this decorator records.
 */
export function Tool(definition: ToolDefinition): MethodDecorator {
  const write = definition.rateClass === 'write';
  const errors = [
    ...COMMON_ERRORS,
    ...(write ? WRITE_ERRORS : []),
    ...(definition.allCustomers ? (['tool_not_allowed'] as const) : []),
    ...(definition.errors ?? []),
  ];
  return applyDecorators(
    SetMetadata(TOOL_METADATA, definition),
    // On the Fastify route too, so the request knows its tool before any guard runs.
    RouteConfig({ tool: definition.name }),
    RequiresScopes(...definition.scopes),
    ApiTags(definition.tag),
    ApiOperation({
      operationId: definition.name,
      summary: definition.description.split('. ')[0]?.replace(/\.$/, ''),
      description: definition.description,
    }),
    ApiExtension('x-tool', {
      name: definition.name,
      scopes: definition.scopes,
      rateClass: definition.rateClass,
      ...(definition.allCustomers ? { allCustomers: true } : {}),
    }),
    ...(write
      ? [
          ApiHeader({
            name: 'Idempotency-Key',
            required: true,
            description:
              'Unique key per logical write (8-128 characters of A-Z a-z 0-9 . _ : -). Retrying with the same key and body replays the first response.',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
          }),
        ]
      : []),
    ApiProblems(errors),
  );
}
