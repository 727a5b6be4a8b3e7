import { describe, expect, it } from '@jest/globals';

import { normalizeEmail, normalizePhone } from './normalize-contact.js';

describe(normalizeEmail.name, () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Lan.Nguyen@Example.VN ')).toBe('lan.nguyen@example.vn');
  });

  it('returns null for an empty value', () => {
    expect(normalizeEmail('   ')).toBeNull();
  });
});

describe(normalizePhone.name, () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['0084912345678', '+84912345678'],
    ['(028) 3822 1234', '+842838221234'],
    ['+1 415-555-2671', '+14155552671'],
  ])('normalises %p to E.164', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['12', 'abc', '091234567899999', 'call me on 0912345678', '+84912345678x', ''])(
    'returns null for %p',
    (input) => {
      expect(normalizePhone(input)).toBeNull();
    },
  );
});
