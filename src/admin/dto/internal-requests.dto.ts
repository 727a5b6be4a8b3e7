import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { NOT_BLANK, toInteger } from '../../common/validation/identifiers.js';
import {
  INTERNAL_REQUEST_PRIORITIES,
  INTERNAL_REQUEST_TYPES,
  type InternalRequestPriority,
  type InternalRequestType,
} from '../../tools/requests/dto/create-internal-request.dto.js';
import {
  INTERNAL_REQUEST_ID_PATTERN,
  INTERNAL_REQUEST_STATUSES,
  type InternalRequestStatus,
} from '../../tools/requests/dto/internal-request.dto.js';

export const REVIEW_LIMIT_DEFAULT = 20;
export const REVIEW_LIMIT_MAX = 100;
export const REJECT_REASON_MAX = 500;
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;

export class ListInternalRequestsQuery {
  @ApiPropertyOptional({
    description: 'Only requests in this status; pending_review is the review queue. Default: all.',
    enum: INTERNAL_REQUEST_STATUSES,
    example: 'pending_review',
  })
  @IsOptional()
  @IsIn(INTERNAL_REQUEST_STATUSES)
  status?: InternalRequestStatus;

  @ApiPropertyOptional({
    description: `Page size, 1-${REVIEW_LIMIT_MAX}. Default ${REVIEW_LIMIT_DEFAULT}.`,
    example: 20,
    minimum: 1,
    maximum: REVIEW_LIMIT_MAX,
    default: REVIEW_LIMIT_DEFAULT,
    type: 'integer',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(REVIEW_LIMIT_MAX)
  limit: number = REVIEW_LIMIT_DEFAULT;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page, unchanged, with the same status filter.',
    example: 'eyJ2IjoxLCJjIjoxNzk1MzM2MTAwMDAwfQ',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(CURSOR_PATTERN, { message: 'cursor must be a nextCursor value returned by this list' })
  cursor?: string;
}

export class InternalRequestParams {
  @ApiProperty({ example: 'IR-7KQ2M9XD4TBA', pattern: INTERNAL_REQUEST_ID_PATTERN.source })
  @Matches(INTERNAL_REQUEST_ID_PATTERN, { message: 'id must look like IR-7KQ2M9XD4TBA' })
  id!: string;
}

export class RejectInternalRequestDto {
  @ApiPropertyOptional({
    description: `Why staff declined it, for the audit trail (at most ${REJECT_REASON_MAX} characters). Never shown to the agent.`,
    example: 'Duplicate of IR-7KQ2M9XD4TBA',
    maxLength: REJECT_REASON_MAX,
  })
  @IsOptional()
  @IsString()
  @MaxLength(REJECT_REASON_MAX)
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  reason?: string;
}

/** The requester as the reviewer sees it: masked like the audit trail, the team in clear. */
export class ReviewRequesterDto {
  @ApiPropertyOptional({ description: 'Masked name.', example: 'T*** T** M**' })
  name?: string;

  @ApiPropertyOptional({ description: 'Masked email.', example: 'm***@e***.vn' })
  email?: string;

  @ApiPropertyOptional({ description: 'Team or department.', example: 'Sales Đà Nẵng' })
  team?: string;
}

export class InternalRequestReviewDto {
  @ApiProperty({ example: 'IR-7KQ2M9XD4TBA' })
  id!: string;

  @ApiProperty({
    description: 'The client (agent) that created it.',
    example: 'cl_abcdefghjkmnpqrs',
  })
  clientId!: string;

  @ApiProperty({ enum: INTERNAL_REQUEST_STATUSES, example: 'pending_review' })
  status!: InternalRequestStatus;

  @ApiProperty({ enum: INTERNAL_REQUEST_TYPES, example: 'quote' })
  type!: InternalRequestType;

  @ApiProperty({ example: 'Quote for 40 oak office desks delivered to Đà Nẵng' })
  summary!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Customer wants them before 15 December.' })
  description!: string | null;

  @ApiProperty({ enum: INTERNAL_REQUEST_PRIORITIES, example: 'normal' })
  priority!: InternalRequestPriority;

  @ApiProperty({ type: ReviewRequesterDto })
  requester!: ReviewRequesterDto;

  @ApiProperty({ type: String, nullable: true, example: 'SO-2026-000123' })
  relatedOrderNumber!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'DESK-OAK-140' })
  relatedSku!: string | null;

  @ApiProperty({
    description: "The agent's conversation id, to find the chat.",
    type: String,
    nullable: true,
    example: 'conv-2026-11-22-0042',
  })
  conversationId!: string | null;

  @ApiProperty({
    description: 'Ticket reference once submitted, else null.',
    type: String,
    nullable: true,
    example: 'HD-4F7KQ2MX',
  })
  ticketRef!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T08:15:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    description: 'When the status last changed.',
    format: 'date-time',
    example: '2026-11-22T08:20:00.000Z',
  })
  updatedAt!: string;
}

export class InternalRequestPageDto {
  @ApiProperty({ type: [InternalRequestReviewDto], description: 'Oldest first.' })
  items!: InternalRequestReviewDto[];

  @ApiProperty({
    description: 'Pass as cursor for the next page; null on the last page.',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}
