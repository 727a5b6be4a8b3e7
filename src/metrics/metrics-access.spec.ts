import { describe, expect, it } from '@jest/globals';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { authorizeScrape, isLoopback } from './metrics-access.js';

const TOKEN = 'prometheus-scrape-token-0123456789';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof GatehouseError ? error.code : 'unexpected';
  }
}

describe(isLoopback.name, () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('accepts %s', (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each(['10.0.0.1', '::ffff:10.0.0.1', '::', '0.0.0.0', '1127.0.0.1', '', undefined])(
    'refuses %s',
    (address) => {
      expect(isLoopback(address)).toBe(false);
    },
  );
});

describe(authorizeScrape.name, () => {
  describe('without METRICS_TOKEN', () => {
    it('lets loopback callers in', () => {
      expect(
        codeOf(() => authorizeScrape({ headers: {}, socketAddress: '127.0.0.1' }, undefined)),
      ).toBeUndefined();
    });

    it('hides the endpoint from other addresses and from forwarded requests', () => {
      expect(
        codeOf(() => authorizeScrape({ headers: {}, socketAddress: '192.168.1.9' }, undefined)),
      ).toBe('route_not_found');
      expect(
        codeOf(() =>
          authorizeScrape(
            { headers: { 'x-forwarded-for': '203.0.113.7' }, socketAddress: '127.0.0.1' },
            undefined,
          ),
        ),
      ).toBe('route_not_found');
      expect(
        codeOf(() =>
          authorizeScrape(
            { headers: { forwarded: 'for=203.0.113.7' }, socketAddress: '::1' },
            undefined,
          ),
        ),
      ).toBe('route_not_found');
    });
  });

  describe('with METRICS_TOKEN', () => {
    it('requires the token, from any address', () => {
      expect(
        codeOf(() => authorizeScrape({ headers: {}, socketAddress: '127.0.0.1' }, TOKEN)),
      ).toBe('missing_credentials');
      expect(
        codeOf(() =>
          authorizeScrape(
            { headers: { authorization: `Bearer ${TOKEN}x` }, socketAddress: '127.0.0.1' },
            TOKEN,
          ),
        ),
      ).toBe('invalid_token');
      expect(
        codeOf(() =>
          authorizeScrape({ headers: { authorization: TOKEN }, socketAddress: '127.0.0.1' }, TOKEN),
        ),
      ).toBe('invalid_token');
      expect(
        codeOf(() =>
          authorizeScrape(
            { headers: { authorization: `Bearer ${TOKEN}` }, socketAddress: '198.51.100.4' },
            TOKEN,
          ),
        ),
      ).toBeUndefined();
      expect(
        codeOf(() =>
          authorizeScrape(
            { headers: { authorization: `bearer ${TOKEN}` }, socketAddress: '10.1.1.1' },
            TOKEN,
          ),
        ),
      ).toBeUndefined();
    });
  });
});
