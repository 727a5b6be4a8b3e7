import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  IsEmailAddress,
  IsPhone,
  LEAD_CHANNELS,
  type LeadChannel,
} from '../../leads/dto/create-lead.dto.js';
import {
  CONVERSATION_ID_PATTERN,
  NOT_BLANK,
  trim,
} from '../../../common/validation/identifiers.js';

export const HANDOFF_REASONS = [
  'customer_request',
  'agent_unable',
  'complaint',
  'sensitive_topic',
  'other',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const HANDOFF_URGENCIES = ['low', 'normal', 'high'] as const;
export type HandoffUrgency = (typeof HANDOFF_URGENCIES)[number];

export class CustomerContactDto {
  @ApiPropertyOptional({
    description: 'Customer name as they gave it.',
    example: 'Lê Thị Hoa',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    description: 'Customer email, if they want to be reached by email.',
    example: 'hoa.le@example.vn',
    maxLength: 254,
  })
  @IsOptional()
  @Transform(trim)
  @IsEmailAddress()
  email?: string;

  @ApiPropertyOptional({
    description:
      'Customer phone, national Vietnamese format (0912 345 678) or international (+84 ...).',
    example: '0987 654 321',
    maxLength: 32,
  })
  @IsOptional()
  @IsPhone()
  phone?: string;

  @ApiPropertyOptional({
    description: 'How the customer prefers to be contacted.',
    enum: LEAD_CHANNELS,
    example: 'phone',
  })
  @IsOptional()
  @IsIn(LEAD_CHANNELS)
  preferredChannel?: LeadChannel;
}

export class CreateHandoffDto {
  @ApiProperty({
    description: 'Your id of this conversation, so staff can open it.',
    example: 'conv-2026-11-22-0042',
    maxLength: 128,
    pattern: CONVERSATION_ID_PATTERN.source,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  @Matches(CONVERSATION_ID_PATTERN, {
    message: 'conversationId may contain only letters, digits and . _ : -',
  })
  conversationId!: string;

  @ApiProperty({
    description:
      'Why a person is needed: customer_request (they asked for a human), agent_unable (no tool can help), complaint, sensitive_topic (health, legal, safety, personal data), other.',
    enum: HANDOFF_REASONS,
    example: 'complaint',
  })
  @IsIn(HANDOFF_REASONS)
  reason!: HandoffReason;

  @ApiProperty({
    description:
      'What the colleague needs to know to continue without asking again: the problem, what was tried, order numbers.',
    example:
      'Order SO-2026-000123 arrived with a broken desk leg; customer wants a replacement this week.',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(NOT_BLANK, { message: 'summary must not be blank' })
  summary!: string;

  @ApiPropertyOptional({
    description: 'high: the customer is waiting or upset; normal: today; low: no rush.',
    enum: HANDOFF_URGENCIES,
    default: 'normal',
    example: 'normal',
  })
  @IsOptional()
  @IsIn(HANDOFF_URGENCIES)
  urgency: HandoffUrgency = 'normal';

  @ApiPropertyOptional({
    description: 'How staff can reach the customer outside this conversation, if they gave it.',
    type: () => CustomerContactDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerContactDto)
  customerContact?: CustomerContactDto;
}
