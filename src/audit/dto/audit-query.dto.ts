import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { toInteger } from '../../common/validation/identifiers.js';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

export const OUTCOMES = [
  'ok',
  'denied',
  'invalid',
  'not_found',
  'throttled',
  'upstream_error',
  'error',
  'recorded',
] as const;

export class AuditQuery {
  @ApiPropertyOptional({
    description: 'Only events of this client.',
    example: 'cl_abcdefghjkmnpqrs',
  })
  @IsOptional()
  @Matches(/^cl_[a-z0-9]{16}$/)
  clientId?: string;

  @ApiPropertyOptional({ description: 'Only calls of this tool.', example: 'check_inventory' })
  @IsOptional()
  @Matches(/^[a-z_]{3,64}$/)
  tool?: string;

  @ApiPropertyOptional({ enum: OUTCOMES })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: string;

  @ApiPropertyOptional({
    description: 'From this time (inclusive), ISO 8601.',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Before this time (exclusive), ISO 8601; after from when both are given.',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor).' })
  @IsOptional()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Page size, 1-200 (default 50).', example: 50 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
