import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExcludeEndpoint,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ClientsService, type ClientView } from '../clients/clients.service.js';
import { ApiKeysService } from '../clients/api-keys.service.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { RevocationService } from './revocation.service.js';
import { Scope as Scopes } from './scopes.js';
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
    private readonly revocation: RevocationService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** No interactive grants exist: agents use client credentials (RFC 6749 §4.1.2.1 error). */
  @Public()
  @Get('authorize')
  @ApiExcludeEndpoint()
  authorize(): never {
    throw new OAuthError(
      'unsupported_response_type',
      'Gatehouse supports only the client_credentials grant at /oauth/token',
    );
  }

  /** RFC 7662. Inactive, unknown, foreign or malformed tokens all answer exactly {"active": false}. */
  @Public()
  @Post('introspect')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'oauth_introspect',
    summary: 'Introspect an access token (RFC 7662)',
    description:
      'The caller authenticates as a client. A client may introspect its own tokens; a client holding clients:admin may introspect any.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  async introspect(
    @Body() body: Record<string, unknown> | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const form = body ?? {};
    const caller = await this.authenticateCaller(form, authorization);
    const token = single(form, 'token');
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    try {
      const claims = await this.tokens.verify(token);
      const owner = await this.clients.findActive(claims.clientId);
      const mayRead = claims.clientId === caller.id || caller.scopes.includes(Scopes.ClientsAdmin);
      const secretOk = claims.secretId
        ? await this.revocation.isSecretUsable(claims.secretId)
        : true;
      if (!owner || !mayRead || !secretOk || (await this.revocation.isTokenRevoked(claims.jti))) {
        return { active: false };
      }
      return {
        active: true,
        scope: claims.scopes.filter((s) => owner.scopes.includes(s)).join(' '),
        client_id: claims.clientId,
        sub: claims.sub,
        token_type: 'Bearer',
        exp: claims.exp,
        iat: claims.iat,
        jti: claims.jti,
      };
    } catch (error) {
      if (error instanceof GatehouseError) return { active: false };
      throw error;
    }
  }

  /** RFC 7009. Answers 200 whether or not the token was valid, so it reveals nothing. */
  @Public()
  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'oauth_revoke',
    summary: 'Revoke an access token or API key (RFC 7009)',
    description:
      'The caller authenticates as a client and may revoke only its own tokens and API keys.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  async revoke(
    @Body() body: Record<string, unknown> | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, never>> {
    void reply.header('cache-control', 'no-store');
    const form = body ?? {};
    const caller = await this.authenticateCaller(form, authorization);
    const token = single(form, 'token');
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    if (token.startsWith('gh_')) {
      const key = await this.apiKeys.verify(token, 0);
      if (key && key.clientId === caller.id) await this.apiKeys.revoke(key.keyId);
      return {};
    }
    try {
      const claims = await this.tokens.verify(token);
      if (claims.clientId === caller.id) {
        await this.revocation.revokeToken(claims.jti, claims.clientId, new Date(claims.exp * 1000));
      }
    } catch (error) {
      if (!(error instanceof GatehouseError)) throw error;
    }
    return {};
  }

  private async authenticateCaller(
    form: Record<string, unknown>,
    authorization: string | undefined,
  ): Promise<ClientView> {
    const credentials = readCredentials(form, authorization);
    const auth = await this.clients.authenticate(credentials.clientId, credentials.clientSecret);
    if (!auth)
      throw new OAuthError('invalid_client', 'client authentication failed', credentials.basic);
    return auth.client;
  }

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
