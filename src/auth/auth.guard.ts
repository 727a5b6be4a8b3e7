import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { ClientsService } from '../clients/clients.service.js';
import { ApiKeysService } from '../clients/api-keys.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RevocationService } from './revocation.service.js';
import { refusedByCustomerBinding } from '../tools/customer-binding.js';
import { REQUIRED_SCOPES, TOOL_METADATA, type ToolDefinition } from '../tools/tool.decorator.js';
import { IS_PUBLIC } from './public.decorator.js';
import type { Principal } from './principal.js';
import type { Scope } from './scopes.js';
import { TokenService } from './token.service.js';

/**
 * Secure by default: every route needs a valid credential unless marked
 * @Public(), and the credential must hold every scope the route declares.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly clients: ClientsService,
    private readonly apiKeys: ApiKeysService,
    private readonly revocation: RevocationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const tool = this.reflector.get<ToolDefinition | undefined>(
      TOOL_METADATA,
      context.getHandler(),
    );
    if (tool?.auditPlain && request.ctx) request.ctx.auditPlain = tool.auditPlain;
    const principal = await this.authenticate(request);
    request.principal = principal;
    const required =
      this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
    const missing = required.filter((s) => !principal.scopes.has(s));
    if (missing.length > 0) {
      throw new GatehouseError('insufficient_scope', {
        detail: `This call needs the scope ${missing.join(' ')}, which this credential does not hold.`,
        headers: {
          'www-authenticate': `Bearer error="insufficient_scope", scope="${required.join(' ')}"`,
        },
      });
    }
    if (tool && refusedByCustomerBinding(tool, principal.policies)) {
      throw new GatehouseError('tool_not_allowed', {
        detail: `${tool.name} lists many customers' orders; this client may only look up orders with the customer's email or phone (orderLookup "verified").`,
      });
    }
    return true;
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (header !== undefined && repeatedAuthorization(request)) {
      throw invalid('Send one Authorization header.');
    }
    const apiKeyHeader = request.headers['x-api-key'];
    if (typeof apiKeyHeader === 'string' && apiKeyHeader !== '') {
      if (header) throw invalid('Send one credential: Authorization or X-API-Key, not both.');
      return this.fromApiKey(apiKeyHeader);
    }
    if (header === undefined || header === '') {
      throw new GatehouseError('missing_credentials', {
        detail: 'Send "Authorization: Bearer <access token>" or "X-API-Key: <key>".',
      });
    }
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
    if (!match?.[1]) throw invalid('The Authorization header must be "Bearer <token>".');
    const credential = match[1];
    if (credential.startsWith('gh_')) return this.fromApiKey(credential);
    return this.fromAccessToken(credential);
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const claims = await this.tokens.verify(token);
    const [client, revoked, secretOk] = await Promise.all([
      this.clients.findActive(claims.clientId),
      this.revocation.isTokenRevoked(claims.jti),
      claims.secretId ? this.revocation.isSecretUsable(claims.secretId) : Promise.resolve(true),
    ]);
    if (!client) throw invalid('The client this token was issued to is disabled.');
    if (revoked) throw invalid('This access token has been revoked.');
    if (!secretOk)
      throw invalid('The client secret this token was issued for has been revoked or rotated out.');
    // A token never carries more than the client holds now: scopes removed later stop working at once.
    const scopes = new Set(claims.scopes.filter((s) => client.scopes.includes(s)));
    return {
      clientId: client.id,
      clientName: client.name,
      scopes,
      credentialType: 'jwt',
      credentialId: claims.jti,
      policies: client.policies,
      limits: client.limits,
    };
  }

  private async fromApiKey(presented: string): Promise<Principal> {
    const key = await this.apiKeys.verify(presented, this.config.clientCacheTtlMs);
    const client = key ? await this.clients.findActive(key.clientId) : null;
    if (!key || !client) throw invalid('The API key is not valid, has expired or was revoked.');
    const scopes = new Set(key.scopes.filter((s) => client.scopes.includes(s)));
    return {
      clientId: client.id,
      clientName: client.name,
      scopes,
      credentialType: 'api_key',
      credentialId: key.keyId,
      policies: client.policies,
      limits: client.limits,
    };
  }
}

/**
 * Node keeps the first of several Authorization headers, a proxy in front
 * may keep the last: two parties would disagree on who is calling.
 */
function repeatedAuthorization(request: FastifyRequest): boolean {
  const raw = request.raw.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === 13 && name.toLowerCase() === 'authorization' && ++seen > 1) return true;
  }
  return false;
}

function invalid(detail: string): GatehouseError {
  return new GatehouseError('invalid_token', {
    detail,
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });
}
