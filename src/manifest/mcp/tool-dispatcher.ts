import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { buildProblem } from '../../common/errors/problem.js';
import { acceptsNull, isRecord, type JsonSchema } from '../json-schema.js';
import type { ArgumentLocation, CatalogTool } from '../tool-catalog.js';
import { InternalTransport } from './internal-transport.js';
import {
  routerLengthErrors,
  typeError,
  type FieldError,
  type TextArgument,
} from './text-arguments.js';

/** What the MCP request carried that a tool call must carry on. */
export interface Caller {
  headers: Record<string, string | string[] | undefined>;
  /** The peer address of the MCP request's connection (per-IP limits resolve it as for HTTP). */
  remoteAddress: string;
  requestId: string;
}

/**
 * Headers forwarded as they came: the credential, the agent context (SPEC §8)
 * and X-Forwarded-For, so per-IP limits see the same client as for the MCP request.
 */
const FORWARDED_HEADERS = [
  'authorization',
  'x-api-key',
  'x-agent-id',
  'x-conversation-id',
  'x-end-user-id',
  'x-forwarded-for',
] as const;

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/**
 * Runs an MCP tools/call as the HTTP request the tool stands for, injected
 * into this same Fastify instance: the same guards, validation, throttling,
 * idempotency, error mapping and audit as a direct HTTP call. The request
 * never leaves the process, so the caller's token reaches no core system.
 */
@Injectable()
export class ToolDispatcher {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly internal: InternalTransport,
  ) {}

  async call(
    tool: CatalogTool,
    args: Record<string, unknown>,
    caller: Caller,
  ): Promise<CallToolResult> {
    const built = toHttpCall(tool, args);
    if ('invalid' in built) {
      const problem = buildProblem('validation_failed', caller.requestId, {
        detail: 'One or more fields are invalid.',
        errors: built.invalid,
      });
      return problemResult(400, problem, caller.requestId);
    }
    const headers: Record<string, string> = {
      ...built.headers,
      ...this.internal.headers(),
      // The tool call's audit event and log line carry the MCP request's id, so the two join.
      'x-request-id': caller.requestId,
    };
    for (const name of FORWARDED_HEADERS) {
      const value = caller.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const response = await fastify.inject({
      method: built.method as 'GET' | 'POST',
      url: built.url,
      headers,
      remoteAddress: caller.remoteAddress,
      ...(built.payload !== undefined ? { payload: built.payload } : {}),
    });
    const requestId = header(response.headers['x-request-id']);
    const body = parseJson(response.body);
    if (response.statusCode >= 400) return problemResult(response.statusCode, body, requestId);
    return {
      content: [{ type: 'text', text: response.body }],
      ...(isRecord(body) ? { structuredContent: body } : {}),
      _meta: meta(response.statusCode, requestId, header(response.headers['idempotent-replayed'])),
    };
  }
}

/** One argument on its way into the HTTP request of the tool's route. */
interface Placed {
  name: string;
  location: ArgumentLocation;
  httpName: string;
  value: unknown;
  /** Undefined for an argument the tool does not declare: the route rejects it, as over HTTP. */
  schema: JsonSchema | undefined;
}

/** Splits a tool's arguments back into the path, query, headers and JSON body of its route. */
export function toHttpCall(
  tool: CatalogTool,
  args: Record<string, unknown>,
): HttpCall | { invalid: FieldError[] } {
  const hasBody = tool.arguments.some((a) => a.location === 'body') || tool.method !== 'GET';
  const placed = place(tool, args, hasBody);
  const asText = placed.flatMap(textArgument);
  const invalid = placed.flatMap((p) => textArgumentError(p) ?? []);
  if (invalid.length > 0) return { invalid };

  let path = tool.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: 'application/json' };
  const body: Record<string, unknown> = {};
  for (const { location, httpName, value } of placed) {
    if (location === 'path')
      path = path.replace(`{${httpName}}`, encodeURIComponent(scalar(value)));
    else if (location === 'header') headers[httpName.toLowerCase()] = scalar(value);
    else if (location === 'query') {
      for (const item of Array.isArray(value) ? value : [value])
        query.append(httpName, scalar(item));
    } else body[httpName] = value;
  }

  const search = query.toString();
  const url = search === '' ? path : `${path}?${search}`;
  const tooLong = routerLengthErrors(asText, url);
  if (tooLong.length > 0) return { invalid: tooLong };
  return {
    method: tool.method,
    url,
    headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(hasBody ? { payload: JSON.stringify(body) } : {}),
  };
}

