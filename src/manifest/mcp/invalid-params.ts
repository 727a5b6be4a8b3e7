import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  isJSONRPCRequest,
  ListToolsRequestSchema,
  PingRequestSchema,
  type JSONRPCErrorResponse,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';

/** The requests this server answers, by method, with the SDK's own schemas for them. */
const REQUEST_SCHEMAS = new Map(
  [CallToolRequestSchema, InitializeRequestSchema, ListToolsRequestSchema, PingRequestSchema].map(
    (schema) => [schema.shape.method.value as string, schema],
  ),
);
const ISSUES_SHOWN = 3;
const MAX_MESSAGE_LENGTH = 300;

/**
 * The -32602 answer to a request whose params do not fit its method's
 * schema, or undefined when they do (or the method is not one of ours).
 */
export function invalidParams(request: JSONRPCRequest): JSONRPCErrorResponse | undefined {
  const result = REQUEST_SCHEMAS.get(request.method)?.safeParse(request);
  if (!result || result.success) return undefined;
  const issues = result.error.issues
    .slice(0, ISSUES_SHOWN)
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // One line, however odd the keys an issue's path names.
  const summary = `Invalid params: ${issues.join('; ')}`.replace(/\s+/g, ' ');
  return {
    jsonrpc: '2.0',
    id: request.id,
    error: { code: ErrorCode.InvalidParams, message: summary.slice(0, MAX_MESSAGE_LENGTH) },
  };
}

/**
 * Answers invalid params itself and hands the SDK only the other messages.
 * The SDK parses params inside its handler call and answers a mismatch
 * -32603 Internal error with the raw zod dump. Answering through the
 * transport keeps its checks, status, headers and the merging of a batch's
 * answers as for any other response.
 */
export function answerInvalidParams(transport: Transport, onError: (error: unknown) => void): void {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const refusal = isJSONRPCRequest(message) ? invalidParams(message) : undefined;
    if (refusal === undefined) deliver?.(message, extra);
    else transport.send(refusal).catch(onError);
  };
}
