import type { RateClass } from '../tools/tool.decorator.js';
import { dereference, isObjectSchema, isRecord, typesOf, type JsonSchema } from './json-schema.js';

/** Where a tool argument travels in the HTTP request the tool stands for. */
export type ArgumentLocation = 'path' | 'query' | 'header' | 'body';

export interface ToolArgument {
  /** The argument's name in the tool's input schema. */
  name: string;
  location: ArgumentLocation;
  /** The HTTP name (path/query parameter, header or body field). */
  httpName: string;
}

/** One agent tool as the OpenAPI document describes it (an operation carrying `x-tool`). */
export interface CatalogTool {
  name: string;
  title: string;
  description: string;
  scopes: string[];
  rateClass: RateClass;
  /** Lists many customers' orders: hidden from clients bound to one customer. */
  allCustomers: boolean;
  method: string;
  path: string;
  arguments: ToolArgument[];
  /**
   * Path, query, header and body arguments merged into one dereferenced
   * JSON Schema object; optional arguments are simply not required.
   */
  inputSchema: JsonSchema;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `Idempotency-Key` -> `idempotencyKey`. */
export function headerArgumentName(header: string): string {
  return header
    .toLowerCase()
    .split('-')
    .map((part, i) => (i === 0 ? part : `${part.charAt(0).toUpperCase()}${part.slice(1)}`))
    .join('');
}

/**
 * The tool catalogue: a pure function of the finished OpenAPI document, so
 * the manifests and the MCP server cannot drift from the HTTP contract.
 */
export function toolCatalog(document: unknown): CatalogTool[] {
  if (!isRecord(document) || !isRecord(document.paths)) throw new Error('not an OpenAPI document');
  const tools: CatalogTool[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation) || !isRecord(operation['x-tool'])) continue;
      tools.push(toolFromOperation(document, path, method, operation, operation['x-tool']));
    }
  }
  const names = tools.map((t) => t.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`two operations declare the tool ${duplicate}`);
  return tools;
}

function toolFromOperation(
  document: Record<string, unknown>,
  path: string,
  method: string,
  operation: Record<string, unknown>,
  extension: Record<string, unknown>,
): CatalogTool {
  const name = stringOf(extension.name, 'x-tool.name');
  const rateClass = extension.rateClass === 'write' ? 'write' : 'read';
  const scopes = Array.isArray(extension.scopes) ? extension.scopes.map(String) : [];
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const args: ToolArgument[] = [];
  const add = (arg: ToolArgument, schema: JsonSchema, isRequired: boolean): void => {
    if (arg.name in properties) {
      throw new Error(`tool ${name}: argument ${arg.name} is declared twice (${arg.location})`);
    }
    properties[arg.name] = schema;
    args.push(arg);
    if (isRequired) required.push(arg.name);
  };

  const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
  for (const raw of parameters) {
    const parameter: Record<string, unknown> = dereference(raw, document);
    const httpName = stringOf(parameter.name, `${name} parameter name`);
    const location = parameter.in;
    if (location !== 'path' && location !== 'query' && location !== 'header') continue;
    const description = [
      typeof parameter.description === 'string' ? parameter.description : undefined,
      location === 'header' ? `Sent as the ${httpName} header.` : undefined,
    ].filter((d) => d !== undefined);
    const schema = normalize({
      ...(isRecord(parameter.schema) ? dereference(parameter.schema, document) : {}),
      ...(description.length > 0 ? { description: description.join(' ') } : {}),
      ...(parameter.example !== undefined ? { example: parameter.example } : {}),
    });
    const argName = location === 'header' ? headerArgumentName(httpName) : httpName;
    add(
      { name: argName, location, httpName },
      schema,
      location === 'path' || parameter.required === true,
    );
  }

  const body = jsonBodySchema(operation.requestBody, document);
  if (body) {
    if (!isObjectSchema(body)) throw new Error(`tool ${name}: the JSON body must be an object`);
    for (const [field, schema] of Object.entries(body.properties ?? {})) {
      add(
        { name: field, location: 'body', httpName: field },
        normalize(schema),
        (body.required ?? []).includes(field),
      );
    }
  }

  const headerArgs = args.filter((a) => a.location === 'header');
  const description = [
    typeof operation.description === 'string' && operation.description !== ''
      ? operation.description
      : stringOf(operation.summary, `${name} description`),
    ...headerArgs.map((a) => `Pass the ${a.httpName} as the ${a.name} argument.`),
  ].join(' ');

  return {
    name,
    title: typeof operation.summary === 'string' ? operation.summary : name,
    description,
    scopes,
    rateClass,
    allCustomers: extension.allCustomers === true,
    method: method.toUpperCase(),
    path,
    arguments: args,
    inputSchema: { type: 'object', properties, required, additionalProperties: false },
  };
}

function jsonBodySchema(requestBody: unknown, document: unknown): JsonSchema | undefined {
  if (requestBody === undefined) return undefined;
  const body = dereference(requestBody, document);
  const content = isRecord(body.content) ? body.content : {};
  const json = content['application/json'];
  if (!isRecord(json) || !isRecord(json.schema)) return undefined;
  return dereference(json.schema, document);
}

/**
 * Plain JSON Schema 2020-12 from an OpenAPI schema: `nullable` becomes a
 * `null` type, `example` becomes `examples`, and every object is closed
 * (Gatehouse rejects unknown fields, so the schema says so).
 */
export function normalize(schema: JsonSchema): JsonSchema {
  const { nullable, example, ...rest } = schema;
  const out: JsonSchema = { ...rest };
  // OpenAPI-only keywords that JSON Schema validators reject.
  for (const keyword of ['xml', 'externalDocs', 'discriminator']) delete out[keyword];
  if (nullable === true) {
    const types = typesOf(out);
    if (types.length > 0 && !types.includes('null')) out.type = [...types, 'null'];
  }
  if (example !== undefined && out.examples === undefined) out.examples = [example];
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, normalize(v)]),
    );
  }
  if (isObjectSchema(out)) {
    out.type ??= 'object';
    out.properties ??= {};
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (out.items) out.items = normalize(out.items);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = out[key];
    if (list) out[key] = list.map(normalize);
  }
  return out;
}

function stringOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`missing ${what}`);
  return value;
}
