import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  isEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { normalizePhone } from '../../../common/contact/normalize-contact.js';
import {
  CONVERSATION_ID_PATTERN,
  INVISIBLE,
  NOT_BLANK,
  SKU_PATTERN,
  trim,
} from '../../../common/validation/identifiers.js';

export const LEAD_CHANNELS = [
  'web',
  'messenger',
  'zalo',
  'whatsapp',
  'phone',
  'email',
  'other',
] as const;
export type LeadChannel = (typeof LEAD_CHANNELS)[number];

export const LEAD_REGIONS = ['north', 'central', 'south'] as const;
export type LeadRegion = (typeof LEAD_REGIONS)[number];

export const MAX_EMAIL_LENGTH = 254;
export const MAX_PHONE_LENGTH = 32;

// Both pass `undefined`, so "email or phone is required" is the only message when both are missing.

/**
 * An email address of at most 254 characters, with nothing invisible in it:
 * "lan\u200B@example.vn" would pass for another address than "lan@example.vn"
 * and escape the lead deduplication.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          (typeof value === 'string' &&
            value.length <= MAX_EMAIL_LENGTH &&
            !INVISIBLE.test(value) &&
            isEmail(value)),
        defaultMessage: (args) =>
          `${args?.property ?? 'email'} must be a valid email address of at most ${MAX_EMAIL_LENGTH} characters`,
      },
    },
    options,
  );
}

/** A phone number Gatehouse can normalise to E.164 (national Vietnamese format or +country). */
export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPhone',
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          (typeof value === 'string' &&
            value.length <= MAX_PHONE_LENGTH &&
            normalizePhone(value) !== null),
        defaultMessage: (args) =>
          `${args?.property ?? 'phone'} must be a valid phone number, e.g. 0912 345 678 or +84 912 345 678`,
      },
    },
    options,
  );
}

export class LeadInterestDto {
  @ApiPropertyOptional({
    description: 'SKUs the customer asked about (from search_products), at most 20.',
    example: ['DESK-OAK-140', 'CHAIR-ERGO-01'],
    type: [String],
    maxItems: 20,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(SKU_PATTERN, { each: true, message: 'each SKU must be upper case, e.g. DESK-OAK-140' })
  skus?: string[];

  @ApiPropertyOptional({
    description: 'What the customer wants, in their words: quantities, budget, timing.',
    example: 'Fitting out a 30-person office in Q1; wants a quote with delivery.',
    maxLength: 1000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CreateLeadDto {
  @ApiProperty({
    description: "The prospect's name as they gave it.",
    example: 'Nguyễn Văn An',
    minLength: 1,
    maxLength: 120,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({
    description: 'Email address. At least one of email and phone is required.',
    example: 'an.nguyen@example.vn',
    maxLength: 254,
  })
  @ValidateIf((dto: CreateLeadDto) => dto.email !== undefined || dto.phone === undefined)
  @IsDefined({ message: 'email or phone is required' })
  @Transform(trim)
  @IsEmailAddress()
  email?: string;

  @ApiPropertyOptional({
    description:
      'Phone number, national Vietnamese format (0912 345 678) or international (+84 912 345 678). At least one of email and phone is required.',
    example: '0912 345 678',
    maxLength: 32,
  })
  @ValidateIf((dto: CreateLeadDto) => dto.phone !== undefined || dto.email === undefined)
  @IsDefined({ message: 'email or phone is required' })
  @IsPhone()
  phone?: string;

  @ApiPropertyOptional({
    description: 'Company or organisation, if any.',
    example: 'Công ty TNHH Minh Phát',
    maxLength: 120,
  })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  company?: string;

  @ApiPropertyOptional({
    description: 'What the prospect is interested in.',
    type: () => LeadInterestDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadInterestDto)
  interest?: LeadInterestDto;

  @ApiProperty({
    description: 'Where the conversation happens.',
    enum: LEAD_CHANNELS,
    example: 'zalo',
  })
  @IsIn(LEAD_CHANNELS)
  channel!: LeadChannel;

  @ApiProperty({
    description:
      'True only if the customer explicitly agreed to be contacted by the sales team. Ask them; never assume.',
    example: true,
  })
  @IsBoolean()
  consent!: boolean;

  @ApiPropertyOptional({
    description: 'Your conversation id, so sales can find the chat.',
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

  @ApiPropertyOptional({
    description: 'Region of Vietnam the prospect is in, when known: north, central or south.',
    enum: LEAD_REGIONS,
    example: 'central',
  })
  @IsOptional()
  @IsIn(LEAD_REGIONS)
  region?: LeadRegion;
}
