import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  MAX_SUMMARY_BYTES,
  MORE_KEYS,
  REDACTED,
  TRUNCATED,
  redact,
  redactSummary,
  redactText,
} from './redaction.js';

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
const keyed = (n: number, value: (i: number) => unknown = (i) => `v${i}`) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value(i)]));

/** A three-byte UTF-8 letter: the widest a legitimate Vietnamese text gets per UTF-16 unit. */
const WIDE = 'ệ';

describe('redact: key cap', () => {
  it('keeps the first 50 keys of an object and counts the rest in a last "…" entry', () => {
    const out = redact({ body: keyed(5000) }) as { body: Record<string, string> };
    const keys = Object.keys(out.body);
    expect(keys).toHaveLength(51);
    expect(keys.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
    expect(out.body[MORE_KEYS]).toBe('4950 more keys');
  });

  it('says "1 more key" for one, leaves 50 keys untouched, and skips absent values', () => {
    expect((redact(keyed(51)) as Record<string, string>)[MORE_KEYS]).toBe('1 more key');
    expect(redact(keyed(50))).toEqual(keyed(50));
    expect(redact({ ...keyed(50), gone: undefined })).toEqual(keyed(50));
  });

  it('caps nested objects too, and a secret beyond the cap is not shown at all', () => {
    const nested = { a: { ...keyed(60), password: 'hunter2' } };
    const out = redact(nested) as { a: Record<string, string> };
    expect(out.a[MORE_KEYS]).toBe('11 more keys');
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });
});

describe('redactSummary: size bound', () => {
  it('returns the redacted summary unchanged when it fits', () => {
    const summary = { params: {}, query: { q: 'ban' }, body: { email: 'lan.tran@example.vn' } };
    expect(redactSummary(summary)).toEqual(redact(summary));
    expect(redactSummary(summary)).toEqual({
      params: {},
      query: { q: 'ban' },
      body: { email: 'l***@e***.vn' },
    });
  });

  it('cuts an over-size summary to 4 KiB: a first [TRUNCATED] entry, leading keys, a count of the rest', () => {
    const long = (i: number) => `${i}:${'x'.repeat(400)}`;
    const summary = { params: {}, query: {}, body: keyed(5000, long) };
    const fullBytes = bytes(redact(summary));
    const out = redactSummary(summary) as {
      [TRUNCATED]: string;
      params: object;
      query: object;
      body: Record<string, string>;
    };
    const stored = JSON.stringify(out);
    expect(Buffer.byteLength(stored, 'utf8')).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(Object.keys(out)[0]).toBe(TRUNCATED);
    expect(out[TRUNCATED]).toBe(`${fullBytes} bytes cut to ${MAX_SUMMARY_BYTES}`);
    expect(out.params).toEqual({});
    expect(out.query).toEqual({});
    const shown = Object.keys(out.body).filter((k) => k !== MORE_KEYS);
    // Whole values where they fit, then at most one cut value, in the body's order.
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => `k${i}`));
    expect(shown.length).toBeGreaterThanOrEqual(8);
    for (const key of shown.slice(0, -1)) expect(out.body[key]).toBe(long(Number(key.slice(1))));
    expect(out.body[MORE_KEYS]).toBe(`${5000 - shown.length} more keys`);
  });

  it('still redacts what it keeps when cutting', () => {
    const summary = {
      body: {
        email: 'lan.tran@example.vn',
        note: `call +84 912 345 678 ${'y'.repeat(480)}`,
        ...keyed(48, () => 'z'.repeat(480)),
      },
    };
    const out = redactSummary(summary, { extraFields: [] }, 1024);
    const text = JSON.stringify(out);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(1024);
    expect(text).toContain('l***@e***.vn');
    expect(text).not.toContain('lan.tran');
    expect(text).not.toContain('912 345 678');
  });

  it('never exceeds the bound and always stores whole JSON, whatever the shape and characters', () => {
    const text = fc.string({ unit: 'binary', maxLength: 600 });
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 30 }),
        fc.dictionary(fc.string({ maxLength: 12 }), tie('node'), { maxKeys: 70 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.integer({ min: 64, max: 4096 }), (body, max) => {
        const out = redactSummary({ params: {}, query: {}, body }, { extraFields: [] }, max);
        const stored = JSON.stringify(out);
        expect(Buffer.byteLength(stored, 'utf8')).toBeLessThanOrEqual(max);
        expect(JSON.parse(stored)).toEqual(out);
        if (bytes(redact({ params: {}, query: {}, body })) > max) {
          expect(Object.keys(out)).toContain(TRUNCATED);
        } else {
          expect(out).toEqual(redact({ params: {}, query: {}, body }));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stores the biggest valid create_internal_request and create_lead whole, over HTTP and MCP', () => {
    const requestBody = {
      type: 'stock_transfer',
      summary: WIDE.repeat(200),
      description: WIDE.repeat(4000),
      priority: 'urgent',
      requester: {
        name: Array.from({ length: 50 }, () => WIDE).join(' '),
        email: `${'a'.repeat(64)}@${'b'.repeat(178)}.example.vn`,
        team: WIDE.repeat(60),
      },
      relatedOrderNumber: 'SO-2026-000123',
      relatedSku: `D${'X'.repeat(39)}`,
      conversationId: 'c'.repeat(128),
    };
    const leadBody = {
      name: Array.from({ length: 60 }, () => WIDE).join(' '),
      email: `${'a'.repeat(64)}@${'b'.repeat(178)}.example.vn`,
      phone: '+84 912 345 678',
      company: WIDE.repeat(120),
      interest: {
        skus: Array.from(
          { length: 20 },
          (_, i) => `SKU-${String(i).padStart(2, '0')}${'X'.repeat(34)}`,
        ),
        note: WIDE.repeat(1000),
      },
      channel: 'whatsapp',
      consent: true,
      conversationId: 'c'.repeat(128),
      region: 'central',
    };
    const biggest: [string, object][] = [
      ['create_internal_request', requestBody],
      ['create_lead', leadBody],
    ];
    for (const [tool, body] of biggest) {
      const http = { params: {}, query: {}, body };
      const mcp = {
        params: {},
        query: {},
        body: {
          jsonrpc: '2.0',
          id: 2147483647,
          method: 'tools/call',
          params: { name: tool, arguments: body },
        },
      };
      for (const summary of [http, mcp]) {
        const out = redactSummary(summary);
        expect(out).toEqual(redact(summary));
        expect(bytes(out)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
        // Only the documented per-string cut applies.
        expect(JSON.stringify(out)).toContain(`${WIDE.repeat(500)}…`);
      }
    }
  });
});

describe('plain paths', () => {
  const exchange = {
    body: {
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'check_inventory', arguments: { name: 'Phạm Minh Châu' } },
    },
  };
  const mcpRules = { extraFields: [], plainPaths: ['body.params.name'] };

  it("keeps the named path's text readable and masks the same field name elsewhere", () => {
    const out = redactSummary(exchange, mcpRules) as typeof exchange;
    expect(out.body.params.name).toBe('check_inventory');
    expect(out.body.params.arguments.name).toBe('P*** M*** C***');
    const plain = redactSummary(exchange) as typeof exchange;
    expect(plain.body.params.name).toBe('c**************');
  });

  it('still masks emails inside, and a secret or AUDIT_REDACT_FIELDS entry still wins', () => {
    const tricky = { body: { params: { name: 'ask lan.tran@example.vn' } } };
    expect(redact(tricky, mcpRules)).toEqual({ body: { params: { name: 'ask l***@e***.vn' } } });
    const dropped = redact(exchange, { extraFields: ['name'], plainPaths: ['body.params.name'] });
    expect(dropped).toMatchObject({ body: { params: { name: REDACTED } } });
  });
});

describe('redactText', () => {
  it('masks an email that straddles the 500-character cut instead of showing its start', () => {
    // 504 characters: cut first, "chau.pham@exampl" would no longer look like an email.
    const out = redactText(`${'x '.repeat(242)}chau.pham@example.vn`);
    expect(out).toBe(`${'x '.repeat(242)}c***@e***.vn`);
    const cut = redactText(`${'x '.repeat(248)}chau.pham@example.vn`);
    expect(cut).toBe(`${'x '.repeat(248)}c***…`);
  });

  it('never shows half an email that masking earlier credentials pulled into view', () => {
    const jwt = `eyJ${'a'.repeat(200)}.${'b'.repeat(200)}.${'c'.repeat(96)}`;
    // The email straddles the mask window (754 characters); the token before it shrinks to [REDACTED].
    const text = `${jwt} ${'y '.repeat(120)}chau.pham@example.vn and more`;
    expect(text.indexOf('chau.pham')).toBeLessThan(754);
    expect(text.indexOf('chau.pham') + 'chau.pham@example.vn'.length).toBeGreaterThan(754);
    const out = redactText(text);
    expect(out).toBe(`[REDACTED] ${'y '.repeat(120).trimEnd()} …`);
    expect(out).not.toContain('chau');
  });

  it('caps text at 500 characters plus the "…" mark', () => {
    expect(redactText('a'.repeat(5000))).toBe(`${'a'.repeat(500)}…`);
    expect(redactText('a'.repeat(500))).toBe('a'.repeat(500));
  });
});

describe('AUDIT_REDACT_FIELDS', () => {
  const summary = {
    params: {},
    query: {},
    body: {
      company: 'Nội Thất Á Châu',
      interest: { note: 'wants 40 desks', skus: ['A-1'] },
      note: 'kept',
    },
  };

  it('drops a field name at any depth and a dotted path relative to the body', () => {
    const out = redactSummary(summary, { extraFields: ['company', 'interest.note'] }, 4096) as {
      body: { company: string; interest: { note: string; skus: string[] }; note: string };
    };
    expect(out.body.company).not.toContain('Châu');
    expect(out.body.interest.note).not.toContain('desks');
    expect(out.body.interest.skus).toEqual(['A-1']);
    expect(out.body.note).toBe('kept');
  });
});

describe('redact: secret field names', () => {
  it('drops every spelling of a credential name, and names that end in one', () => {
    const secrets = [
      'password',
      'clientSecret',
      'client_secret',
      'refreshToken',
      'refresh_token',
      'idToken',
      'id_token',
      'sessionToken',
      'access-token',
      'privateKey',
      'passphrase',
      'credentials',
      'setCookie',
      'X-API-KEY',
      'apiKey',
      'Authorization',
      'secrets',
      'tokens',
      'passwords',
      'apiKeys',
      'cookies',
    ];
    const out = redact(Object.fromEntries(secrets.map((name) => [name, 'hunter2'])));
    expect(out).toEqual(Object.fromEntries(secrets.map((name) => [name, REDACTED])));
  });

  it('keeps names that only contain a credential word', () => {
    const kept = {
      tokenTypeHint: 'refresh_token',
      keyId: 'k1',
      idempotencyKey: 'order-7',
      secretary: 'Mai',
    };
    expect(redact(kept)).toEqual(kept);
  });
});
