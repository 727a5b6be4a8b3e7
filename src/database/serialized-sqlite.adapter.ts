import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';

/**
 * The better-sqlite3 adapter shares one connection between transactions and
 * plain queries: it serialises transactions with a mutex, but a plain query
 * issued while another request's transaction is open runs *inside* it (and is
 * rolled back with it). This wrapper makes plain queries wait until no
 * transaction is open, so every request sees only committed data.
 */
class SerializedSqliteAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;
  #open: Promise<void> | null = null;

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    while (this.#open) await this.#open;
    return this.inner.queryRaw(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    while (this.#open) await this.#open;
    return this.inner.executeRaw(query);
  }

  async executeScript(script: string): Promise<void> {
    while (this.#open) await this.#open;
    return this.inner.executeScript(script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const tx = await this.inner.startTransaction(isolationLevel);
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    this.#open = open;
    const done = (): void => {
      // The next transaction may already have taken the connection and set its own marker.
      if (this.#open === open) this.#open = null;
      release();
    };
    return {
      provider: tx.provider,
      adapterName: tx.adapterName,
      options: tx.options,
      queryRaw: (q) => tx.queryRaw(q),
      executeRaw: (q) => tx.executeRaw(q),
      commit: () => tx.commit().finally(done),
      rollback: () => tx.rollback().finally(done),
    };
  }

  getConnectionInfo(): ReturnType<NonNullable<SqlDriverAdapter['getConnectionInfo']>> {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

export class SerializedSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  readonly #inner: PrismaBetterSQLite3;

  constructor(url: string) {
    // timeout is better-sqlite3's busy timeout: another process (the CLI) may hold the write lock.
    this.#inner = new PrismaBetterSQLite3({ url, timeout: 10_000 });
    this.adapterName = this.#inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const inner = await this.#inner.connect();
    await inner.executeScript('PRAGMA foreign_keys = ON;');
    return new SerializedSqliteAdapter(inner);
  }
}
