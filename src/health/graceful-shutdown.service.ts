import type { Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * Drains HTTP before anything else shuts down. Nest runs `onModuleDestroy`
 * before it closes the server, and this module's hook before those of the
 * global modules (outbox worker, audit writer, database), so the order on
 * SIGTERM is: stop accepting connections, let in-flight requests finish (at
 * most SHUTDOWN_TIMEOUT_MS), then stop the outbox worker, flush the audit
 * writer and close the database.
 */
@Injectable()
export class GracefulShutdown implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(GracefulShutdown.name);
  private drainingSince: number | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      // Keep-alive connections would otherwise carry new requests for as long as clients send them.
      if (this.drainingSince !== undefined) void reply.header('connection', 'close');
      done(null, payload);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.drainingSince = Date.now();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    const timeoutMs = this.config.shutdownTimeoutMs;
    this.logger.log(`draining: no new connections; in-flight requests have ${timeoutMs} ms`);
    // Since Node 19, close() also ends idle keep-alive connections; busy ones end after their response.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    try {
      if (await Promise.race([closed.then(() => false), timedOut])) {
        this.logger.warn(
          `drain timed out after ${timeoutMs} ms; closing the remaining connections`,
        );
        server.closeAllConnections();
        await closed;
      }
    } finally {
      clearTimeout(timer);
    }
    this.logger.log(`drained in ${Date.now() - this.drainingSince} ms`);
  }
}
