import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who made an admin change, for its security event: the admin client and its request. */
export interface ActingAdmin {
  actor: string;
  requestId: string;
}

/**
 * The caller of an admin route as the security events name it, so "who
 * rotated this key?" is answered by the event itself, as for the CLI's
 * `actor: "cli"`, and the event joins the request's own audit event.
 */
export const ActingAdmin = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ActingAdmin => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!request.principal) throw new Error('ActingAdmin used on a public route');
    return { actor: request.principal.clientId, requestId: request.id };
  },
);
