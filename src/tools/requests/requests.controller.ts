import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../auth/principal.js';
import { Scope } from '../../auth/scopes.js';
import { IdempotencyService } from '../../idempotency/idempotency.service.js';
import { sendIdempotent } from '../../idempotency/idempotent-reply.js';
import { Tool } from '../tool.decorator.js';
import { CreateInternalRequestDto } from './dto/create-internal-request.dto.js';
import { InternalRequestDto, InternalRequestIdParams } from './dto/internal-request.dto.js';
import { InternalRequestsService } from './requests.service.js';
import { CurrentContext, type RequestContext } from '../../common/http/request-context.js';

const ROUTE = '/v1/internal-requests';
const TAG = 'Internal requests';

@Controller(ROUTE.slice(1))
export class InternalRequestsController {
  constructor(
    private readonly requests: InternalRequestsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Tool({
    name: 'create_internal_request',
    description: [
      "Creates a request for the company's staff (IT support, a stock transfer between warehouses, a price quote, a purchase, or something else) and forwards it to the ticket system.",
      'Use it when the user asks for something a colleague must do and no other tool does it, e.g. "please prepare a quote for 40 oak desks" (type quote) or "move 20 chairs from the Hà Nội to the Đà Nẵng warehouse" (type stock_transfer).',
      'Do not use it to hand the conversation to a person (use request_human_handoff), to record a new sales prospect (use create_lead), or for refunds, payments or price changes, which no tool can do.',
      "Some clients' requests wait for a staff member's approval first (status pending_review); otherwise the status is queued and becomes submitted with a ticketRef once the ticket exists — check it later with get_internal_request.",
      'Tell the user the returned id and message; never promise a result the staff have not confirmed.',
      'Requires an Idempotency-Key header (e.g. a UUID): retry with the same key and the same arguments after a timeout, never with a new key, so the request is not filed twice.',
    ].join(' '),
    scopes: [Scope.RequestsWrite],
    rateClass: 'write',
    tag: TAG,
  })
  @ApiCreatedResponse({ type: InternalRequestDto, description: 'The request was recorded.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @CurrentContext() context: RequestContext | undefined,
    @Body() dto: CreateInternalRequestDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InternalRequestDto> {
    const result = await this.idempotency.execute(
      { principal, key, method: 'POST', route: ROUTE, body: dto, context },
      (tx) => this.requests.create(tx, principal, dto),
    );
    return sendIdempotent(reply, result);
  }

  @Get(':id')
  @Tool({
    name: 'get_internal_request',
    description: [
      'Shows the current status of an internal request this assistant created earlier (read-only). Statuses: pending_review (waiting for approval), queued (being sent to the ticket system), submitted (a ticket exists; ticketRef holds its reference) or rejected.',
      'Use it when the user asks what happened to a request, with the IR-... id that create_internal_request returned, e.g. IR-7KQ2M9XD4TBA.',
      'Do not use it to look up orders or deliveries (use get_order_status), and do not poll it in a loop: a ticket usually exists within a minute.',
      'Requests created by other assistants are not visible.',
    ].join(' '),
    scopes: [Scope.RequestsRead],
    rateClass: 'read',
    errors: ['internal_request_not_found'],
    tag: TAG,
  })
  @ApiOkResponse({ type: InternalRequestDto, description: 'The request and its current status.' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param() params: InternalRequestIdParams,
  ): Promise<InternalRequestDto> {
    return this.requests.get(principal, params.id);
  }
}
