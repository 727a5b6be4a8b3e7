import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { PrismaClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/postgres/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { PgDirect, PgQueryable } from './pg-direct.js';
import { PgAdapterFactory } from './pg-pool.js';
import { SerializedSqliteAdapterFactory } from './serialized-sqlite.adapter.js';
import type { SqliteFileState } from './sqlite-file.js';

/**
 * The process's Prisma client, as an injection token and a type. SQLite and
 * PostgreSQL have separate generated clients (one datasource block each) built
 * from the same models, so their APIs are identical; the SQLite client's type
 * stands for both.
 */
export abstract class PrismaService extends PrismaClient {}

/**
 * Direct, synchronous access to the embedded SQLite connection for hot paths
 * (null on PostgreSQL). Work runs only while no Prisma transaction is open.
 */
export interface SqliteDirect {
  /** Null while the connection is not open yet (Prisma connects on first use). */
  exclusive<T>(work: (db: Database) => T): Promise<T> | null;
  /**
   * A transaction of the caller's own (BEGIN IMMEDIATE … COMMIT) around async
   * work whose every statement goes through `joinTransaction`: cheaper than a
   * Prisma interactive transaction. Transactions started in the same turn of
   * the event loop share one commit, each in its own savepoint; the promise
   * settles once that commit is durable. Null while the connection is not open.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> | null;
  /** `transaction` for synchronous work on the connection: its own transaction, in the next group commit. */
  transactionSync<T>(work: (db: Database) => T): Promise<T> | null;
  /** Direct transactions committed so far and the group commits they took (several share one). */
  readonly groupStats: { transactions: number; groups: number };
  /** Work inside the transaction the caller has open (Prisma's or its own); throws when none is. */
  joinTransaction<T>(work: (db: Database) => T): T;
  /** Whether the path still names the file the connection opened (see SqliteFileGuard). */
  fileState(): SqliteFileState;
  /** Throws `DatabaseFileMovedError` unless it does: writes that must not be lost call it before COMMIT. */
  assertFileInPlace(): void;
}

/**
 * Stands in for the Prisma transaction client inside a direct SQLite
 * transaction: a Prisma query there would wait forever for the connection
 * the transaction holds, so any use fails at once instead.
 */
export const NO_PRISMA_IN_DIRECT_TRANSACTION: unknown = new Proxy(
  {},
  {
    get(_target, property) {
      throw new Error(
        `Prisma (${String(property)}) used inside a direct SQLite transaction; use joinTransaction`,
      );
    },
  },
);

const PG_TRANSACTION = Symbol('direct PostgreSQL transaction');

/**
 * Stands in for the Prisma transaction client inside a direct PostgreSQL
 * transaction (PgDirect.transaction): a Prisma query there would run on
 * another connection, outside the transaction, so any use fails at once.
 * Repositories reach the transaction's connection with `pgTransactionOf`.
 */
export function pgStandIn(tx: PgQueryable): unknown {
  return new Proxy(
    {},
    {
      get(_target, property) {
        if (property === PG_TRANSACTION) return tx;
        throw new Error(
          `Prisma (${String(property)}) used inside a direct PostgreSQL transaction; use pgTransactionOf`,
        );
      },
    },
  );
}

/** The direct PostgreSQL transaction `tx` stands in for, or null for a Prisma transaction client. */
export function pgTransactionOf(tx: unknown): PgQueryable | null {
  // The SQLite stand-in throws on every property read, this one included.
  if (tx === NO_PRISMA_IN_DIRECT_TRANSACTION) return null;
  return (tx as Record<symbol, PgQueryable | undefined> | null)?.[PG_TRANSACTION] ?? null;
}

/** The direct PostgreSQL transaction of a write; anything else is a bug in the caller. */
export function requirePgTransaction(tx: unknown): PgQueryable {
  const pg = pgTransactionOf(tx);
  if (!pg) throw new Error('a write ran outside a direct transaction');
  return pg;
}

const directAccess = new WeakMap<object, SqliteDirect>();
const pgDirectAccess = new WeakMap<object, PgDirect>();

export function sqliteDirectOf(prisma: PrismaService): SqliteDirect | null {
  return directAccess.get(prisma) ?? null;
}

/** Direct transactions on the PostgreSQL pool for hot paths (null on SQLite). */
export function pgDirectOf(prisma: PrismaService): PgDirect | null {
  return pgDirectAccess.get(prisma) ?? null;
}

/** Opens the store named by DATABASE_URL the same way for the server and the CLI. */
export function createPrismaClient(
  config: Pick<AppConfig, 'database' | 'databaseUrl' | 'databasePoolSize' | 'sqliteBusyTimeoutMs'>,
): PrismaService {
  if (config.database === 'sqlite') {
    const factory = new SerializedSqliteAdapterFactory(
      config.databaseUrl,
      config.sqliteBusyTimeoutMs,
    );
    const client = new PrismaClient({ adapter: factory }) as PrismaService;
    directAccess.set(client, factory);
    return client;
  }
  const factory = new PgAdapterFactory(config.databaseUrl, config.databasePoolSize);
  const client = new PostgresPrismaClient({ adapter: factory });
  pgDirectAccess.set(client, factory.direct);
  return client as unknown as PrismaService;
}

/** Closes the store last, after every module that writes to it has stopped. */
@Injectable()
export class DatabaseLifecycle implements OnModuleDestroy {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.prisma.$disconnect();
    this.logger.log(`${this.config.database} store closed`);
  }
}
