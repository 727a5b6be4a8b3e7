import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Public } from './public.decorator.js';
import { ALL_SCOPES } from './scopes.js';
import { SIGNING_ALG, SigningKeysService } from './signing-keys.service.js';

@ApiExcludeController()
@Public()
@Controller('.well-known')
export class WellKnownController {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=60')
  jwks() {
    return this.keys.jwks();
  }

  /** RFC 8414. `issuer` is byte-equal to the `iss` of every token. */
  @Get('oauth-authorization-server')
  authorizationServer() {
    const issuer = this.config.token.issuer;
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      // Optional in RFC 8414 for a client-credentials-only server, but MCP SDK clients require it;
      // the endpoint exists and answers unsupported_response_type.
      authorization_endpoint: `${issuer}/oauth/authorize`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ALL_SCOPES,
      response_types_supported: [],
      token_endpoint_auth_signing_alg_values_supported: [SIGNING_ALG],
    };
  }

  /** RFC 9728, read by MCP clients to find the authorization server. */
  @Get('oauth-protected-resource')
  protectedResource() {
    const issuer = this.config.token.issuer;
    return {
      resource: issuer,
      authorization_servers: [issuer],
      scopes_supported: ALL_SCOPES,
      bearer_methods_supported: ['header'],
      resource_documentation: `${issuer}/docs`,
    };
  }
}
