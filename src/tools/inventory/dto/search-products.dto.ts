import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { toInteger } from '../../../common/validation/identifiers.js';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const SEARCH_LIMIT_DEFAULT = 10;
export const SEARCH_LIMIT_MAX = 50;

export class SearchProductsQuery {
  @ApiProperty({
    description:
      'What the customer is looking for: product name words and/or part of a SKU, 1-100 characters. Accents and case do not matter ("ban go soi" finds "Bàn gỗ sồi 120cm"); every word must match.',
    example: 'ban go soi',
    minLength: 1,
    maxLength: 100,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain at least one letter or digit' })
  q!: string;

  @ApiPropertyOptional({
    description: `Maximum number of products to return, 1-${SEARCH_LIMIT_MAX}. Default ${SEARCH_LIMIT_DEFAULT}.`,
    example: 10,
    minimum: 1,
    maximum: SEARCH_LIMIT_MAX,
    default: SEARCH_LIMIT_DEFAULT,
    type: 'integer',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(SEARCH_LIMIT_MAX)
  limit: number = SEARCH_LIMIT_DEFAULT;
}

export class MoneyDto {
  @ApiProperty({
    description: "Amount in the currency's smallest unit used in practice (VND has no minor unit).",
    example: 2490000,
  })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 currency code.', example: 'VND' })
  currency!: string;
}

export class ProductSummaryDto {
  @ApiProperty({
    description: 'Product SKU; pass it to check_inventory.',
    example: 'BAN-GO-SOI-120',
  })
  sku!: string;

  @ApiProperty({
    description: 'Product name as the company sells it.',
    example: 'Bàn gỗ sồi 120cm',
  })
  name!: string;

  @ApiProperty({ description: 'Sales unit.', example: 'cái' })
  unit!: string;

  @ApiProperty({
    description: 'List price per unit (before any customer discount).',
    type: MoneyDto,
  })
  listPrice!: MoneyDto;

  @ApiProperty({
    description:
      'Units available to sell across all warehouses (on hand minus reserved, never negative).',
    example: 412,
  })
  totalAvailable!: number;
}

export class ProductSearchResultDto {
  @ApiProperty({
    description: 'Matching products ordered by SKU; empty when nothing matches.',
    type: [ProductSummaryDto],
  })
  items!: ProductSummaryDto[];
}
