import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { GatehouseError } from '../common/errors/gatehouse.error.js';

export interface ScrapeRequest {
  headers: IncomingHttpHeaders;
  /** The TCP peer, not a forwarded address: a local proxy must not make the world "loopback". */
  socketAddress: string | undefined;
}

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Who may read /metrics. With METRICS_TOKEN set: callers presenting it as a
 * bearer token. Without: loopback callers whose request was not forwarded by a
 * proxy; everyone else is told the endpoint does not exist.
 */
export function authorizeScrape(request: ScrapeRequest, token: string | undefined): void {
  if (token === undefined) {
    const forwarded = FORWARDING_HEADERS.some((h) => request.headers[h] !== undefined);
    if (isLoopback(request.socketAddress) && !forwarded) return;
    throw new GatehouseError('route_not_found', { detail: 'There is no endpoint GET /metrics.' });
  }
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    throw new GatehouseError('missing_credentials', {
      detail: 'Send "Authorization: Bearer <METRICS_TOKEN>".',
      agentHint: 'This endpoint is for the monitoring system, not for agents.',
    });
  }
  const presented = /^Bearer (\S+)$/i.exec(header)?.[1] ?? '';
  if (!timingSafeEqual(digest(presented), digest(token))) {
    throw new GatehouseError('invalid_token', {
      detail: 'The metrics token is not valid.',
      agentHint: 'This endpoint is for the monitoring system, not for agents.',
    });
  }
}
