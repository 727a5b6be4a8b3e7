import { describe, expect, it } from '@jest/globals';
import { hasProof, matchesCustomer } from './customer-match.js';

const customer = { email: 'lan.tran@example.vn', phone: '+84901234567' };

describe(matchesCustomer.name, () => {
  it('matches the right email whatever its case and surrounding spaces', () => {
    expect(matchesCustomer(customer, { customerEmail: '  LAN.TRAN@example.vn ' })).toBe(true);
  });

  it('matches the right phone in international or Vietnamese local format', () => {
    expect(matchesCustomer(customer, { customerPhone: '+84 90 123 45 67' })).toBe(true);
    expect(matchesCustomer(customer, { customerPhone: '0901 234 567' })).toBe(true);
  });

  it('matches a phone whose "+" arrived as a space from an unencoded query string', () => {
    expect(matchesCustomer(customer, { customerPhone: ' 84901234567' })).toBe(true);
  });

  it('rejects a wrong email or phone', () => {
    expect(matchesCustomer(customer, { customerEmail: 'lan@example.vn' })).toBe(false);
    expect(matchesCustomer(customer, { customerPhone: '+84901234568' })).toBe(false);
    expect(matchesCustomer(customer, { customerPhone: 'not a phone' })).toBe(false);
    expect(matchesCustomer(customer, { customerEmail: '' })).toBe(false);
  });

  it('requires every given detail to match', () => {
    expect(
      matchesCustomer(customer, {
        customerEmail: 'lan.tran@example.vn',
        customerPhone: '+84999999999',
      }),
    ).toBe(false);
  });

  it('matches vacuously when nothing is given', () => {
    expect(matchesCustomer(customer, {})).toBe(true);
    expect(hasProof({})).toBe(false);
    expect(hasProof({ customerPhone: '0901234567' })).toBe(true);
  });
});
