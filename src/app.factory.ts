import { mkdirSync } from 'node:fs';
import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { SigningKeysService } from './auth/signing-keys.service.js';
import { TOOL_SCOPES } from './auth/scopes.js';
import { ClientsService, type CreatedClient } from './clients/clients.service.js';
import type { Clock } from './common/clock.js';
import { requestIdFor } from './common/http/request-id.js';
import { newRequestContext, type RequestContext } from './common/http/request-context.js';
import { AuditRecorder } from './audit/audit-recorder.js';
import { applyHardening, frameworkErrors, MAX_PATH_PARAM_LENGTH } from './common/http/hardening.js';
import { strictJsonParser } from './common/http/json-body.js';
import { RouteTable } from './common/http/route-table.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { plainHttpWarnings } from './config/connectors-config.js';
import { resolveServerSecrets } from './config/local-secrets.js';
import { prepareStore } from './database/prepare-store.js';
import { PrismaService } from './database/prisma.service.js';
import { seedDemoData } from './database/seed/seed-demo.js';
import { setupOpenApi } from './openapi/openapi.setup.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: LoggerService | false;
  /**
   * Called as soon as the demo client exists, with its one-time secret:
   * nothing that could fail or be interrupted runs between its creation and this.
   */
  onDemoClient?: (client: CreatedClient) => void;
}

export interface CreatedApp {
  app: NestFastifyApplication;
  config: AppConfig;
}

/** The JSON API takes JSON only; forms are accepted solely by the OAuth endpoints (RFC 6749). */
function unsupportedBody(
  method: string,
  url: string,
  contentType: string | undefined,
): Error | undefined {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || url.startsWith('/oauth/'))
    return undefined;
  if (contentType === undefined) return undefined;
  if (/^application\/json\s*(;|$)/i.test(contentType)) return undefined;
  return Object.assign(new Error('unsupported media type'), { statusCode: 415 });
}

/** Builds a ready (initialised, not listening) Gatehouse: store migrated, demo data seeded, keys loaded. */
export async function createApp(options: CreateAppOptions = {}): Promise<CreatedApp> {
  const config = loadConfig(options.env ?? process.env);
  const log = new Logger('Gatehouse');
  if (config.database === 'sqlite') mkdirSync(config.dataDir, { recursive: true });
  const secrets = resolveServerSecrets(config, (m) => log.warn(m));
  for (const warning of plainHttpWarnings(config.connectors)) log.warn(warning);
  await prepareStore(config, (m) => log.log(m));
  const routes = new RouteTable();
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    requestIdHeader: false,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    requestTimeout: config.requestTimeoutMs,
    // Router-level failures (bad percent-encoding, over-long params) answer as problems too.
    frameworkErrors,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance();
  applyHardening(fastify, config);
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  fastify.removeContentTypeParser('text/plain');
  fastify.decorateRequest('ctx', null as unknown as RequestContext);
  fastify.decorateRequest('principal', undefined);
  // Hooks are registered before Nest creates the recorder they call.
  const late: { recorder?: AuditRecorder } = {};
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const ctx = (request.ctx = newRequestContext());
    const { url, config } = request.routeOptions;
    if (url !== undefined) ctx.route = url;
    if (config.tool) ctx.tool = config.tool;
    late.recorder?.attach(request);
    done(unsupportedBody(request.method, request.url, request.headers['content-type']));
  });
  fastify.addHook('preSerialization', (request, _reply, payload, done) => {
    if (request.ctx) request.ctx.responseBody = payload;
    done(null, payload);
  });
  fastify.addHook('onSend', async (request, reply, payload) =>
    late.recorder ? late.recorder.onSend(request, reply, payload) : payload,
  );

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      secrets,
      routes,
      ...(options.clock ? { clock: options.clock } : {}),
    }),
    adapter,
    { logger: options.logger ?? ['log', 'warn', 'error'], bufferLogs: false },
  );
  late.recorder = app.get(AuditRecorder);
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, strictJsonParser(fastify));
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins });

  const prisma = app.get(PrismaService);
  if (config.seedDemoData) {
    const { seeded } = await seedDemoData(prisma);
    if (seeded) {
      const demoClient = await app
        .get(ClientsService)
        .create({ name: 'demo-agent', scopes: [...TOOL_SCOPES] });
      options.onDemoClient?.(demoClient);
      log.log('seeded the demo data set and created the demo client');
    }
  }
  const keys = app.get(SigningKeysService);
  await keys.init();
  keys.startRefreshing();
  setupOpenApi(app);
  await app.init();
  return { app, config };
}
