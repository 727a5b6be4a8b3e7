import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SCOPE_DESCRIPTIONS } from '../auth/scopes.js';

const DESCRIPTION = [
  'Gatehouse stands between LLM agents and the company\'s core systems (ERP, CRM, ticketing).',
  'Agents call narrow, scoped, validated, throttled and audited tools; they never reach a core system directly.',
  '',
  'Authenticate with OAuth 2.0 client credentials at `POST /oauth/token` and send the access token as',
  '`Authorization: Bearer <token>`. Every error is `application/problem+json` (RFC 9457) with a stable `code`',
  'and an `agentHint`. Writes require an `Idempotency-Key` header.',
].join('\n');

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Gatehouse')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'OAuth 2.0 client credentials (RFC 6749 §4.4); tokens are RFC 9068 JWTs.',
        flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { ...SCOPE_DESCRIPTIONS } } },
      },
      'oauth2',
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Scoped API key gh_<id>_<secret>.' },
      'apiKey',
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
}

/** Serves the document at /openapi.json and Swagger UI at /docs. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    swaggerOptions: { persistAuthorization: false },
  });
  return document;
}
