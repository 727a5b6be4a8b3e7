import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PrismaService } from '../database/prisma.service.js';

export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/** The SQLite file a `file:` URL names, resolved the way the driver resolves it (from the cwd). */
export function sqliteFile(databaseUrl: string): string {
  return path.resolve(databaseUrl.slice('file:'.length).split('?', 1)[0] ?? '');
}

/** Which file a path names: a copy put in its place is another file, one moved away and back is not. */
async function fileIdentity(file: string): Promise<string> {
  const { dev, ino } = await stat(file, { bigint: true });
  return `${dev}:${ino}`;
}

/**
 * The database answers and, for SQLite, its file is still in place and
 * writable. better-sqlite3 keeps its file descriptor open, so `SELECT 1`
 * alone keeps succeeding on a file that was deleted or moved away, while
 * every new connection (the CLI, a restart) would find nothing. For the
 * same reason a file put in its place (a restored backup) goes unseen: the
 * process keeps writing to the deleted one until it restarts.
 */
@Injectable()
export class DatabaseHealthIndicator implements OnModuleInit {
  /** The file the process opened; recorded at start, before anyone could swap it. */
  private opened?: string;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database !== 'sqlite') return;
    // A file missing now is reported by the check, which records the identity once it appears.
    this.opened = await fileIdentity(sqliteFile(this.config.databaseUrl)).catch(() => undefined);
  }

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
          const identity = await fileIdentity(file).catch(() => {
            throw new Error('the database file is missing or not writable');
          });
          this.opened ??= identity;
          if (identity !== this.opened) {
            throw new Error(
              'the database file was replaced while Gatehouse had it open; restart to use the new file',
            );
          }
        }
        await this.prisma.$queryRawUnsafe('SELECT 1').catch(() => {
          throw new Error('the database does not answer queries');
        });
        return { engine: this.config.database };
      })
      .withTimeout(DATABASE_CHECK_TIMEOUT_MS);
  }
}
