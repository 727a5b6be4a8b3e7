import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CATALOG, type ErrorCode } from '../common/errors/error-codes.js';
import { buildProblem } from '../common/errors/problem.js';
import { dereference, isRecord, typesOf, type JsonSchema } from '../manifest/json-schema.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const TAG_DESCRIPTIONS: Record<string, string> = {
  inventory: 'Agent tools: product search and stock per warehouse (read-only ERP).',
  orders: 'Agent tools: sales order status, customer fields masked (read-only ERP).',
  deliveries: 'Agent tools: delivery schedules and date-range listings (read-only ERP).',
  'internal requests': 'Agent tools: requests for staff, forwarded to the ticket system.',
  leads: 'Agent tools: sales prospects, passed to the sales team and the CRM.',
  handoffs: 'Agent tools: hand a conversation over to a human colleague.',
  'agent tools': 'The tool definitions for LLM function calling, derived from this document.',
  oauth: 'OAuth 2.0 client credentials, token revocation and introspection.',
  admin: 'Clients, secrets, API keys and signing keys (scope clients:admin).',
  audit: 'The hash-chained audit trail (scope audit:read).',
};

const EXAMPLE_REQUEST_ID = 'c2b0f6a4-3f0e-4a51-9a43-2bd7d0d7a0a1';
const EXAMPLE_IDEMPOTENCY_KEY = '5f0c7a1e-3b9d-4c2a-8e61-2d4b9a7c1f30';

/**
 * Finishing touches on the generated document, for readers and linters
 * (Spectral `spectral:oas`, Redocly `recommended`): declared tags,
 * explicit security on every operation, and examples for every JSON
 * request and response derived from the schemas' own examples.
 */
export function polishDocument(document: OpenAPIObject): OpenAPIObject {
  const tags: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, unknown>)[method];
      if (!isRecord(operation)) continue;
      for (const tag of Array.isArray(operation.tags) ? operation.tags.map(String) : []) {
        if (!tags.includes(tag)) tags.push(tag);
      }
      normalizeSecurity(path, operation);
      addExamples(document, operation);
    }
  }
  document.tags = tags.map((name) => ({
    name,
    description: TAG_DESCRIPTIONS[name.toLowerCase()] ?? `${name} operations.`,
  }));
  return document;
}

function normalizeSecurity(path: string, operation: Record<string, unknown>): void {
  if (!Array.isArray(operation.security)) {
    // The OAuth endpoints authenticate the client themselves (Basic, or client_secret_post: `{}`).
    operation.security = path.startsWith('/oauth/') ? [{ clientBasic: [] }, {}] : [{}];
    return;
  }
  // Scopes are OAuth's; an API key's scopes are checked the same way but are not OpenAPI roles.
  operation.security = operation.security.map((requirement: unknown) =>
    isRecord(requirement)
      ? Object.fromEntries(
          Object.entries(requirement).map(([scheme, scopes]) => [
            scheme,
            scheme === 'apiKey' ? [] : scopes,
          ]),
        )
      : requirement,
  );
}

function addExamples(document: OpenAPIObject, operation: Record<string, unknown>): void {
  for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
    if (
      isRecord(parameter) &&
      parameter.in === 'header' &&
      String(parameter.name).toLowerCase() === 'idempotency-key' &&
      parameter.example === undefined
    ) {
      parameter.example = EXAMPLE_IDEMPOTENCY_KEY;
    }
  }
  const requestBody = operation.requestBody;
  if (isRecord(requestBody) && isRecord(requestBody.content)) {
    addMediaExample(document, requestBody.content['application/json']);
  }
  if (!isRecord(operation.responses)) return;
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!isRecord(response) || !isRecord(response.content)) continue;
    addMediaExample(document, response.content['application/json']);
    const problem = response.content['application/problem+json'];
    if (isRecord(problem) && problem.example === undefined && problem.examples === undefined) {
      const description = typeof response.description === 'string' ? response.description : '';
      const examples = problemExamples(Number(status), description);
      if (Object.keys(examples).length > 0) problem.examples = examples;
    }
  }
}

function addMediaExample(document: OpenAPIObject, media: unknown): void {
  if (!isRecord(media) || !isRecord(media.schema)) return;
  if (media.example !== undefined || media.examples !== undefined) return;
  const example = exampleOf(dereference(media.schema, document));
  if (example !== undefined) media.example = example;
}

/** One example per problem code the response lists (ApiProblems writes them as `code`). */
function problemExamples(status: number, description: string): Record<string, unknown> {
  const codes = [...description.matchAll(/`([a-z_]+)`/g)]
    .map((m) => m[1] as ErrorCode)
    .filter((code) => code in ERROR_CATALOG && ERROR_CATALOG[code].status === status);
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { summary: ERROR_CATALOG[code].title, value: buildProblem(code, EXAMPLE_REQUEST_ID) },
    ]),
  );
}

/** A value built from the schema's own examples, defaults and enums; undefined if it has none. */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (!branches) continue;
    const values = branches.map(exampleOf);
    return values.find((v) => v !== undefined && v !== null) ?? (values.includes(null) ? null : undefined);
  }
  const types = typesOf(schema);
  if (types.includes('array') || schema.items) {
    const item = schema.items ? exampleOf(schema.items) : undefined;
    return item === undefined ? [] : [item];
  }
  if (types.includes('object') || schema.properties) {
    const out: Record<string, unknown> = {};
    const required = schema.required ?? [];
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const value = exampleOf(child) ?? (required.includes(key) ? placeholder(child) : undefined);
      if (value !== undefined) out[key] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (schema.nullable === true || types.includes('null')) return null;
  if (schema.type === 'null') return null;
  return undefined;
}

/** A value of the right type for a required field that has no example of its own. */
function placeholder(schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if (types.includes('null') || schema.nullable === true) return null;
  if (types.includes('string')) return schema.format === 'date-time' ? '2026-11-22T08:15:00.000Z' : 'string';
  if (types.includes('integer') || types.includes('number')) return schema.minimum ?? 0;
  if (types.includes('boolean')) return false;
  if (types.includes('array')) return [];
  return undefined;
}
