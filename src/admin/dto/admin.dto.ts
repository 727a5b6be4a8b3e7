import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ALL_SCOPES, type Scope } from '../../auth/scopes.js';
import type { CreateClientInput } from '../../clients/clients.service.js';

export const CLIENT_ID_PATTERN = /^cl_[a-z0-9]{16}$/;
export const SECRET_ID_PATTERN = /^sec_[a-z0-9]{12}$/;
export const KEY_ID_PATTERN = /^[a-z0-9]{12}$/;
const MAX_GRACE_SECONDS = 30 * 24 * 3600;

export class PoliciesDto {
  @ApiPropertyOptional({
    enum: ['open', 'verified'],
    description: '"verified": order lookups must carry a matching customer email or phone.',
  })
  @IsOptional()
  @IsIn(['open', 'verified'])
  orderLookup?: 'open' | 'verified';

  @ApiPropertyOptional({
    enum: ['none', 'required'],
    description: '"required": internal requests wait for human approval.',
  })
  @IsOptional()
  @IsIn(['none', 'required'])
  requestApproval?: 'none' | 'required';
}

export class LimitsDto {
  @ApiPropertyOptional({ description: 'Read tool calls per minute.', example: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  read?: number;

  @ApiPropertyOptional({ description: 'Write tool calls per minute.', example: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  write?: number;

  @ApiPropertyOptional({ description: 'Token requests per minute.', example: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  token?: number;
}

export class CreateClientDto {
  @ApiProperty({ description: 'A name for the agent.', example: 'sales-bot' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    description: 'Scopes the client may request.',
    enum: ALL_SCOPES,
    isArray: true,
    example: ['inventory:read', 'orders:read'],
  })
  @IsIn(ALL_SCOPES, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_SCOPES.length)
  scopes!: Scope[];

  @ApiPropertyOptional({ type: PoliciesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PoliciesDto)
  policies?: PoliciesDto;

  @ApiPropertyOptional({ type: LimitsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LimitsDto)
  limits?: LimitsDto;
}

/** Every field of a new client, each optional: only what is sent changes. */
export class UpdateClientDto extends PartialType(CreateClientDto) {}

/** A validated create body as ClientsService takes it (the admin API and the CLI alike). */
export function newClientInput(body: CreateClientDto): CreateClientInput {
  return {
    name: body.name,
    scopes: body.scopes,
    policies: { ...body.policies },
    limits: { ...body.limits },
  };
}

/**
 * A validated update body as ClientsService takes it: null means "no change",
 * like an absent field (PartialType lets null through @IsOptional).
 */
export function clientChanges(body: UpdateClientDto): Partial<CreateClientInput> {
  return {
    ...(body.name != null ? { name: body.name } : {}),
    ...(body.scopes != null ? { scopes: body.scopes } : {}),
    ...(body.policies != null ? { policies: { ...body.policies } } : {}),
    ...(body.limits != null ? { limits: { ...body.limits } } : {}),
  };
}

export class RotateDto {
  @ApiPropertyOptional({
    description:
      'How long the old credential keeps working, in seconds (default 86400; 0 ends it now).',
    example: 86400,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  graceSeconds?: number;
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ description: 'A label for the key.', example: 'zalo-bot' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    description: "A subset of the client's scopes; defaults to all of them.",
    enum: ALL_SCOPES,
    isArray: true,
  })
  @IsOptional()
  @IsIn(ALL_SCOPES, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(ALL_SCOPES.length)
  scopes?: Scope[];

  @ApiPropertyOptional({ description: 'Expiry (ISO 8601).', example: '2027-06-30T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class ClientParams {
  @ApiProperty({ example: 'cl_abcdefghjkmnpqrs' })
  @Matches(CLIENT_ID_PATTERN, {
    message: 'clientId must look like cl_ followed by 16 letters or digits',
  })
  clientId!: string;
}

export class SecretParams extends ClientParams {
  @ApiProperty({ example: 'sec_abcdefghjkmn' })
  @Matches(SECRET_ID_PATTERN, {
    message: 'secretId must look like sec_ followed by 12 letters or digits',
  })
  secretId!: string;
}

export class KeyParams {
  @ApiProperty({ example: 'abcdefghjkmn' })
  @Matches(KEY_ID_PATTERN, { message: 'keyId must be 12 lower-case letters or digits' })
  keyId!: string;
}
