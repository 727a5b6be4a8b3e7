import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokenController } from '../auth/token.controller.js';
import { TOOL_METADATA, type ToolDefinition } from '../tools/tool.decorator.js';
import { ThrottlingService, type RateDecision } from './throttling.service.js';

/**
 * Runs after the AuthGuard (ThrottlingModule is imported after AuthModule), so
 * the caller is known: authenticated routes count per client in the tool's
 * rate class (read for admin, audit and other non-tool routes); the OAuth
 * endpoints count per IP and per client. Other public routes are not limited.
 */
@Injectable()
export class ThrottleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttling: ThrottlingService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const decision = await this.decide(context, request);
    if (decision) this.throttling.enforce(decision, http.getResponse<FastifyReply>());
    return true;
  }

  private decide(
    context: ExecutionContext,
    request: FastifyRequest,
  ): Promise<RateDecision> | undefined {
    if (context.getClass() === TokenController) return this.throttling.forTokenEndpoint(request);
    const principal = request.principal;
    if (!principal) return undefined;
    const tool = this.reflector.get<ToolDefinition | undefined>(
      TOOL_METADATA,
      context.getHandler(),
    );
    return this.throttling.forClient(principal, tool?.rateClass ?? 'read');
  }
}
