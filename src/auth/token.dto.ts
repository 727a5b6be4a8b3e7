import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TokenRequestDto {
  @ApiProperty({ description: 'Must be "client_credentials".', example: 'client_credentials' })
  grant_type!: string;

  @ApiPropertyOptional({
    description: "Space-separated scopes; a subset of the client's. Omit for all of them.",
    example: 'inventory:read orders:read',
  })
  scope?: string;

  @ApiPropertyOptional({ description: 'Client id, when not sent with HTTP Basic authentication.' })
  client_id?: string;

  @ApiPropertyOptional({
    description: 'Client secret, when not sent with HTTP Basic authentication.',
  })
  client_secret?: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'An RFC 9068 JWT access token (ES256).' })
  access_token!: string;

  @ApiProperty({ example: 'Bearer' })
  token_type!: string;

  @ApiProperty({ description: 'Lifetime in seconds.', example: 300 })
  expires_in!: number;

  @ApiProperty({
    description: 'The scopes granted, space separated.',
    example: 'inventory:read orders:read',
  })
  scope!: string;
}

export class OAuthErrorDto {
  @ApiProperty({
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
    ],
  })
  error!: string;

  @ApiPropertyOptional()
  error_description?: string;
}
