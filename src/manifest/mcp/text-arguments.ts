import { MAX_PATH_PARAM_LENGTH, MAX_URL_LENGTH } from '../../common/http/hardening.js';
import { typesOf, type JsonSchema } from '../json-schema.js';

export interface FieldError {
  field: string;
  message: string;
}

/** A tool argument sent as text: in the path, the query or a header. */
export interface TextArgument {
  name: string;
  location: 'path' | 'query' | 'header';
  value: unknown;
  schema: JsonSchema;
}

/**
 * Which JSON types fit a schema type once the value becomes text: the route
 * parses and validates the text of a number or boolean, as over HTTP.
 */
const FITS: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => typeof v === 'number' || typeof v === 'string',
  number: (v) => typeof v === 'number' || typeof v === 'string',
  boolean: (v) => typeof v === 'boolean' || typeof v === 'string',
};

/** class-validator's wording, so a message reads as it would over HTTP. */
const MUST_BE: Record<string, string> = {
  string: 'must be a string',
  integer: 'must be an integer number',
  number: 'must be a number conforming to the specified constraints',
  boolean: 'must be a boolean value',
};

/**
 * Refuses a value the published schema's type rules out before it is
 * stringified into a URL or header, where it would become text the route
 * accepts (`{"a":1}` as a search term). An array fits only an array schema.
 */
export function typeError(name: string, value: unknown, schema: JsonSchema): string | undefined {
  if (typesOf(schema).includes('array')) {
    const items = schema.items ?? {};
    const values: unknown[] = Array.isArray(value) ? value : [value];
    return values.every((v) => fitsScalar(v, items))
      ? undefined
      : `each value in ${name} ${mustBe(items)}`;
  }
  return fitsScalar(value, schema) ? undefined : `${name} ${mustBe(schema)}`;
}

function fitsScalar(value: unknown, schema: JsonSchema): boolean {
  if (value === undefined || (typeof value === 'object' && value !== null)) return false;
  const types = typesOf(schema).filter((t) => t !== 'null');
  return types.length === 0 || types.some((t) => FITS[t]?.(value) ?? false);
}

function mustBe(schema: JsonSchema): string {
  const message = typesOf(schema)
    .map((t) => MUST_BE[t])
    .find((m) => m !== undefined);
  return message ?? 'must be a string, a number or a boolean';
}

/**
 * Arguments too long for the router, which would refuse the request before
 * validation and audit with a URL error an agent cannot act on. Shorter ones
 * are left to the route, so its messages stay those of HTTP.
 */
export function routerLengthErrors(args: TextArgument[], url: string): FieldError[] {
  const path = args.filter(
    (a) => a.location === 'path' && String(a.value).length > MAX_PATH_PARAM_LENGTH,
  );
  if (url.length <= MAX_URL_LENGTH) return path.map(tooLong);
  const query = args.filter((a) => a.location === 'query');
  const over = query.filter(overMaxLength);
  // No argument breaks its own limit (long once percent-encoded): name the longest.
  const longest = [...query].sort((a, b) => textLength(b) - textLength(a)).slice(0, 1);
  return [...path, ...(over.length > 0 ? over : longest)].map(tooLong);
}

function tooLong(arg: TextArgument): FieldError {
  const message = overMaxLength(arg)
    ? `${arg.name} must be shorter than or equal to ${String(maxLengthOf(arg))} characters`
    : `${arg.name} is too long`;
  return { field: arg.name, message };
}

function overMaxLength(arg: TextArgument): boolean {
  const max = maxLengthOf(arg);
  const values: unknown[] = Array.isArray(arg.value) ? arg.value : [arg.value];
  return max !== undefined && values.some((v) => String(v).length > max);
}

/** The maxLength of the argument's text, or of each item's for an array. */
function maxLengthOf({ schema }: TextArgument): number | undefined {
  const max = (schema.items ?? schema).maxLength;
  return typeof max === 'number' ? max : undefined;
}

function textLength({ value }: TextArgument): number {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  return values.reduce<number>((sum, v) => sum + encodeURIComponent(String(v)).length, 0);
}
