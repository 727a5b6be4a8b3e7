import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CATALOG } from './error-codes.js';

export class FieldErrorDto {
  @ApiProperty({ description: 'Dotted path of the offending field.', example: 'email' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'email must be an email' })
  message!: string;
}

/** RFC 9457 problem details, as every Gatehouse error is answered. */
export class ProblemDto {
  @ApiProperty({
    description: 'URI identifying the problem type.',
    example: 'https://gatehouse.dev/problems/order-not-found',
  })
  type!: string;

  @ApiProperty({
    description: 'Short human summary of the problem type.',
    example: 'Order not found',
  })
  title!: string;

  @ApiProperty({ description: 'HTTP status code.', example: 404 })
  status!: number;

  @ApiProperty({
    description: 'Explanation specific to this occurrence.',
    example: 'No order SO-2026-999999 is visible to this client.',
  })
  detail!: string;

  @ApiProperty({
    description: 'The request id (also in X-Request-Id).',
    example: 'c2b0f6a4-3f0e-4a51-9a43-2bd7d0d7a0a1',
  })
  instance!: string;

  @ApiProperty({
    description: 'Stable machine-readable error code.',
    enum: Object.keys(ERROR_CATALOG),
    example: 'order_not_found',
  })
  code!: string;

  @ApiProperty({
    description: 'Whether repeating the same call later may succeed.',
    example: false,
  })
  retryable!: boolean;

  @ApiPropertyOptional({ description: 'Seconds to wait before retrying, when known.', example: 12 })
  retryAfterSeconds?: number;

  @ApiPropertyOptional({ description: 'Field-level validation errors.', type: [FieldErrorDto] })
  errors?: FieldErrorDto[];

  @ApiProperty({
    description: 'One sentence telling the agent what to do next or what to tell the user.',
    example: 'Ask the customer to check the order number; it looks like SO-2026-000123.',
  })
  agentHint!: string;
}
