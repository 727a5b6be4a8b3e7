import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { caseInsensitive, SKU_PATTERN as SKU } from '../../../common/validation/identifiers.js';
import { ANSWER_REGIONS } from '../../deliveries/dto/delivery.dto.js';

/** SKUs are upper case; lower-case input is accepted and upper-cased by the service. */
export const SKU_PATTERN = caseInsensitive(SKU);
export const WAREHOUSE_CODE_PATTERN = /^[A-Z]{2,3}-\d{2}$/i;

export class CheckInventoryParams {
  @ApiProperty({
    description:
      'Product SKU, 3-40 characters of letters, digits and dashes, e.g. "BAN-GO-SOI-120". Use search_products first if the customer only gave a name.',
    example: 'BAN-GO-SOI-120',
    pattern: SKU_PATTERN.source,
    maxLength: 40,
  })
  @IsString()
  @MaxLength(40)
  @Matches(SKU_PATTERN, { message: 'sku must look like "BAN-GO-SOI-120"' })
  sku!: string;
}

export class CheckInventoryQuery {
  @ApiPropertyOptional({
    description:
      'Only this warehouse, by code: 2-3 letters, a dash and 2 digits, e.g. "HCM-01". Leave it out to see every warehouse that stocks the product.',
    example: 'HCM-01',
    pattern: WAREHOUSE_CODE_PATTERN.source,
    maxLength: 6,
  })
  @IsOptional()
  @IsString()
  @MaxLength(6)
  @Matches(WAREHOUSE_CODE_PATTERN, { message: 'warehouse must look like "HCM-01"' })
  warehouse?: string;
}

export class WarehouseStockDto {
  @ApiProperty({ description: 'Warehouse code.', example: 'HCM-01' })
  code!: string;

  @ApiProperty({ description: 'Warehouse name.', example: 'Kho Thủ Đức' })
  name!: string;

  @ApiProperty({
    description:
      "Region the warehouse serves; unknown when the core system's address names no known province.",
    enum: ANSWER_REGIONS,
    example: 'south',
  })
  region!: string;

  @ApiProperty({ description: 'Units physically in the warehouse.', example: 120 })
  onHand!: number;

  @ApiProperty({ description: 'Units held for confirmed orders.', example: 8 })
  reserved!: number;

  @ApiProperty({
    description: 'Units that can still be sold: on hand minus reserved, never negative.',
    example: 112,
  })
  available!: number;
}

export class StockTotalsDto {
  @ApiProperty({ description: 'Units on hand across the listed warehouses.', example: 300 })
  onHand!: number;

  @ApiProperty({ description: 'Units reserved across the listed warehouses.', example: 20 })
  reserved!: number;

  @ApiProperty({ description: 'Units available across the listed warehouses.', example: 280 })
  available!: number;
}

export class StockReportDto {
  @ApiProperty({ description: 'Product SKU.', example: 'BAN-GO-SOI-120' })
  sku!: string;

  @ApiProperty({ description: 'Product name.', example: 'Bàn gỗ sồi 120cm' })
  name!: string;

  @ApiProperty({ description: 'Sales unit.', example: 'cái' })
  unit!: string;

  @ApiProperty({
    description:
      'Stock per warehouse. With a warehouse filter, exactly that warehouse (zeros if it does not stock the product).',
    type: [WarehouseStockDto],
  })
  warehouses!: WarehouseStockDto[];

  @ApiProperty({ description: 'Sums over the listed warehouses.', type: StockTotalsDto })
  totals!: StockTotalsDto;

  @ApiProperty({
    description:
      'When these figures were last updated (ISO 8601, UTC). Stock may have moved since.',
    example: '2026-10-31T21:14:00.000Z',
    format: 'date-time',
  })
  asOf!: string;
}
