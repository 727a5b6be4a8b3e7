import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PrismaService, sqliteDirectOf } from '../database/prisma.service.js';
import { DatabaseFileMovedError, sqliteFile } from '../database/sqlite-file.js';

export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/**
 * The database answers and, for SQLite, its file is still in place and
 * writable. better-sqlite3 keeps its file descriptor open, so `SELECT 1`
 * alone keeps succeeding on a file that was deleted or moved away, while
 * every new connection (the CLI, a restart) would find nothing. For the
 * same reason a file put in its place (a restored backup) goes unseen until
 * a restart. In both cases the store refuses writes too (SqliteFileGuard).
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  check(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.health
      .check('database')
      .attempt(async () => {
        if (this.config.database === 'sqlite') {
          const file = sqliteFile(this.config.databaseUrl);
          // Error text names the path: keep it out of the (public) readiness body.
          await access(file, constants.R_OK | constants.W_OK).catch(() => {
            throw new Error('the database file is missing or not writable');
          });
          await access(path.dirname(file), constants.W_OK).catch(() => {
            throw new Error('the database directory is not writable');
          });
          const state = sqliteDirectOf(this.prisma)?.fileState() ?? 'in_place';
          if (state !== 'in_place') throw new DatabaseFileMovedError(state);
        }
        await this.prisma.$queryRawUnsafe('SELECT 1').catch(() => {
          throw new Error('the database does not answer queries');
        });
        return { engine: this.config.database };
      })
      .withTimeout(DATABASE_CHECK_TIMEOUT_MS);
  }
}
