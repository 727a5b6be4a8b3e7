import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../../auth/principal.js';
import { Scope } from '../../auth/scopes.js';
import { IdempotencyService } from '../../idempotency/idempotency.service.js';
import { sendIdempotent } from '../../idempotency/idempotent-reply.js';
import { Tool } from '../tool.decorator.js';
import { CreateLeadDto } from './dto/create-lead.dto.js';
import { LeadResultDto } from './dto/lead-result.dto.js';
import { LeadsService } from './leads.service.js';
import { CurrentContext, type RequestContext } from '../../common/http/request-context.js';

const ROUTE = '/v1/leads';

@Controller(ROUTE.slice(1))
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @Tool({
    name: 'create_lead',
    description: [
      'Records a sales prospect and passes it to the sales team and the CRM: a person or company interested in buying.',
      'Use it when a customer wants a quote, a callback from sales, or to be contacted about products, and has given a name and an email or phone number.',
      'Ask for consent to be contacted and send consent true only if they agreed.',
      'Do not use it for existing orders (use get_order_status), for complaints or support (use request_human_handoff), or for requests to staff (use create_internal_request).',
      'Email and phone are normalised; if either already belongs to a lead, that lead is returned with duplicate true (HTTP 200) and nothing new is created — that is not an error.',
      'The answer names the sales rep who will follow up (assignedTo), which you may tell the customer. Example: {"name": "Nguyễn Văn An", "phone": "0912 345 678", "channel": "zalo", "consent": true, "interest": {"skus": ["DESK-OAK-140"], "note": "40 desks for a new office"}}.',
      'Requires an Idempotency-Key header (e.g. a UUID): retry with the same key and arguments after a timeout, never with a new key.',
    ].join(' '),
    scopes: [Scope.LeadsWrite],
    rateClass: 'write',
    tag: 'Leads',
  })
  @ApiCreatedResponse({ type: LeadResultDto, description: 'A new lead was created.' })
  @ApiOkResponse({
    type: LeadResultDto,
    description:
      'The email or phone already belongs to a lead; that lead is returned (duplicate: true).',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @CurrentContext() request: RequestContext | undefined,
    @Body() dto: CreateLeadDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadResultDto> {
    const result = await this.idempotency.execute(
      { principal, key, method: 'POST', route: ROUTE, body: dto, context: request },
      (tx, assignment) => this.leads.create(tx, principal, dto, assignment),
      () => this.leads.assignmentContext(dto, request),
    );
    return sendIdempotent(reply, result);
  }
}
