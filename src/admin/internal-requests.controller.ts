import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '../auth/scopes.js';
import { ApiProblems, RequiresScopes } from '../tools/tool.decorator.js';
import {
  InternalRequestPageDto,
  InternalRequestParams,
  InternalRequestReviewDto,
  ListInternalRequestsQuery,
  RejectInternalRequestDto,
} from './dto/internal-requests.dto.js';
import { ActingAdmin } from './acting-admin.decorator.js';
import { RequestReviewService } from './request-review.service.js';

/**
 * The review queue (scope clients:admin): internal requests a client's policy
 * held in pending_review wait here until staff approve or reject them.
 */
@ApiTags('admin')
@RequiresScopes(Scope.ClientsAdmin)
@ApiProblems(['validation_failed', 'missing_credentials', 'invalid_token', 'insufficient_scope'])
@Controller('v1/admin/internal-requests')
export class AdminInternalRequestsController {
  constructor(private readonly review: RequestReviewService) {}

  @Get()
  @ApiOperation({
    operationId: 'admin_list_internal_requests',
    summary: 'List internal requests, oldest first; status=pending_review is the review queue',
    description:
      'Keyset-paginated by (createdAt, id), oldest first so the queue is worked from the front. The requester name and email are masked; the full record reaches the ticket system on approval.',
  })
  @ApiOkResponse({ type: InternalRequestPageDto })
  list(@Query() query: ListInternalRequestsQuery): Promise<InternalRequestPageDto> {
    return this.review.list(query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'admin_approve_internal_request',
    summary: 'Approve a held request: pending_review -> queued, and the ticket is sent',
    description:
      'One conditional status change with the outbox message in the same transaction: of two approvals at once, one wins and the other gets 409. Audited as the security event internal_request.approved.',
  })
  @ApiOkResponse({ type: InternalRequestReviewDto, description: 'The request, now queued.' })
  @ApiProblems(['internal_request_not_found', 'internal_request_not_pending'])
  approve(
    @Param() { id }: InternalRequestParams,
    @ActingAdmin() by: ActingAdmin,
  ): Promise<InternalRequestReviewDto> {
    return this.review.approve(id, { ...by, transport: 'http' });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'admin_reject_internal_request',
    summary: 'Reject a held request: pending_review -> rejected; no ticket is made',
    description:
      'The optional reason is kept only in the audit trail (security event internal_request.rejected, masked like every audited text); the agent sees status rejected and a polite message, never the reason.',
  })
  @ApiOkResponse({ type: InternalRequestReviewDto, description: 'The request, now rejected.' })
  @ApiProblems(['internal_request_not_found', 'internal_request_not_pending'])
  reject(
    @Param() { id }: InternalRequestParams,
    @Body() body: RejectInternalRequestDto,
    @ActingAdmin() by: ActingAdmin,
  ): Promise<InternalRequestReviewDto> {
    return this.review.reject(id, body.reason, { ...by, transport: 'http' });
  }
}
