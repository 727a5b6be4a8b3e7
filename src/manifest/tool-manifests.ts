import { acceptsNull, isObjectSchema, typesOf, type JsonSchema } from './json-schema.js';
import type { CatalogTool } from './tool-catalog.js';

export const MANIFEST_FORMATS = ['openai', 'anthropic', 'gemini', 'mcp'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

/** Chat Completions `tools[]` entry (Responses API: the `function` object's fields). */
export interface OpenAiTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema; strict: true };
}

/** Messages API `tools[]` entry. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: JsonSchema;
}

/** Gemini's Schema: a subset of the OpenAPI 3.0 schema object with upper-case type names. */
export interface GeminiSchema {
  type: 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';
  description?: string;
  nullable?: boolean;
  enum?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: GeminiSchema;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  propertyOrdering?: string[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  parameters: GeminiSchema;
}

/** MCP `Tool` (tools/list result entry). */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

/** Each body is what the provider's API takes as is: `tools`, or Gemini's `Tool` object. */
export interface ToolManifests {
  openai: { tools: OpenAiTool[] };
  anthropic: { tools: AnthropicTool[] };
  gemini: { functionDeclarations: GeminiFunctionDeclaration[] };
  mcp: { tools: McpTool[] };
}

export function toolManifest<F extends ManifestFormat>(
  tools: readonly CatalogTool[],
  format: F,
): ToolManifests[F];
export function toolManifest(
  tools: readonly CatalogTool[],
  format: ManifestFormat,
): ToolManifests[ManifestFormat] {
  switch (format) {
    case 'openai':
      return { tools: tools.map(toOpenAi) };
    case 'anthropic':
      return { tools: tools.map(toAnthropic) };
    case 'gemini':
      return { functionDeclarations: tools.map(toGemini) };
    case 'mcp':
      return { tools: tools.map(toMcp) };
  }
}

function toOpenAi(tool: CatalogTool): OpenAiTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: openAiStrictSchema(tool.inputSchema, false),
      strict: true,
    },
  };
}

function toAnthropic(tool: CatalogTool): AnthropicTool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}

function toGemini(tool: CatalogTool): GeminiFunctionDeclaration {
  return {
    name: tool.name,
    description: tool.description,
    parameters: geminiSchema(tool.inputSchema),
  };
}

function toMcp(tool: CatalogTool): McpTool {
  const readOnly = tool.rateClass === 'read';
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: {
      title: tool.title,
      readOnlyHint: readOnly,
      // The writes only add records (a request, a lead, a handoff); none changes or deletes one.
      destructiveHint: false,
      // Reads have no effect; a write repeated with the same idempotencyKey replays the first answer.
      idempotentHint: true,
      // Every tool reaches only the company's own systems.
      openWorldHint: false,
    },
  };
}

// Structured Outputs: the keywords strict mode accepts (others are rejected or ignored).
const OPENAI_KEYWORDS = new Set([
  'type',
  'description',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);
const OPENAI_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

/**
 * OpenAI strict mode: every property required and every object closed; an
 * optional argument becomes nullable, and null means "not given".
 */
export function openAiStrictSchema(schema: JsonSchema, optional: boolean): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (OPENAI_KEYWORDS.has(keyword)) out[keyword] = value;
  }
  if (out.format !== undefined && !OPENAI_FORMATS.has(out.format)) delete out.format;
  const description = describe(schema);
  if (description !== undefined) out.description = description;
  if (isObjectSchema(schema)) {
    const properties = schema.properties ?? {};
    const required = schema.required ?? [];
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([k, v]) => [k, openAiStrictSchema(v, !required.includes(k))]),
    );
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  if (schema.items) out.items = openAiStrictSchema(schema.items, false);
  if (schema.anyOf) out.anyOf = schema.anyOf.map((s) => openAiStrictSchema(s, false));
  return optional ? nullable(out) : out;
}

function nullable(schema: JsonSchema): JsonSchema {
  if (acceptsNull(schema)) return schema;
  const types = typesOf(schema);
  if (types.length === 0) {
    if (schema.anyOf) return { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
    const { description, ...rest } = schema;
    return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  return {
    ...schema,
    type: [...types, 'null'],
    ...(schema.enum && !schema.enum.includes(null) ? { enum: [...schema.enum, null] } : {}),
  };
}

/**
 * The description plus what the providers with a narrower schema dialect
 * would otherwise lose: the default and an example value.
 */
function describe(schema: JsonSchema): string | undefined {
  const parts = schema.description ? [schema.description] : [];
  const text = parts.join(' ');
  if (schema.default !== undefined && !/\bdefault\b/i.test(text)) {
    parts.push(`Default: ${literal(schema.default)}.`);
  }
  const example = schema.examples?.[0];
  if (
    example !== undefined &&
    (typeof example === 'string' || typeof example === 'number') &&
    !text.includes(String(example))
  ) {
    parts.push(`Example: ${literal(example)}.`);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

const GEMINI_TYPES: Record<string, GeminiSchema['type']> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};
const GEMINI_FORMATS: Partial<Record<GeminiSchema['type'], string[]>> = {
  STRING: ['date-time'],
  INTEGER: ['int32', 'int64'],
  NUMBER: ['float', 'double'],
};

/**
 * Gemini function parameters: one upper-case type per schema (`nullable`
 * for null), string enums, no `additionalProperties`, `$ref` or unions.
 */
export function geminiSchema(schema: JsonSchema): GeminiSchema {
  const union = schema.anyOf ?? schema.oneOf;
  if (!schema.type && union) {
    const concrete = union.filter((s) => !typesOf(s).includes('null') || typesOf(s).length > 1);
    if (concrete.length !== 1 || !concrete[0]) throw new Error('Gemini cannot express this union');
    const annotations = { ...schema };
    delete annotations.anyOf;
    delete annotations.oneOf;
    const merged = geminiSchema({ ...concrete[0], ...annotations });
    return concrete.length < union.length ? { ...merged, nullable: true } : merged;
  }
  const types = typesOf(schema);
  const concrete = types.filter((t) => t !== 'null');
  const typeName = concrete.length === 1 ? GEMINI_TYPES[concrete[0] ?? ''] : undefined;
  if (!typeName)
    throw new Error(`Gemini needs exactly one type, got ${JSON.stringify(schema.type)}`);
  const out: GeminiSchema = { type: typeName };
  const description = describe(schema);
  if (description !== undefined) out.description = description;
  if (types.includes('null') || schema.enum?.includes(null)) out.nullable = true;
  if (schema.enum) out.enum = schema.enum.filter((v) => v !== null).map(String);
  if (schema.format && GEMINI_FORMATS[typeName]?.includes(schema.format)) {
    out.format = schema.format;
  }
  for (const keyword of [
    'pattern',
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'minItems',
    'maxItems',
  ] as const) {
    const value = schema[keyword];
    if (keyword === 'pattern' ? typeof value === 'string' : typeof value === 'number') {
      (out as unknown as Record<string, unknown>)[keyword] = value;
    }
  }
  if (schema.items) out.items = geminiSchema(schema.items);
  if (typeName === 'OBJECT') {
    const properties = schema.properties ?? {};
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([k, v]) => [k, geminiSchema(v)]),
    );
    out.propertyOrdering = Object.keys(properties);
    if (schema.required && schema.required.length > 0) out.required = [...schema.required];
  }
  return out;
}
