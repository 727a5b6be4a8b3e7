import { describe, expect, it } from '@jest/globals';
import { findRefs } from './json-schema.js';
import { toHttpCall } from './mcp/tool-dispatcher.js';
import { toolCatalog } from './tool-catalog.js';
import { geminiSchema, openAiStrictSchema, toolManifest } from './tool-manifests.js';

const problem = { content: { 'application/problem+json': { schema: { type: 'object' } } } };

/** A small OpenAPI 3.1 document in the shapes @nestjs/swagger emits. */
function document(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    paths: {
      '/v1/things/{thingId}': {
        get: {
          operationId: 'get_thing',
          summary: 'Read a thing',
          description: 'Reads one thing. Use it when asked about a thing.',
          parameters: [
            { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'view',
              in: 'query',
              required: false,
              description: 'How much to show.',
              schema: { type: 'string', enum: ['short', 'full'], default: 'short' },
            },
          ],
          responses: { '200': { description: 'ok' }, '404': problem },
          'x-tool': { name: 'get_thing', scopes: ['things:read'], rateClass: 'read' },
        },
      },
      '/v1/things': {
        post: {
          operationId: 'create_thing',
          summary: 'Create a thing',
          description: 'Creates a thing.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'Unique per write.',
              schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/CreateThingDto' } },
            },
          },
          responses: { '201': { description: 'created' } },
          'x-tool': { name: 'create_thing', scopes: ['things:write'], rateClass: 'write' },
        },
        get: {
          operationId: 'list_things_for_admins',
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        OwnerDto: {
          type: 'object',
          properties: {
            name: { type: 'string', example: 'Lan', maxLength: 100 },
            email: { type: 'string', format: 'email' },
          },
          required: ['name'],
        },
        CreateThingDto: {
          type: 'object',
          properties: {
            label: { type: 'string', description: 'A label.', minLength: 1, example: 'Desk' },
            owner: {
              description: 'Who owns it.',
              allOf: [{ $ref: '#/components/schemas/OwnerDto' }],
            },
            previous: {
              description: 'The thing it replaces.',
              anyOf: [{ $ref: '#/components/schemas/OwnerDto' }, { type: 'null' }],
            },
            tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
          },
          required: ['label'],
        },
      },
    },
  };
}

describe('toolCatalog', () => {
  const [getThing, createThing] = toolCatalog(document());

  it('keeps only operations with x-tool, in document order', () => {
    expect(toolCatalog(document()).map((t) => t.name)).toEqual(['get_thing', 'create_thing']);
  });

  it('merges path, query, header and body into one closed, dereferenced object', () => {
    expect(getThing?.inputSchema).toEqual({
      type: 'object',
      properties: {
        thingId: { type: 'string' },
        view: {
          type: 'string',
          enum: ['short', 'full'],
          default: 'short',
          description: 'How much to show.',
        },
      },
      required: ['thingId'],
      additionalProperties: false,
    });
    expect(findRefs(createThing?.inputSchema)).toEqual([]);
    expect(createThing?.inputSchema.required).toEqual(['idempotencyKey', 'label']);
    expect(createThing?.inputSchema.properties?.owner).toMatchObject({
      type: 'object',
      description: 'Who owns it.',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', examples: ['Lan'], maxLength: 100 } },
    });
    expect(createThing?.arguments.map((a) => [a.name, a.location, a.httpName])).toEqual([
      ['idempotencyKey', 'header', 'Idempotency-Key'],
      ['label', 'body', 'label'],
      ['owner', 'body', 'owner'],
      ['previous', 'body', 'previous'],
      ['tags', 'body', 'tags'],
    ]);
  });

  it('tells the model how a header argument travels', () => {
    expect(createThing?.description).toBe(
      'Creates a thing. Pass the Idempotency-Key as the idempotencyKey argument.',
    );
    expect(createThing?.inputSchema.properties?.idempotencyKey?.description).toBe(
      'Unique per write. Sent as the Idempotency-Key header.',
    );
  });

  it('refuses arguments that collide and schemas that cannot be inlined', () => {
    const clash = document();
    const schemas = (clash.components as { schemas: Record<string, { properties: object }> })
      .schemas;
    schemas.CreateThingDto.properties = { idempotencyKey: { type: 'string' } };
    expect(() => toolCatalog(clash)).toThrow(/idempotencyKey is declared twice/);
    const loop = document();
    (loop.components as { schemas: Record<string, unknown> }).schemas.OwnerDto = {
      type: 'object',
      properties: { boss: { $ref: '#/components/schemas/OwnerDto' } },
    };
    expect(() => toolCatalog(loop)).toThrow(/recursive schema/);
  });
});

