/** A JSON Schema (2020-12) or OpenAPI 3.1 schema object, read and written as plain JSON. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  nullable?: boolean;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  format?: string;
  [keyword: string]: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local JSON pointer (`#/components/schemas/X`) inside `root`. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node) || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = node[key];
  }
  return node;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const SCHEMA_SINGLES = ['items', 'not', 'additionalProperties', 'contains'] as const;

/**
 * Inlines every `$ref` (resolved against `root`) and flattens the
 * `allOf: [{$ref}]` wrapper Swagger emits for described nested DTOs.
 * Recursive schemas cannot be inlined and throw.
 */
export function dereference(
  schema: unknown,
  root: unknown,
  seen: readonly string[] = [],
): JsonSchema {
  if (!isRecord(schema)) throw new Error('schema must be an object');
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (seen.includes(ref)) throw new Error(`recursive schema ${ref} cannot be inlined`);
    const siblings = { ...schema };
    delete siblings.$ref;
    const target = dereference(resolvePointer(root, ref), root, [...seen, ref]);
    return { ...target, ...dereference(siblings, root, seen) };
  }
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if ((SCHEMA_MAPS as readonly string[]).includes(keyword) && isRecord(value)) {
      out[keyword] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, dereference(v, root, seen)]),
      );
    } else if ((SCHEMA_LISTS as readonly string[]).includes(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((v) => dereference(v, root, seen));
    } else if ((SCHEMA_SINGLES as readonly string[]).includes(keyword) && isRecord(value)) {
      out[keyword] = dereference(value, root, seen);
    } else {
      out[keyword] = structuredClone(value);
    }
  }
  return flattenAllOf(out);
}

/** Merges `allOf` branches into their parent; the parent's annotations win. */
function flattenAllOf(schema: JsonSchema): JsonSchema {
  if (!schema.allOf) return schema;
  const { allOf, ...parent } = schema;
  let merged: JsonSchema = {};
  for (const branch of allOf) {
    merged = {
      ...merged,
      ...branch,
      ...(merged.properties || branch.properties
        ? { properties: { ...merged.properties, ...branch.properties } }
        : {}),
      ...(merged.required || branch.required
        ? { required: [...new Set([...(merged.required ?? []), ...(branch.required ?? [])])] }
        : {}),
    };
  }
  return { ...merged, ...parent };
}

/** The type names a schema admits (empty when it has no `type`). */
export function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return typeof schema.type === 'string' ? [schema.type] : [];
}

/** Whether `null` is a valid instance (by type, enum or a union branch). */
export function acceptsNull(schema: JsonSchema): boolean {
  return (
    typesOf(schema).includes('null') ||
    (schema.enum?.includes(null) ?? false) ||
    [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(acceptsNull)
  );
}

export function isObjectSchema(schema: JsonSchema): boolean {
  return typesOf(schema).includes('object') || (!schema.type && schema.properties !== undefined);
}

/** Every `$ref` left anywhere in a JSON value (none must remain in a manifest). */
export function findRefs(value: unknown, path = '#'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findRefs(v, `${path}/${i}`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === '$ref' ? [path] : findRefs(v, `${path}/${k}`),
  );
}
