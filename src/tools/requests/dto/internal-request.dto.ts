import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import {
  INTERNAL_REQUEST_PRIORITIES,
  INTERNAL_REQUEST_TYPES,
  type InternalRequestPriority,
  type InternalRequestType,
} from './create-internal-request.dto.js';

export const INTERNAL_REQUEST_STATUSES = [
  'pending_review',
  'queued',
  'submitted',
  'rejected',
] as const;
export type InternalRequestStatus = (typeof INTERNAL_REQUEST_STATUSES)[number];

export const INTERNAL_REQUEST_ID_PATTERN = /^IR-[A-Z0-9]{6,32}$/;

export class InternalRequestIdParams {
  @ApiProperty({
    description: 'The id create_internal_request returned.',
    example: 'IR-7KQ2M9XD4TBA',
    pattern: INTERNAL_REQUEST_ID_PATTERN.source,
  })
  @Matches(INTERNAL_REQUEST_ID_PATTERN, { message: 'id must look like IR-7KQ2M9XD4TBA' })
  id!: string;
}

export class InternalRequestDto {
  @ApiProperty({ description: 'Internal request id.', example: 'IR-7KQ2M9XD4TBA' })
  id!: string;

  @ApiProperty({
    description:
      'pending_review: waiting for a staff member to approve it; queued: approved, being sent to the ticket system; submitted: a ticket exists (see ticketRef); rejected: staff declined it.',
    enum: INTERNAL_REQUEST_STATUSES,
    example: 'queued',
  })
  status!: InternalRequestStatus;

  @ApiProperty({ description: 'Kind of request.', enum: INTERNAL_REQUEST_TYPES, example: 'quote' })
  type!: InternalRequestType;

  @ApiProperty({
    description: 'The summary given at creation.',
    example: 'Quote for 40 oak office desks delivered to Đà Nẵng',
  })
  summary!: string;

  @ApiProperty({ description: 'Priority.', enum: INTERNAL_REQUEST_PRIORITIES, example: 'normal' })
  priority!: InternalRequestPriority;

  @ApiProperty({
    description: 'Reference in the ticket system once submitted, else null.',
    type: String,
    nullable: true,
    example: 'HD-4F7KQ2MX',
  })
  ticketRef!: string | null;

  @ApiProperty({
    description: 'When the request was created (ISO 8601).',
    format: 'date-time',
    example: '2026-11-22T08:15:00.000Z',
  })
  createdAt!: string;

  @ApiProperty({
    description: 'When the status last changed (ISO 8601).',
    format: 'date-time',
    example: '2026-11-22T08:15:02.000Z',
  })
  updatedAt!: string;

  @ApiProperty({
    description: 'What the agent can tell the user about this request now.',
    example:
      'Your request IR-7KQ2M9XD4TBA has been passed to our team; a ticket will be opened shortly.',
  })
  message!: string;
}
