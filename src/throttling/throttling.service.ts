import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { ClientsService } from '../clients/clients.service.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { RateClass } from '../tools/tool.decorator.js';
import { ClientIpResolver } from './client-ip.js';
import { RateLimitStore } from './rate-limit.store.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';

export const RATE_WINDOW_MS = 60_000;

/** What a counter counts: tool classes per client, the OAuth endpoints per client and per IP, 401s per IP. */
export type RateBucket = 'read' | 'write' | 'token' | 'token_ip' | 'auth_failure_ip';

export interface RateDecision {
  bucket: RateBucket;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  allowed: boolean;
}

export interface ThrottlingStats {
  throttled: Record<RateBucket, number>;
  /** Hits counted locally because the shared store (Redis) failed; 0 without Redis. */
  storageErrors: number;
  storageDegraded: boolean;
}

interface PresentedClient {
  id: string;
  secret: string;
}

/** Counts calls against the SPEC §7 limits and turns refusals into rate_limited problems. */
@Injectable()
export class ThrottlingService {
  private readonly limits: AppConfig['throttle'];
  private readonly throttled: Record<RateBucket, number> = {
    read: 0,
    write: 0,
    token: 0,
    token_ip: 0,
    auth_failure_ip: 0,
  };

  constructor(
    private readonly store: RateLimitStore,
    private readonly ips: ClientIpResolver,
    private readonly clients: ClientsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = config.throttle;
  }

  clientIp(request: FastifyRequest): string {
    return this.ips.resolve(request);
  }

  /**
   * One call by this client in this rate class, with the client's own limit
   * when it has one. Tools count in their declared class; other authenticated
   * routes count as reads. MCP `tools/call` uses this too.
   */
  forClient(
    principal: Pick<Principal, 'clientId' | 'limits'>,
    rateClass: RateClass,
  ): Promise<RateDecision> {
    const fallback = rateClass === 'write' ? this.limits.writePerMinute : this.limits.readPerMinute;
    return this.hit(rateClass, principal.clientId, principal.limits[rateClass] ?? fallback);
  }

  /**
   * The OAuth endpoints: always per client IP; per client only once the
   * presented credentials are valid, so nobody can use up another client's
   * token quota by sending its client id with wrong secrets (those count as
   * failed authentications of the sender's IP instead).
   */
  async forTokenEndpoint(request: FastifyRequest): Promise<RateDecision> {
    const byIp = await this.hit(
      'token_ip',
      this.clientIp(request),
      this.limits.tokenPerIpPerMinute,
    );
    if (!byIp.allowed) return byIp;
    const presented = presentedClient(request);
    const auth = presented ? await this.clients.authenticate(presented.id, presented.secret) : null;
    if (!auth) return byIp;
    if (request.ctx) request.ctx.clientId = auth.client.id;
    const limit = auth.client.limits.token ?? this.limits.tokenPerMinute;
    return tighter(byIp, await this.hit('token', auth.client.id, limit));
  }

  /** Refuses an IP that has used up its failed authentications in this window. */
  async authFailureGate(ip: string): Promise<RateDecision | undefined> {
    const limit = this.limits.authFailuresPerIpPerMinute;
    const { totalHits, timeToExpire } = await this.store.peek(storeKey('auth_failure_ip', ip));
    if (totalHits < limit) return undefined;
    return {
      bucket: 'auth_failure_ip',
      limit,
      remaining: 0,
      resetSeconds: timeToExpire,
      allowed: false,
    };
  }

  async recordAuthFailure(ip: string): Promise<void> {
    await this.hit('auth_failure_ip', ip, this.limits.authFailuresPerIpPerMinute);
  }

  /** Puts the RateLimit-* headers on the reply, or throws rate_limited (which carries them too). */
  enforce(decision: RateDecision, reply: FastifyReply): void {
    if (!decision.allowed) throw this.rejection(decision);
    void reply.headers(rateLimitHeaders(decision));
  }

  rejection(decision: RateDecision): GatehouseError {
    this.throttled[decision.bucket] += 1;
    return new GatehouseError('rate_limited', {
      detail: describe(decision),
      retryAfterSeconds: decision.resetSeconds,
      headers: rateLimitHeaders(decision),
    });
  }

  stats(): ThrottlingStats {
    const redis = this.store instanceof RedisRateLimitStore ? this.store : undefined;
    return {
      throttled: { ...this.throttled },
      storageErrors: redis?.throttleStorageErrors ?? 0,
      storageDegraded: redis?.degraded ?? false,
    };
  }

  private async hit(bucket: RateBucket, subject: string, limit: number): Promise<RateDecision> {
    const record = await this.store.increment(
      storeKey(bucket, subject),
      RATE_WINDOW_MS,
      limit,
      RATE_WINDOW_MS,
      bucket,
    );
    return {
      bucket,
      limit,
      remaining: Math.max(0, limit - record.totalHits),
      resetSeconds: record.timeToExpire,
      allowed: !record.isBlocked,
    };
  }
}

function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

function storeKey(bucket: RateBucket, subject: string): string {
  return `${bucket}:${subject}`;
}

/** The decision a caller should see: a refusal over an allowance, else the fewer remaining calls. */
function tighter(a: RateDecision, b: RateDecision): RateDecision {
  if (a.allowed !== b.allowed) return a.allowed ? b : a;
  if (!a.allowed) return a.resetSeconds >= b.resetSeconds ? a : b;
  return b.remaining < a.remaining ? b : a;
}

function describe(decision: RateDecision): string {
  const { limit, resetSeconds: s } = decision;
  switch (decision.bucket) {
    case 'read':
    case 'write':
      return `This client may make ${limit} ${decision.bucket} calls per minute; the window resets in ${s} s.`;
    case 'token':
      return `This client may request ${limit} tokens per minute; the window resets in ${s} s.`;
    case 'token_ip':
      return `Too many token requests from this address (${limit} per minute); the window resets in ${s} s.`;
    case 'auth_failure_ip':
      return `Too many failed authentications from this address (${limit} per minute); calls from it are refused for ${s} s.`;
  }
}

/** The client id and secret a token request presents (Basic or form/JSON body), if well-formed. */
function presentedClient(request: FastifyRequest): PresentedClient | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const match = /^Basic ([A-Za-z0-9+/]{1,1024}=*)$/i.exec(authorization.trim());
    if (!match?.[1]) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const id = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    return id && secret ? bounded({ id, secret }) : undefined;
  }
  const body = request.body;
  if (!body || typeof body !== 'object') return undefined;
  const { client_id: id, client_secret: secret } = body as Record<string, unknown>;
  return typeof id === 'string' && typeof secret === 'string' ? bounded({ id, secret }) : undefined;
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function bounded(client: PresentedClient): PresentedClient | undefined {
  const ok = client.id.length > 0 && client.id.length <= 64 && client.secret.length <= 256;
  return ok ? client : undefined;
}
