import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ClientPolicies, ClientLimits } from '../clients/client-policies.js';
import type { Scope } from './scopes.js';

/** Who is calling: resolved once per request by the AuthGuard. */
export interface Principal {
  clientId: string;
  clientName: string;
  scopes: ReadonlySet<Scope>;
  credentialType: 'jwt' | 'api_key';
  /** The token's jti or the API key id: what the audit trail records. */
  credentialId: string;
  policies: ClientPolicies;
  limits: ClientLimits;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const principal = ctx.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