/** Every argument given, and every path argument whether given or not. */
function place(tool: CatalogTool, args: Record<string, unknown>, hasBody: boolean): Placed[] {
  const byName = new Map(tool.arguments.map((a) => [a.name, a]));
  const properties = tool.inputSchema.properties ?? {};
  const pathNames = tool.arguments.filter((a) => a.location === 'path').map((a) => a.name);
  const placed: Placed[] = [];
  for (const name of new Set([...pathNames, ...Object.keys(args)])) {
    const arg = byName.get(name);
    const schema = properties[name];
    // Strict-mode models send null for an argument they leave out.
    const value = schema ? withoutNulls(args[name], schema) : args[name];
    if (value === undefined && arg?.location !== 'path') continue;
    const location = arg?.location ?? (hasBody ? 'body' : 'query');
    placed.push({ name, location, httpName: arg?.httpName ?? name, value, schema });
  }
  return placed;
}

function textArgument({ name, location, value, schema }: Placed): TextArgument[] {
  return location === 'body' ? [] : [{ name, location, value, schema: schema ?? {} }];
}

function textArgumentError({ name, location, value, schema }: Placed): FieldError | undefined {
  // The body, and an undeclared argument, are the route's to validate, with HTTP's messages.
  if (location === 'body' || schema === undefined) return undefined;
  if (value === undefined) {
    return { field: name, message: `${name} is required and must be a string or a number` };
  }
  const wrongType = typeError(name, value, schema);
  if (wrongType) return { field: name, message: wrongType };
  // encodeURIComponent keeps "." and "..", which the injected request would resolve
  // into another route (get_delivery_schedule with ".." would run list_deliveries).
  if (location === 'path' && (value === '.' || value === '..')) {
    return { field: name, message: `${name} must not be "${value}"` };
  }
  return undefined;
}

/** Drops null values the schema does not allow (optional fields a strict model nulled out). */
export function withoutNulls(value: unknown, schema: JsonSchema): unknown {
  if (value === null) return acceptsNull(schema) ? null : undefined;
  if (Array.isArray(value)) {
    return schema.items ? value.map((v) => withoutNulls(v, schema.items ?? {})) : value;
  }
  if (!isRecord(value) || !schema.properties) return value;
  const required = schema.required ?? [];
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const child = schema.properties[key];
    const cleaned = child ? withoutNulls(item, child) : item;
    if (cleaned === undefined) {
      if (required.includes(key)) out[key] = null;
      continue;
    }
    out[key] = cleaned;
  }
  return out;
}

function problemResult(
  status: number,
  problem: unknown,
  requestId: string | undefined,
): CallToolResult {
  const body: Record<string, unknown> = isRecord(problem)
    ? problem
    : { ...buildProblem('internal_error', requestId ?? 'unknown', { detail: `HTTP ${status}` }) };
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify(body) }],
    structuredContent: body,
    _meta: meta(status, requestId, undefined),
  };
}

function meta(
  status: number,
  requestId: string | undefined,
  replayed: string | undefined,
): Record<string, unknown> {
  return {
    'dev.gatehouse/status': status,
    ...(requestId ? { 'dev.gatehouse/request-id': requestId } : {}),
    ...(replayed === 'true' ? { 'dev.gatehouse/idempotent-replayed': true } : {}),
  };
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function header(value: string | string[] | number | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
