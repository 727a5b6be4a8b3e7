import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type LicenseObject,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { SCOPE_DESCRIPTIONS } from '../auth/scopes.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ManifestService } from '../manifest/manifest.service.js';
import { polishDocument } from './openapi-polish.js';

const DESCRIPTION = [
  'Gatehouse stands between LLM agents and the company\'s core systems (ERP, CRM, ticketing).',
  'Agents call narrow, scoped, validated, throttled and audited tools; they never reach a core system directly.',
  '',
  'Authenticate with OAuth 2.0 client credentials at `POST /oauth/token` and send the access token as',
  '`Authorization: Bearer <token>`. Every error is `application/problem+json` (RFC 9457) with a stable `code`',
  'and an `agentHint`. Writes require an `Idempotency-Key` header.',
  '',
  'Every operation tagged with an `x-tool` extension is an agent tool: `GET /v1/tools` publishes them as',
  'OpenAI, Anthropic, Gemini and MCP tool definitions, and `POST /mcp` serves them over the Model Context Protocol.',
].join('\n');

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = app.get<AppConfig>(APP_CONFIG, { strict: false });
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Gatehouse')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addServer(config.token.issuer, 'This Gatehouse (its token issuer URL)')
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'OAuth 2.0 client credentials (RFC 6749 §4.4); tokens are RFC 9068 JWTs.',
        flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { ...SCOPE_DESCRIPTIONS } } },
      },
      'oauth2',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description:
          'Scoped API key gh_<id>_<secret> (also accepted as `Authorization: Bearer gh_...`). It unlocks the same operations as a token with its scopes.',
      },
      'apiKey',
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description: 'OAuth client authentication (client_secret_basic): client id and secret.',
      },
      'clientBasic',
    )
    .build();
  const document = SwaggerModule.createDocument(app, builder, {
    operationIdFactory: (_controller, method) => method,
    autoTagControllers: false,
  });
  // Mirrors package.json's UNLICENSED: a private service, so an SPDX LicenseRef, not a public licence.
  const license: LicenseObject & { identifier: string } = {
    name: 'Proprietary',
    identifier: 'LicenseRef-Proprietary',
  };
  document.info.license = license;
  return polishDocument(document);
}

/** Serves the document at /openapi.json and Swagger UI at /docs; feeds the tool manifests. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  app.get(ManifestService, { strict: false }).useDocument(document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    swaggerOptions: { persistAuthorization: false },
  });
  return document;
}
