/**
 * Every problem code Gatehouse can answer with, listed once. The filter,
 * the OpenAPI error responses and docs/errors.md all read this table.
 */
export const ERROR_CATALOG = {
  validation_failed: {
    status: 400,
    title: 'The request is not valid',
    retryable: false,
    agentHint:
      'Fix the fields listed in "errors" and call the tool again; do not guess values the customer did not give.',
  },
  malformed_json: {
    status: 400,
    title: 'The request body is not valid JSON',
    retryable: false,
    agentHint: 'Send the arguments as one well-formed JSON object.',
  },
  bad_request: {
    status: 400,
    title: 'The request could not be understood',
    retryable: false,
    agentHint: 'Check the request against the tool description and try again.',
  },
  idempotency_key_required: {
    status: 400,
    title: 'An Idempotency-Key header is required',
    retryable: false,
    agentHint:
      'Send a unique Idempotency-Key header (for example a UUID) with every write, and reuse it only to retry the same call.',
  },
  missing_credentials: {
    status: 401,
    title: 'Authentication is required',
    retryable: false,
    agentHint:
      'Obtain an access token from /oauth/token or use your API key, then call again with "Authorization: Bearer <token>".',
  },
  invalid_token: {
    status: 401,
    title: 'The access token is not valid',
    retryable: false,
    agentHint:
      'Request a new access token from /oauth/token and retry once; if it fails again, tell the user the assistant is not authorised and offer a human.',
  },
  insufficient_scope: {
    status: 403,
    title: 'This credential may not use this tool',
    retryable: false,
    agentHint:
      'This tool is not available to you. Do not retry; tell the customer you cannot do this and offer to hand over to a human colleague.',
  },
  tool_not_allowed: {
    status: 403,
    title: "This client's policy does not allow this tool",
    retryable: false,
    agentHint:
      'This tool is not available to you. Do not retry; tell the customer you cannot do this and offer to hand over to a human colleague.',
  },
  route_not_found: {
    status: 404,
    title: 'No such endpoint',
    retryable: false,
    agentHint: 'Use only the tools listed in /v1/tools.',
  },
  product_not_found: {
    status: 404,
    title: 'Product not found',
    retryable: false,
    agentHint:
      'Ask the customer to confirm the product, or use search_products to find the right SKU.',
  },
  order_not_found: {
    status: 404,
    title: 'Order not found',
    retryable: false,
    agentHint:
      'Ask the customer to check the order number; it looks like SO-2026-000123. If the customer is sure, offer a human handoff.',
  },
  internal_request_not_found: {
    status: 404,
    title: 'Internal request not found',
    retryable: false,
    agentHint: 'Check the request id returned by create_internal_request (it looks like IR-...).',
  },
  warehouse_not_found: {
    status: 404,
    title: 'Warehouse not found',
    retryable: false,
    agentHint: 'Call check_inventory without a warehouse to see every warehouse code.',
  },
  client_not_found: {
    status: 404,
    title: 'Client not found',
    retryable: false,
    agentHint: 'Check the client id with GET /v1/admin/clients.',
  },
  credential_not_found: {
    status: 404,
    title: 'Credential not found',
    retryable: false,
    agentHint: 'Check the secret or key id with GET /v1/admin/clients/{clientId}.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed on this endpoint',
    retryable: false,
    agentHint: 'Use the HTTP method given in the tool definition.',
  },
  request_timeout: {
    status: 408,
    title: 'The request was not received in time',
    retryable: true,
    agentHint: 'Send the whole request promptly; retry once on a fresh connection.',
  },
  internal_request_not_pending: {
    status: 409,
    title: 'Internal request is not waiting for review',
    retryable: false,
    agentHint: 'Someone has already decided this request; list it again to see its current status.',
  },
  idempotency_key_in_flight: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
    retryable: true,
    agentHint: 'Wait a moment and retry with the same Idempotency-Key; do not create a new one.',
  },
  payload_too_large: {
    status: 413,
    title: 'The request body is too large',
    retryable: false,
    agentHint: 'Shorten the text fields; the body limit is 64 KiB.',
  },
  uri_too_long: {
    status: 414,
    title: 'The request URL is too long',
    retryable: false,
    agentHint:
      'Shorten the query; URLs are limited to 2048 characters. Do not retry the same call.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported content type',
    retryable: false,
    agentHint: 'Send the body as application/json.',
  },
  idempotency_key_reused: {
    status: 422,
    title: 'This Idempotency-Key was already used for a different request',
    retryable: false,
    agentHint:
      'Use a new Idempotency-Key for a new request; reuse a key only to retry exactly the same call.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    retryable: true,
    agentHint:
      'Wait for retryAfterSeconds before calling again, and tell the customer you need a moment.',
  },
  headers_too_large: {
    status: 431,
    title: 'The request headers are too large',
    retryable: false,
    agentHint: 'Send fewer or shorter headers (at most 8 KiB in total) and call again.',
  },
  internal_error: {
    status: 500,
    title: 'Internal error',
    retryable: true,
    agentHint:
      'Apologise, retry once later, and offer the customer a human colleague if it fails again.',
  },
  upstream_unavailable: {
    status: 503,
    title: 'A core system is unavailable',
    retryable: true,
    agentHint:
      'The company system is not answering. Apologise, do not guess the answer, and offer to hand the conversation to a human with request_human_handoff.',
  },
  service_unavailable: {
    status: 503,
    title: 'Gatehouse is temporarily unavailable',
    retryable: true,
    agentHint: 'Retry after a short wait; if it persists, offer the customer a human colleague.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export interface ErrorDefinition {
  status: number;
  title: string;
  retryable: boolean;
  agentHint: string;
}

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const PROBLEM_TYPE_BASE = 'https://gatehouse.dev/problems/';
