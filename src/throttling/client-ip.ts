import { isIP } from 'node:net';
import proxyaddr from '@fastify/proxy-addr';
import type { FastifyRequest } from 'fastify';
import { ConfigError } from '../config/app-config.js';

/**
 * The address per-IP limits count against. X-Forwarded-For is read only when
 * the connection comes from a configured trusted proxy (TRUST_PROXY), and then
 * only up to the first address that is not itself trusted, so a client cannot
 * pick its own identity. IPv4-mapped addresses count as IPv4; IPv6 clients
 * count per /64, the smallest block one subscriber usually holds.
 */
export class ClientIpResolver {
  private readonly trust?: (address: string, hop: number) => boolean;

  constructor(trustedProxies: readonly string[]) {
    if (trustedProxies.length === 0) return;
    try {
      this.trust = proxyaddr.compile([...trustedProxies]);
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration:\n  - TRUST_PROXY: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  resolve(request: FastifyRequest): string {
    const address = this.trust
      ? proxyaddr(request.raw, this.trust)
      : request.raw.socket.remoteAddress;
    return address ? normalizeIp(address) : 'unknown';
  }
}

/** IPv4 as is (also when IPv4-mapped), IPv6 reduced to its /64 network. */
export function normalizeIp(address: string): string {
  const bare = address.split('%')[0] ?? address;
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped?.[1]) return mapped[1];
  const hextets = expandIpv6(bare.toLowerCase());
  return hextets ? `${hextets.slice(0, 4).join(':')}::/64` : bare;
}

function expandIpv6(address: string): string[] | undefined {
  const withoutQuad = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [
      [a, b],
      [c, d],
    ]
      .map(([x, y]) => ((Number(x) << 8) | Number(y)).toString(16))
      .join(':'),
  );
  const [head = '', tail] = withoutQuad.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right];
  return groups.length === 8 ? groups.map((g) => parseInt(g, 16).toString(16)) : undefined;
}
