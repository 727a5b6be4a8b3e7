import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ClientsService } from '../clients/clients.service.js';
import { OAuthError } from './oauth.error.js';
import { Public } from './public.decorator.js';
import { isScope, type Scope } from './scopes.js';
import { OAuthErrorDto, TokenRequestDto, TokenResponseDto } from './token.dto.js';
import { TokenService } from './token.service.js';

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  basic: boolean;
}

@ApiTags('OAuth')
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokenService,
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'oauth_token',
    summary: 'Issue an access token (OAuth 2.0 client credentials)',
    description:
      'RFC 6749 §4.4. Authenticate with HTTP Basic or client_id/client_secret in the body. ' +
      'Errors follow RFC 6749 §5.2.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiResponse({ status: 200, type: TokenResponseDto })
  @ApiResponse({
    status: 400,
    type: OAuthErrorDto,
    description: 'invalid_request, unsupported_grant_type or invalid_scope',
  })
  @ApiResponse({ status: 401, type: OAuthErrorDto, description: 'invalid_client' })
  async token(
    @Body() body: Record<string, unknown> | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const form = body ?? {};
    const credentials = readCredentials(form, authorization);
    const grantType = single(form, 'grant_type');
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'only client_credentials is supported');
    }
    const auth = await this.clients.authenticate(credentials.clientId, credentials.clientSecret);
    if (!auth) {
      throw new OAuthError('invalid_client', 'client authentication failed', credentials.basic);
    }
    const scopes = grantedScopes(single(form, 'scope'), auth.client.scopes);
    const issued = await this.tokens.issue(auth.client.id, scopes, auth.secretId);
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.scope,
    };
  }
}

function single(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new OAuthError('invalid_request', `${name} must be given exactly once, as a string`);
  }
  return value;
}

function readCredentials(
  form: Record<string, unknown>,
  authorization: string | undefined,
): ClientCredentials {
  const bodyId = single(form, 'client_id');
  const bodySecret = single(form, 'client_secret');
  if (authorization) {
    const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(authorization.trim());
    if (!match?.[1])
      throw new OAuthError('invalid_client', 'unsupported client authentication', true);
    if (bodyId !== undefined || bodySecret !== undefined) {
      throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    }
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'malformed Basic credentials', true);
    return {
      clientId: safeDecode(decoded.slice(0, colon)),
      clientSecret: safeDecode(decoded.slice(colon + 1)),
      basic: true,
    };
  }
  if (!bodyId || !bodySecret) {
    throw new OAuthError('invalid_client', 'client authentication is required', false);
  }
  return { clientId: bodyId, clientSecret: bodySecret, basic: false };
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'malformed Basic credentials', true);
  }
}

function grantedScopes(requested: string | undefined, allowed: readonly Scope[]): Scope[] {
  if (requested === undefined || requested.trim() === '') return [...allowed];
  const asked = [...new Set(requested.trim().split(/ +/))];
  const refused = asked.filter((s) => !isScope(s) || !allowed.includes(s));
  if (refused.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `scope not allowed for this client: ${refused.join(' ')}`,
    );
  }
  return asked as Scope[];
}
