import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '../auth/scopes.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { ApiProblems, RequiresScopes } from '../tools/tool.decorator.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuditQuery } from './dto/audit-query.dto.js';

/** The auditor's API (scope audit:read). Newest first, cursor paginated. */
@ApiTags('audit')
@RequiresScopes(Scope.AuditRead)
@ApiProblems(['validation_failed', 'missing_credentials', 'invalid_token', 'insufficient_scope'])
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @ApiOperation({ operationId: 'audit_list_events', summary: 'List audit events (newest first)' })
  async list(@Query() query: AuditQuery) {
    const limit = query.limit ?? 50;
    if (query.from && query.to && Date.parse(query.to) <= Date.parse(query.from)) {
      // An empty page would read as "nothing happened" to an auditor; list_deliveries refuses it too.
      throw new GatehouseError('validation_failed', {
        detail: 'The time range is empty: to must be after from.',
        errors: [{ field: 'to', message: `must be after from (${query.from})` }],
      });
    }
    const items = await this.trail.list(
      {
        ...(query.clientId ? { clientId: query.clientId } : {}),
        ...(query.tool ? { tool: query.tool } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
        ...(query.cursor ? { beforeSeq: decodeCursor(query.cursor) } : {}),
      },
      limit + 1,
    );
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: items.length > limit && last ? encodeCursor(last.seq) : null,
    };
  }

  @Get('verify')
  @ApiOperation({
    operationId: 'audit_verify',
    summary: 'Verify the hash chain; names the first broken link',
  })
  async verify() {
    const { ok, checked, firstBrokenSeq } = await this.trail.verify();
    return { ok, checked, firstBrokenSeq };
  }
}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) {
    throw new GatehouseError('validation_failed', {
      detail: 'The cursor is not valid; start again without it.',
      errors: [{ field: 'cursor', message: 'is not a cursor returned by this API' }],
    });
  }
  return Number(match[1]);
}