describe('provider dialects', () => {
  const catalog = toolCatalog(document());

  it('OpenAI strict: everything required, optional means nullable, objects closed', () => {
    const { parameters } = toolManifest(catalog, 'openai').tools[1].function;
    expect(parameters.required).toEqual(['idempotencyKey', 'label', 'owner', 'previous', 'tags']);
    expect(parameters.properties?.label).toEqual({
      type: 'string',
      description: 'A label. Example: "Desk".',
    });
    expect(parameters.properties?.owner).toMatchObject({
      type: ['object', 'null'],
      required: ['name', 'email'],
      additionalProperties: false,
      properties: { email: { type: ['string', 'null'], format: 'email' } },
    });
    expect(parameters.properties?.previous).toMatchObject({
      anyOf: [{ type: 'object', additionalProperties: false }, { type: 'null' }],
    });
    expect(parameters.properties?.tags).toEqual({
      type: ['array', 'null'],
      items: { type: 'string' },
      maxItems: 5,
    });
    const view = toolManifest(catalog, 'openai').tools[0].function.parameters.properties?.view;
    expect(view).toEqual({
      type: ['string', 'null'],
      enum: ['short', 'full', null],
      description: 'How much to show. Default: "short".',
    });
  });

  it('OpenAI strict wraps a typeless optional schema in anyOf with null', () => {
    expect(openAiStrictSchema({ description: 'Anything.', const: 1 }, true)).toEqual({
      description: 'Anything.',
      anyOf: [{ const: 1 }, { type: 'null' }],
    });
  });

  it('Gemini: upper-case types, nullable instead of null unions, no additionalProperties', () => {
    const { parameters } = toolManifest(catalog, 'gemini').functionDeclarations[1];
    expect(parameters.required).toEqual(['idempotencyKey', 'label']);
    expect(parameters.propertyOrdering).toEqual([
      'idempotencyKey',
      'label',
      'owner',
      'previous',
      'tags',
    ]);
    expect(parameters.properties?.previous).toMatchObject({ type: 'OBJECT', nullable: true });
    expect(JSON.stringify(parameters)).not.toContain('additionalProperties');
    expect(() => geminiSchema({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).toThrow();
  });

  it('MCP: annotations from the rate class', () => {
    const [read, write] = toolManifest(catalog, 'mcp').tools;
    expect(read?.annotations.readOnlyHint).toBe(true);
    expect(write?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(write?.title).toBe('Create a thing');
  });
});

describe('toHttpCall', () => {
  const [getThing, createThing] = toolCatalog(document());

  it('puts each argument where the route declares it and drops nulls the schema does not allow', () => {
    expect(toHttpCall(getThing, { thingId: 'a/b c', view: null })).toEqual({
      method: 'GET',
      url: '/v1/things/a%2Fb%20c',
      headers: { accept: 'application/json' },
    });
    const call = toHttpCall(createThing, {
      idempotencyKey: 'key-12345678',
      label: 'Desk',
      owner: { name: 'Lan', email: null },
      previous: null,
      tags: null,
      surprise: true,
    });
    expect(call).toEqual({
      method: 'POST',
      url: '/v1/things',
      headers: {
        accept: 'application/json',
        'idempotency-key': 'key-12345678',
        'content-type': 'application/json',
      },
      // The unknown argument goes to the body, where validation rejects it as it would over HTTP.
      payload: JSON.stringify({
        label: 'Desk',
        owner: { name: 'Lan' },
        previous: null,
        surprise: true,
      }),
    });
  });

  it('sends unknown arguments of a GET as query parameters', () => {
    expect(toHttpCall(getThing, { thingId: 'x', extra: 1 })).toMatchObject({
      url: '/v1/things/x?extra=1',
    });
  });

  it('reports a missing path argument instead of calling another route', () => {
    expect(toHttpCall(getThing, { view: 'full' })).toEqual({
      invalid: [
        { field: 'thingId', message: 'thingId is required and must be a string or a number' },
      ],
    });
  });

  it.each(['.', '..'])('refuses the dot segment %p as a path argument', (thingId) => {
    expect(toHttpCall(getThing, { thingId })).toEqual({
      invalid: [{ field: 'thingId', message: `thingId must not be "${thingId}"` }],
    });
    expect(toHttpCall(getThing, { thingId: '...' })).toMatchObject({ url: '/v1/things/...' });
  });
});
