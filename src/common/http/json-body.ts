import { isUtf8 } from 'node:buffer';
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors/gatehouse.error.js';

export const MAX_JSON_DEPTH = 20;

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
/** UTF-8 by any name, and ASCII, which is UTF-8 too. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
/**
 * Valid JSON that Fastify's parser refused anyway: it has a `__proto__` or
 * `constructor.prototype` key (Fastify reports every refusal as invalid JSON).
 */
function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * JSON bodies as UTF-8 only (RFC 8259 §8.1). Fastify's own parser decodes
 * any bytes, replacing invalid ones with U+FFFD, and ignores the charset, so
 * a Latin-1 name was stored as "Nguy�n" with a 201. Its JSON.parse (with
 * prototype-poisoning refusal) still does the parsing. For
 * `app.useBodyParser('application/json', …)`, which Nest registers in place of its default.
 */
export function strictJsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
      done(
        new GatehouseError('unsupported_media_type', {
          detail: `Send JSON encoded as UTF-8, not ${charset}.`,
        }),
      );
      return;
    }
    if (!isUtf8(body)) {
      done(new GatehouseError('malformed_json', { detail: 'The body is not valid UTF-8.' }));
      return;
    }
    const text = body.toString('utf8');
    void parse(request, text, (error, value) => {
      if (error && isPlainJson(text)) {
        done(
          new GatehouseError('malformed_json', {
            detail: 'The JSON body has a "__proto__" or "constructor" key, which is refused.',
          }),
        );
        return;
      }
      done(error, value);
    });
  };
}

/**
 * Before validation, so class-transformer and class-validator never recurse
 * into a hostile body, no lone surrogate reaches the store (Prisma's engine
 * rejects such strings, which would surface as a 500) and no control
 * character reaches a core system. Text is brought to Unicode NFC on the way,
 * so the same name or email typed in decomposed form (NFD) is the same value
 * for validation, deduplication and storage.
 */
export function unsafeBody(request: FastifyRequest): GatehouseError | undefined {
  const finding = inspectJson(request.body, MAX_JSON_DEPTH);
  if (finding === undefined) return undefined;
  if (finding.problem === 'depth') {
    return new GatehouseError('validation_failed', {
      detail: `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
      errors: [
        { field: '(body)', message: `must not be nested more than ${MAX_JSON_DEPTH} levels deep` },
      ],
    });
  }
  if (finding.problem === 'control') {
    return new GatehouseError('validation_failed', {
      detail: 'The JSON body contains a control character.',
      errors: [
        {
          field: finding.field,
          message: 'must not contain control characters (tab and line breaks are fine)',
        },
      ],
    });
  }
  return new GatehouseError('validation_failed', {
    detail: 'The JSON body contains text that is not valid Unicode (a lone surrogate escape).',
    errors: [{ field: finding.field, message: 'must be valid Unicode text' }],
  });
}

const LONE_SURROGATE = /\p{Surrogate}/u;
// eslint-disable-next-line no-control-regex -- the ASCII range, control characters included
const NON_ASCII = /[^\u0000-\u007f]/;
/** C0 controls but tab, LF and CR; DEL; C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export interface JsonFinding {
  problem: 'depth' | 'unicode' | 'control';
  /** Dotted path of the offending key or value; "(body)" for the body itself. */
  field: string;
}

function textProblem(text: string): JsonFinding['problem'] | undefined {
  if (LONE_SURROGATE.test(text)) return 'unicode';
  if (CONTROL.test(text)) return 'control';
  return undefined;
}

/**
 * Finds the first reason to refuse a parsed JSON value: nesting deeper than
 * `maxDepth`, or a key or string with a lone surrogate or a control
 * character; strings in objects and arrays are replaced by their NFC form.
 * Iterative, so a deep value cannot overflow the stack of the check itself.
 */
export function inspectJson(value: unknown, maxDepth: number): JsonFinding | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { problem, field: '(body)' } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const stack: [Record<string, unknown>, number, string][] = [
    [value as Record<string, unknown>, 1, ''],
  ];
  while (stack.length > 0) {
    const [node, depth, path] = stack.pop() as [Record<string, unknown>, number, string];
    if (depth > maxDepth) return { problem: 'depth', field: '(body)' };
    for (const key of Object.keys(node)) {
      const child = node[key];
      const field = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) return { problem: keyProblem, field: path || '(body)' };
      if (typeof child === 'string') {
        const problem = textProblem(child);
        if (problem) return { problem, field };
        // ASCII is NFC already: most strings skip normalize(), which copies the text.
        if (NON_ASCII.test(child)) {
          const nfc = child.normalize('NFC');
          if (nfc !== child) node[key] = nfc;
        }
      } else if (child !== null && typeof child === 'object') {
        stack.push([child as Record<string, unknown>, depth + 1, field]);
      }
    }
  }
  return undefined;
}
