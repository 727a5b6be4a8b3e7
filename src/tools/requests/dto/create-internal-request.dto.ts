import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CONVERSATION_ID_PATTERN,
  NOT_BLANK,
  ORDER_NUMBER_PATTERN,
  SKU_PATTERN,
} from '../../../common/validation/identifiers.js';

export const INTERNAL_REQUEST_TYPES = [
  'it_support',
  'stock_transfer',
  'quote',
  'purchase',
  'other',
] as const;
export type InternalRequestType = (typeof INTERNAL_REQUEST_TYPES)[number];

export const INTERNAL_REQUEST_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type InternalRequestPriority = (typeof INTERNAL_REQUEST_PRIORITIES)[number];

export class RequesterDto {
  @ApiPropertyOptional({
    description: 'Name of the staff member or customer the request is for.',
    example: 'Trần Thị Mai',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    description: 'Email address to reach the requester.',
    example: 'mai.tran@example.vn',
    maxLength: 254,
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    description: 'Team or department of the requester.',
    example: 'Kho Hà Nội',
    maxLength: 60,
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  team?: string;
}

export class CreateInternalRequestDto {
  @ApiProperty({
    description:
      'Kind of request: it_support (a broken laptop, an account), stock_transfer (move stock between warehouses), quote (a customer price quote), purchase (buy goods or services), other.',
    enum: INTERNAL_REQUEST_TYPES,
    example: 'quote',
  })
  @IsIn(INTERNAL_REQUEST_TYPES)
  type!: InternalRequestType;

  @ApiProperty({
    description: 'One line a staff member can act on, in the language of the conversation.',
    example: 'Quote for 40 oak office desks delivered to Đà Nẵng',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NOT_BLANK, { message: 'summary must not be blank' })
  summary!: string;

  @ApiPropertyOptional({
    description:
      'Details: quantities, deadlines, what the customer said. Do not include passwords or payment card data.',
    example: 'Customer wants 40 × DESK-OAK-140 before 15 December, delivery to the Đà Nẵng office.',
    maxLength: 4000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({
    description: 'How soon staff should act. Use urgent only when work is blocked now.',
    enum: INTERNAL_REQUEST_PRIORITIES,
    default: 'normal',
    example: 'normal',
  })
  @IsOptional()
  @IsIn(INTERNAL_REQUEST_PRIORITIES)
  priority: InternalRequestPriority = 'normal';

  @ApiPropertyOptional({
    description: 'Who the request is for, when known.',
    type: () => RequesterDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequesterDto)
  requester?: RequesterDto;

  @ApiPropertyOptional({
    description: 'Sales order the request is about.',
    example: 'SO-2026-000123',
    pattern: ORDER_NUMBER_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(ORDER_NUMBER_PATTERN, { message: 'relatedOrderNumber must look like SO-2026-000123' })
  relatedOrderNumber?: string;

  @ApiPropertyOptional({
    description: 'Product SKU the request is about.',
    example: 'DESK-OAK-140',
    pattern: SKU_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(SKU_PATTERN, { message: 'relatedSku must be an upper-case SKU such as DESK-OAK-140' })
  relatedSku?: string;

  @ApiPropertyOptional({
    description: 'Your conversation id, so staff can find the chat.',
    example: 'conv-2026-11-22-0042',
    maxLength: 128,
    pattern: CONVERSATION_ID_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(CONVERSATION_ID_PATTERN, {
    message: 'conversationId may contain only letters, digits and . _ : -',
  })
  conversationId?: string;
}
