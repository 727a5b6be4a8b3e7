import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListToolsResultSchema, ToolSchema } from '@modelcontextprotocol/sdk/types.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { toStrictJsonSchema } from 'openai/lib/transform';
import type { JSONSchema } from 'openai/lib/jsonschema';
import { findRefs, isRecord, type JsonSchema } from '../../src/manifest/json-schema.js';
import {
  MANIFEST_FORMATS,
  type GeminiSchema,
  type ToolManifests,
} from '../../src/manifest/tool-manifests.js';
import { exampleOf } from '../../src/openapi/openapi-polish.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';

const TOOL_NAMES = [
  'search_products',
  'check_inventory',
  'get_order_status',
  'get_delivery_schedule',
  'list_deliveries',
  'create_internal_request',
  'get_internal_request',
  'create_lead',
  'request_human_handoff',
];
const WRITE_TOOLS = ['create_internal_request', 'create_lead', 'request_human_handoff'];

function compiler(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

/** Every (sub)schema with its JSON pointer. */
function walk(schema: JsonSchema, path = '#'): [string, JsonSchema][] {
  const children: [string, JsonSchema][] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    children.push(...walk(child, `${path}/properties/${key}`));
  }
  if (schema.items) children.push(...walk(schema.items, `${path}/items`));
  (schema.anyOf ?? []).forEach((s, i) => children.push(...walk(s, `${path}/anyOf/${i}`)));
  return [[path, schema], ...children];
}

/** Arguments built from each schema's own examples: what a model would plausibly send. */
function exampleArguments(schema: JsonSchema): Record<string, unknown> {
  const value = exampleOf(schema);
  return isRecord(value) ? value : {};
}

