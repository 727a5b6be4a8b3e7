import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { ClientsService } from '../clients/clients.service.js';
import { REQUIRED_SCOPES } from '../tools/tool.decorator.js';
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
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
    return true;
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      throw new GatehouseError('missing_credentials', {
        detail: 'Send "Authorization: Bearer <access token>".',
      });
    }
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
    if (!match?.[1]) {
      throw new GatehouseError('invalid_token', {
        detail: 'The Authorization header must be "Bearer <token>".',
        headers: { 'www-authenticate': 'Bearer error="invalid_request"' },
      });
    }
    const claims = await this.tokens.verify(match[1]);
    const client = await this.clients.findActive(claims.clientId);
    if (!client) {
      throw new GatehouseError('invalid_token', {
        detail: 'The client this token was issued to is disabled.',
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
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
}
