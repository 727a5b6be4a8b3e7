import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { ConfigError } from '../config/app-config.js';
import { ClientIpResolver, normalizeIp } from './client-ip.js';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    raw: {
      socket: { remoteAddress },
      connection: { remoteAddress },
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    },
  }) as unknown as FastifyRequest;

describe(ClientIpResolver.name, () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(new ClientIpResolver([]).resolve(request('10.0.0.5', '203.0.113.9'))).toBe('10.0.0.5');
  });

  it('believes a trusted proxy, up to the first untrusted hop', () => {
    const ips = new ClientIpResolver(['10.0.0.0/8']);
    expect(ips.resolve(request('10.0.0.5', '203.0.113.9'))).toBe('203.0.113.9');
    expect(ips.resolve(request('10.0.0.5', '1.1.1.1, 203.0.113.9'))).toBe('203.0.113.9');
    expect(ips.resolve(request('10.0.0.5', '203.0.113.9, 10.0.0.7'))).toBe('203.0.113.9');
    expect(ips.resolve(request('192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
  });

  it('refuses an invalid TRUST_PROXY entry with a ConfigError', () => {
    expect(() => new ClientIpResolver(['10.0.0.0/99'])).toThrow(ConfigError);
  });
});

describe(normalizeIp.name, () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['not an ip', 'not an ip'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });
});