describe('tool manifests (GET /v1/tools)', () => {
  let t: TestApp;
  let manifests: ToolManifests;

  beforeAll(async () => {
    t = await startTestApp();
    const entries = await Promise.all(
      MANIFEST_FORMATS.map(async (format) => {
        const res = await t.http.get('/v1/tools').query({ format });
        expect(res.status).toBe(200);
        return [format, res.body] as const;
      }),
    );
    manifests = Object.fromEntries(entries) as unknown as ToolManifests;
  });
  afterAll(async () => t.close());

  describe('the route', () => {
    it('answers the whole catalogue in the OpenAI dialect without a credential', async () => {
      const res = await t.http.get('/v1/tools');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      expect(res.body).toEqual(manifests.openai);
      expect(manifests.openai.tools.map((tool) => tool.function.name)).toEqual(TOOL_NAMES);
    });

    it('matches the committed copies under openapi/', () => {
      for (const format of MANIFEST_FORMATS) {
        const committed = JSON.parse(
          readFileSync(new URL(`../../openapi/tools.${format}.json`, import.meta.url), 'utf8'),
        ) as unknown;
        expect(committed).toEqual(manifests[format]);
      }
    });

    it('lists only the tools a token may call', async () => {
      const bearer = await t.token(['inventory:read', 'leads:write']);
      const res = await t.http.get('/v1/tools').query({ format: 'anthropic' }).auth(bearer, {
        type: 'bearer',
      });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect((res.body as ToolManifests['anthropic']).tools.map((tool) => tool.name)).toEqual([
        'search_products',
        'check_inventory',
        'create_lead',
      ]);
    });

    it('filters for an API key sent as X-API-Key', async () => {
      const created = await t.client(['deliveries:read']);
      const key = await t.http
        .post(`/v1/admin/clients/${created.clientId}/keys`)
        .auth(await t.token(['clients:admin']), { type: 'bearer' })
        .send({ name: 'manifest' });
      const res = await t.http
        .get('/v1/tools')
        .query({ format: 'gemini' })
        .set('x-api-key', (key.body as { apiKey: string }).apiKey);
      expect(res.status).toBe(200);
      expect(
        (res.body as ToolManifests['gemini']).functionDeclarations.map((tool) => tool.name),
      ).toEqual(['get_delivery_schedule', 'list_deliveries']);
    });

    it('leaves list_deliveries out for a client bound to the customer (orderLookup "verified")', async () => {
      const bearer = await t.token(['deliveries:read', 'orders:read'], {
        policies: { orderLookup: 'verified' },
      });
      const res = await t.http.get('/v1/tools').auth(bearer, { type: 'bearer' });
      expect(res.status).toBe(200);
      expect((res.body as ToolManifests['openai']).tools.map((tool) => tool.function.name)).toEqual(
        ['get_order_status', 'get_delivery_schedule'],
      );
    });

    it("counts a call with a credential against the client's read limit", async () => {
      const bearer = await t.token(['inventory:read'], { limits: { read: 2 } });
      const call = () => t.http.get('/v1/tools').auth(bearer, { type: 'bearer' });
      const first = await call();
      expect(first.status).toBe(200);
      expect(first.headers['ratelimit-limit']).toBe('2');
      expect(first.headers['ratelimit-remaining']).toBe('1');
      expect((await call()).headers['ratelimit-remaining']).toBe('0');
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'rate_limited', retryable: true });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // The public catalogue stays open.
      expect((await t.http.get('/v1/tools')).status).toBe(200);
    });

    it('refuses an invalid credential instead of falling back to the public list', async () => {
      const res = await t.http.get('/v1/tools').auth('not-a-token', { type: 'bearer' });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_token' });
    });

    it('rejects an unknown format', async () => {
      const res = await t.http.get('/v1/tools').query({ format: 'cohere' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    });
  });

  describe('every format', () => {
    it.each(MANIFEST_FORMATS)('%s has no $ref anywhere', (format) => {
      expect(findRefs(manifests[format])).toEqual([]);
    });

    it.each(MANIFEST_FORMATS)('%s makes writes take a required idempotencyKey', (format) => {
      const byName = toolsOf(manifests, format);
      for (const name of WRITE_TOOLS) {
        const { description, required } = byName[name] ?? { description: '', required: [] };
        expect(required).toContain('idempotencyKey');
        expect(description).toContain('idempotencyKey');
      }
      expect(byName.search_products?.required).not.toContain('idempotencyKey');
    });
  });

  describe('OpenAI (strict function calling)', () => {
    it('declares strict functions whose schemas compile', () => {
      const ajv = compiler();
      for (const tool of manifests.openai.tools) {
        expect(tool.type).toBe('function');
        expect(tool.function.strict).toBe(true);
        expect(tool.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(tool.function.description.length).toBeGreaterThan(100);
        expect(() => ajv.compile(tool.function.parameters)).not.toThrow();
      }
    });

    it('requires every property and closes every object, at every level', () => {
      for (const tool of manifests.openai.tools) {
        for (const [path, schema] of walk(tool.function.parameters)) {
          if (schema.properties === undefined) continue;
          expect({ path, additionalProperties: schema.additionalProperties }).toEqual({
            path,
            additionalProperties: false,
          });
          expect({ path, required: [...(schema.required ?? [])].sort() }).toEqual({
            path,
            required: Object.keys(schema.properties).sort(),
          });
        }
      }
    });

    it('uses only keywords strict mode supports, and the SDK finds nothing to change', () => {
      const allowed = new Set([
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
      for (const tool of manifests.openai.tools) {
        for (const [path, schema] of walk(tool.function.parameters)) {
          const extra = Object.keys(schema).filter((k) => !allowed.has(k));
          expect({ path, extra }).toEqual({ path, extra: [] });
        }
        const parameters = tool.function.parameters as JSONSchema;
        expect(toStrictJsonSchema(parameters)).toEqual(parameters);
      }
    });

    it('accepts what a strict model sends: optional arguments as null', () => {
      const ajv = compiler();
      const lead = manifests.openai.tools.find((tool) => tool.function.name === 'create_lead');
      const validate = ajv.compile(lead?.function.parameters ?? {});
      const args = {
        idempotencyKey: 'lead-2026-11-22-0001',
        name: 'Nguyễn Văn An',
        email: null,
        phone: '0912 345 678',
        company: null,
        interest: { skus: ['DESK-OAK-140'], note: null },
        channel: 'zalo',
        consent: true,
        conversationId: null,
        region: null,
      };
      expect(validate(args)).toBe(true);
      expect(validate({ ...args, channel: 'fax' })).toBe(false);
      expect(validate({ ...args, surprise: 1 })).toBe(false);
    });
  });

  describe('Anthropic and MCP (JSON Schema 2020-12)', () => {
    it('Anthropic tools have valid names and object input schemas that compile', () => {
      const ajv = compiler();
      for (const tool of manifests.anthropic.tools) {
        expect(Object.keys(tool).sort()).toEqual(['description', 'input_schema', 'name']);
        expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(tool.input_schema.type).toBe('object');
        const validate = ajv.compile(tool.input_schema);
        validate(exampleArguments(tool.input_schema));
        expect({ tool: tool.name, errors: validate.errors ?? null }).toEqual({
          tool: tool.name,
          errors: null,
        });
      }
    });

    it('MCP tools satisfy the SDK schema for a tools/list result', () => {
      expect(() => ListToolsResultSchema.parse(manifests.mcp)).not.toThrow();
      const ajv = compiler();
      for (const tool of manifests.mcp.tools) {
        expect(() => ToolSchema.parse(tool)).not.toThrow();
        expect(() => ajv.compile(tool.inputSchema)).not.toThrow();
        const write = WRITE_TOOLS.includes(tool.name);
        expect(tool.annotations).toEqual({
          title: tool.title,
          readOnlyHint: !write,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        });
      }
    });

    it('carry the examples and limits of the OpenAPI document', () => {
      const check = manifests.mcp.tools.find((tool) => tool.name === 'check_inventory');
      expect(check?.inputSchema.properties?.sku).toMatchObject({
        type: 'string',
        maxLength: 40,
        examples: ['BAN-GO-SOI-120'],
      });
      expect(check?.inputSchema.required).toEqual(['sku']);
    });
  });

  describe('Gemini (function declarations)', () => {
    const TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT']);
    const KEYS = new Set([
      'type',
      'description',
      'nullable',
      'enum',
      'format',
      'pattern',
      'minLength',
      'maxLength',
      'minimum',
      'maximum',
      'minItems',
      'maxItems',
      'items',
      'properties',
      'required',
      'propertyOrdering',
    ]);

    const walkGemini = (schema: GeminiSchema, path = '#'): [string, GeminiSchema][] => [
      [path, schema],
      ...Object.entries(schema.properties ?? {}).flatMap(([k, v]) =>
        walkGemini(v, `${path}/properties/${k}`),
      ),
      ...(schema.items ? walkGemini(schema.items, `${path}/items`) : []),
    ];

    it('uses only the OpenAPI subset Gemini accepts', () => {
      for (const declaration of manifests.gemini.functionDeclarations) {
        expect(Object.keys(declaration).sort()).toEqual(['description', 'name', 'parameters']);
        expect(declaration.name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/);
        expect(declaration.parameters.type).toBe('OBJECT');
        for (const [path, schema] of walkGemini(declaration.parameters)) {
          expect({ path, type: TYPES.has(schema.type) }).toEqual({ path, type: true });
          const extra = Object.keys(schema).filter((k) => !KEYS.has(k));
          expect({ path, extra }).toEqual({ path, extra: [] });
          if (schema.enum) expect(schema.type).toBe('STRING');
          if (schema.format)
            expect(['date-time', 'int32', 'int64', 'float', 'double']).toContain(schema.format);
          for (const name of schema.required ?? []) expect(schema.properties).toHaveProperty(name);
          if (schema.properties) {
            expect(schema.propertyOrdering).toEqual(Object.keys(schema.properties));
          }
        }
      }
    });

    it('keeps optional arguments optional and marks nothing nullable that is not', () => {
      const search = manifests.gemini.functionDeclarations.find(
        (d) => d.name === 'search_products',
      );
      expect(search?.parameters.required).toEqual(['q']);
      expect(search?.parameters.properties?.limit).toMatchObject({ type: 'INTEGER', minimum: 1 });
      expect(search?.parameters.properties?.limit?.nullable).toBeUndefined();
    });
  });
});

function toolsOf(
  manifests: ToolManifests,
  format: (typeof MANIFEST_FORMATS)[number],
): Record<string, { description: string; required: string[] }> {
  const entries: [string, { description: string; required: string[] }][] = (() => {
    switch (format) {
      case 'openai':
        return manifests.openai.tools.map((tool) => [
          tool.function.name,
          {
            description: tool.function.description,
            required: tool.function.parameters.required ?? [],
          },
        ]);
      case 'anthropic':
        return manifests.anthropic.tools.map((tool) => [
          tool.name,
          { description: tool.description, required: tool.input_schema.required ?? [] },
        ]);
      case 'gemini':
        return manifests.gemini.functionDeclarations.map((tool) => [
          tool.name,
          { description: tool.description, required: tool.parameters.required ?? [] },
        ]);
      case 'mcp':
        return manifests.mcp.tools.map((tool) => [
          tool.name,
          { description: tool.description, required: tool.inputSchema.required ?? [] },
        ]);
    }
  })();
  return Object.fromEntries(entries);
}
