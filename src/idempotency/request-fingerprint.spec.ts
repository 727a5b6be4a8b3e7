import { describe, expect, it } from '@jest/globals';

import { canonicalJson, requestFingerprint } from './request-fingerprint.js';

class NestedDto {
  b = 2;
  a?: string;
}

describe(canonicalJson.name, () => {
  it('sorts keys at every level and drops undefined values', () => {
    const nested = new NestedDto();
    expect(canonicalJson({ z: 1, a: { y: [3, { d: 1, c: 2 }], x: undefined }, m: nested })).toBe(
      '{"a":{"y":[3,{"c":2,"d":1}]},"m":{"b":2},"z":1}',
    );
  });
});

describe(requestFingerprint.name, () => {
  const base = { method: 'POST', route: '/v1/leads', body: { name: 'Lan', consent: true } };

  it('is the same for the same request whatever the key order', () => {
    expect(requestFingerprint(base)).toBe(
      requestFingerprint({
        route: '/v1/leads',
        body: { consent: true, name: 'Lan' },
        method: 'post',
      }),
    );
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when the body, route or method differs', () => {
    const fingerprint = requestFingerprint(base);
    expect(requestFingerprint({ ...base, body: { name: 'Lan', consent: false } })).not.toBe(
      fingerprint,
    );
    expect(requestFingerprint({ ...base, route: '/v1/handoffs' })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, method: 'PUT' })).not.toBe(fingerprint);
  });
});
