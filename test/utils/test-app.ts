import { inspect } from 'node:util';
import { rmSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import type { Scope } from '../../src/auth/scopes.js';
import type { ClientLimits, ClientPolicies } from '../../src/clients/client-policies.js';
import { ClientsService, type CreatedClient } from '../../src/clients/clients.service.js';
import type { LoggerService } from '@nestjs/common';
import type { Clock } from '../../src/common/clock.js';
export { TestClock } from './test-clock.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { copyTemplateDb, TEST_SECRETS_ENV } from './template-db.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  prisma: PrismaService;
  dbFile: string;
  /** Creates a client (through the same service the CLI uses). */
  client(
    scopes: Scope[],
    options?: { policies?: ClientPolicies; limits?: ClientLimits },
  ): Promise<CreatedClient>;
  /** Creates a client and returns an access token obtained through POST /oauth/token. */
  token(
    scopes: Scope[],
    options?: { policies?: ClientPolicies; limits?: ClientLimits },
  ): Promise<string>;
  tokenFor(client: CreatedClient, scope?: string): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  clock?: Clock;
  logger?: LoggerService;
}

/** Boots the real Gatehouse on a private copy of the seeded template database. */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const { dir, file } = await copyTemplateDb();
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: `file:${file}`,
    OUTBOX_ENABLED: 'false',
    TOKEN_ISSUER: 'http://gatehouse.test',
    // Every suite calls from 127.0.0.1; suites about these limits set the real values back.
    THROTTLE_TOKEN_PER_IP_PER_MINUTE: '100000',
    // Suites assert each call's upstream record; the cache has its own tests.
    READ_CACHE_TTL_MS: '0',
    // Suites follow each readiness ping; the ping cache has its own test.
    READINESS_PING_CACHE_MS: '0',
    THROTTLE_AUTH_FAILURES_PER_IP_PER_MINUTE: '100000',
    ...TEST_SECRETS_ENV,
    ...options.env,
  };
  const { app } = await createApp({
    env,
    logger: options.logger ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  const clients = app.get(ClientsService);

  const tokenFor = async (client: CreatedClient, scope?: string): Promise<string> => {
    const res = await http
      .post('/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
    return (res.body as { access_token: string }).access_token;
  };

  return {
    app,
    http,
    prisma: app.get(PrismaService),
    dbFile: file,
    client: (scopes, o = {}) => clients.create({ name: 'test-client', scopes, ...o }),
    token: async (scopes, o = {}) =>
      tokenFor(await clients.create({ name: 'test-client', scopes, ...o })),
    tokenFor,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects every line Nest would log, for the secret-leak checks. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map((m) => inspect(m, { depth: 8 })).join(' '));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
}
