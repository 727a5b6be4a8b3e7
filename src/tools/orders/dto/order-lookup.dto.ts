import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  caseInsensitive,
  ORDER_NUMBER_PATTERN as ORDER_NUMBER,
  trim,
} from '../../../common/validation/identifiers.js';

/** Order numbers are upper case; lower-case input is accepted and upper-cased by the service. */
export const ORDER_NUMBER_PATTERN = caseInsensitive(ORDER_NUMBER);

export class OrderParams {
  @ApiProperty({
    description:
      'Sales order number exactly as on the customer\'s confirmation: "SO-", the year, a dash and six digits, e.g. "SO-2026-000123".',
    example: 'SO-2026-000123',
    pattern: ORDER_NUMBER_PATTERN.source,
    maxLength: 14,
  })
  @IsString()
  @MaxLength(14)
  @Matches(ORDER_NUMBER_PATTERN, { message: 'orderNumber must look like "SO-2026-000123"' })
  orderNumber!: string;
}

/** Contact details that prove the caller speaks for the order's customer. */
export class CustomerProofQuery {
  @ApiPropertyOptional({
    description:
      'The email address the customer gave you, to prove the order is theirs. Case and surrounding spaces do not matter. Required (this or customerPhone) when your client is configured for verified order lookups; if given, it must match the order.',
    example: 'lan.tran@example.vn',
    maxLength: 254,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'customerEmail must be an email address' })
  customerEmail?: string;

  @ApiPropertyOptional({
    description:
      'The phone number the customer gave you, international ("+84901234567") or Vietnamese local ("0901 234 567") format. An alternative to customerEmail with the same rules; if given, it must match the order.',
    example: '+84901234567',
    maxLength: 32,
  })
  @IsOptional()
  // An unencoded "+" in a query string arrives as a space; trimming leaves "84...", still valid.
  @Transform(trim)
  @IsString()
  @MaxLength(32)
  @Matches(/^\+?[0-9][0-9 ().-]{5,31}$/, {
    message: 'customerPhone must be a phone number such as "+84901234567"',
  })
  customerPhone?: string;
}
