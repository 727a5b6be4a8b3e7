import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../auth/principal.js';
import { Scope } from '../../auth/scopes.js';
import { IdempotencyService } from '../../idempotency/idempotency.service.js';
import { sendIdempotent } from '../../idempotency/idempotent-reply.js';
import { Tool } from '../tool.decorator.js';
import { CreateHandoffDto } from './dto/create-handoff.dto.js';
import { HandoffResultDto } from './dto/handoff-result.dto.js';
import { HandoffsService } from './handoffs.service.js';
import { CurrentContext, type RequestContext } from '../../common/http/request-context.js';

const ROUTE = '/v1/handoffs';

@Controller(ROUTE.slice(1))
export class HandoffsController {
  constructor(
    private readonly handoffs: HandoffsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Tool({
    name: 'request_human_handoff',
    description: [
      'Hands this conversation over to a human colleague and notifies staff.',
      'Use it when the customer asks for a person, is upset or complaining, raises something sensitive (health, legal, safety, personal data), or when no tool can answer and you would otherwise guess — including when a tool reports that a company system is unavailable.',
      'Do not use it for routine questions a tool can answer, to file work for staff without handing over the conversation (use create_internal_request), or to record a sales prospect (use create_lead).',
      'Write a summary the colleague can act on without asking the customer again. Example: {"conversationId": "conv-2026-11-22-0042", "reason": "complaint", "urgency": "high", "summary": "Order SO-2026-000123 arrived with a broken desk leg; customer wants a replacement this week.", "customerContact": {"phone": "0987 654 321", "preferredChannel": "phone"}}.',
      'Then tell the customer the returned customerMessage (translated into their language) and stop trying to solve the issue yourself.',
      'Requires an Idempotency-Key header (e.g. a UUID): retry with the same key and arguments after a timeout, never with a new key, so staff are not notified twice.',
    ].join(' '),
    scopes: [Scope.HandoffWrite],
    rateClass: 'write',
    tag: 'Handoffs',
  })
  @ApiCreatedResponse({ type: HandoffResultDto, description: 'Staff are being notified.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @CurrentContext() context: RequestContext | undefined,
    @Body() dto: CreateHandoffDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HandoffResultDto> {
    const result = await this.idempotency.execute(
      { principal, key, method: 'POST', route: ROUTE, body: dto, context },
      (tx) => this.handoffs.create(tx, principal, dto),
    );
    return sendIdempotent(reply, result);
  }
}
