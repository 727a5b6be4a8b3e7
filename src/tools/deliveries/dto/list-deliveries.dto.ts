import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { toInteger } from '../../../common/validation/identifiers.js';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { REGIONS } from './delivery.dto.js';

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;
export const DEFAULT_RANGE_DAYS = 7;
export const MAX_RANGE_DAYS = 31;

export class ListDeliveriesQuery {
  @ApiPropertyOptional({
    description:
      'Start of the range (inclusive): an ISO 8601 date or date-time, e.g. "2026-11-02" (midnight UTC) or "2026-11-02T08:00:00+07:00". Default: the start of today (UTC).',
    example: '2026-11-02',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date such as "2026-11-02"' })
  from?: string;

  @ApiPropertyOptional({
    description: `End of the range (exclusive), same format as from; must be after from and at most ${MAX_RANGE_DAYS} days later. Default: from + ${DEFAULT_RANGE_DAYS} days.`,
    example: '2026-11-09',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date such as "2026-11-09"' })
  to?: string;

  @ApiPropertyOptional({
    description: 'Only deliveries to this region. Leave it out for all regions.',
    enum: REGIONS,
    example: 'south',
  })
  @IsOptional()
  @IsIn(REGIONS, { message: 'region must be one of north, central, south' })
  region?: (typeof REGIONS)[number];

  @ApiPropertyOptional({
    description:
      'The nextCursor of the previous page, unchanged. Leave it out for the first page; send the same from, to and region with it.',
    example: 'eyJ2IjoxLCJ3cyI6IjIwMjYtMTEtMDJUMDE6MDA6MDAuMDAwWiJ9',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, {
    message: 'cursor must be a nextCursor value returned by this tool',
  })
  cursor?: string;

  @ApiPropertyOptional({
    description: `Page size, 1-${LIST_LIMIT_MAX}. Default ${LIST_LIMIT_DEFAULT}.`,
    example: 20,
    minimum: 1,
    maximum: LIST_LIMIT_MAX,
    default: LIST_LIMIT_DEFAULT,
    type: 'integer',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(LIST_LIMIT_MAX)
  limit: number = LIST_LIMIT_DEFAULT;
}
