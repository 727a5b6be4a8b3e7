import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { Database } from 'better-sqlite3';
import { SQLITE_BLOCKING_BUSY_MS, whileBusy } from './sqlite-busy.js';
import { SqliteFileGuard, type SqliteFileState } from './sqlite-file.js';
import { prepared } from './sqlite-sql.js';

/** Transactions per group commit at most, so one group never holds the connection for long. */
const MAX_GROUP = 64;

const BEGIN_IMMEDIATE: SqlQuery = { sql: 'BEGIN IMMEDIATE', args: [], argTypes: [] };
/** The statements Prisma ends an interactive transaction with. */
const ENDS_TRANSACTION = /^(COMMIT|ROLLBACK)$/i;

interface GroupMember {
  /** `performance.now()` when the transaction was asked for: its wait for the lock counts from here. */
  queuedAt: number;
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The better-sqlite3 adapter shares one connection between transactions and
 * plain queries: it serialises transactions with a mutex, but a plain query
 * issued while another request's transaction is open runs *inside* it (and is
 * rolled back with it). This wrapper gives the connection to one user at a
 * time (a plain query, a transaction from BEGIN to its end, or synchronous
 * direct work), in arrival order, so every request sees only committed data.
 *
 * Another process (the CLI, an operator's `sqlite3`) may hold the write lock.
 * Work that can simply be tried again waits for it in `whileBusy`, between
 * turns of the event loop, until `busyTimeoutMs` after it was asked for (time
 * queued behind other work included, so a long lock fails each caller once,
 * not once per waiter ahead of it); every transaction starts with BEGIN
 * IMMEDIATE, so that is the one statement that meets the lock.
 */
class SerializedSqliteAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;
  readonly #lock = new ConnectionLock();
  readonly #queued: GroupMember[] = [];
  /** A group is waiting for the connection; transactions queued now will join it. */
  #groupWaiting = false;
  readonly #groupStats = { transactions: 0, groups: 0 };

  constructor(
    private readonly inner: SqlDriverAdapter,
    readonly db: Database,
    private readonly busyTimeoutMs: number,
    readonly file: SqliteFileGuard,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  // A plain query is one statement in autocommit: failing busy, it changed nothing.
  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#runWhileBusy(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#runWhileBusy(() => this.inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.#lock.run(() => this.inner.executeScript(script));
  }

  /**
   * Runs synchronous work on the connection when no transaction is open;
   * nothing interleaves with it. The work is one statement or its own
   * immediate transaction, so it is tried again while another process holds
   * the write lock.
   */
  exclusive<T>(work: (db: Database) => T): Promise<T> {
    return this.#runWhileBusy(() => work(this.db));
  }

  /** `attempt` on the connection, tried again while busy until the deadline counted from now. */
  #runWhileBusy<T>(attempt: () => T | Promise<T>): Promise<T> {
    const askedAt = performance.now();
    return this.#lock.run(() => this.#whileBusy(attempt, askedAt));
  }

  #whileBusy<T>(attempt: () => T | Promise<T>, askedAt: number): Promise<T> {
    return whileBusy(attempt, this.busyTimeoutMs - (performance.now() - askedAt));
  }

  /**
   * A transaction that is not Prisma's, with group commit. Transactions
   * started in the same turn of the event loop, or while the connection is
   * busy, run together: one BEGIN IMMEDIATE, each caller's async work in its
   * own savepoint in arrival order, then one COMMIT. A work that throws is rolled back to its savepoint alone; every
   * caller's promise settles only after the shared COMMIT, so nothing is
   * acknowledged before it is durable, and a failed COMMIT fails them all.
   * With `synchronous=FULL` each COMMIT is an fsync; sharing one is what lets
   * concurrent writes go faster than one fsync each. Statements go through
   * `joinTransaction`; a Prisma query issued inside would wait for the
   * connection this holds.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queuedAt = performance.now();
      this.#queued.push({ queuedAt, work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#groupWaiting) {
        this.#groupWaiting = true;
        // After the I/O callbacks of this loop turn, so the writes they start join one group.
        setImmediate(() => void this.#runGroup());
      }
    });
  }

  /** Transactions committed so far and the group commits they took. */
  get groupStats(): { transactions: number; groups: number } {
    return { ...this.#groupStats };
  }

  async #runGroup(): Promise<void> {
    await this.#lock.acquire();
    this.#groupWaiting = false;
    const members = this.#queued.splice(0, MAX_GROUP);
    if (this.#queued.length > 0) {
      this.#groupWaiting = true;
      void this.#runGroup();
    }
    try {
      await this.#commitGroup(members);
    } catch (error) {
      // The COMMIT or one of the group's own statements (savepoints, rollbacks) failed:
      // nothing of the group is committed, so every caller not yet answered gets the error.
      if (this.db.inTransaction) {
        try {
          prepared(this.db, 'ROLLBACK').run();
        } catch {
          // The connection is unusable; the next BEGIN will say so to its callers.
        }
      }
      for (const member of members) member.reject(error);
    } finally {
      this.#lock.release();
    }
  }

  async #commitGroup(members: GroupMember[]): Promise<void> {
    const db = this.db;
    const run = (sql: string): void => void prepared(db, sql).run();
    let done: [GroupMember, unknown][] = [];
    for (const [index, member] of members.entries()) {
      if (!db.inTransaction) {
        try {
          // Members are in arrival order: the first has waited longest.
          await this.#whileBusy(() => run('BEGIN IMMEDIATE'), member.queuedAt);
        } catch (error) {
          // The store refuses to start a transaction: every member still waiting gets why.
          for (const waiting of members.slice(index)) waiting.reject(error);
          break;
        }
      }
      try {
        run('SAVEPOINT group_member');
      } catch (error) {
        member.reject(error);
        continue;
      }
      try {
        const value = await member.work();
        run('RELEASE group_member');
        done.push([member, value]);
      } catch (error) {
        if (db.inTransaction) {
          run('ROLLBACK TO group_member');
          run('RELEASE group_member');
        } else {
          // SQLite ended the whole transaction (e.g. SQLITE_FULL): the members before lost their writes too.
          for (const [earlier] of done) earlier.reject(error);
          done = [];
        }
        member.reject(error);
      }
    }
    if (!db.inTransaction) return;
    // Throws (and the group rolls back) when the file was deleted or replaced under the connection.
    this.file.assertInPlace();
    run('COMMIT');
    this.#groupStats.transactions += done.length;
    this.#groupStats.groups += 1;
    for (const [member, value] of done) member.resolve(value);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // The inner adapter refuses any other level, with the error Prisma expects.
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
      return this.inner.startTransaction(isolationLevel);
    }
    // The connection is the transaction's from BEGIN until COMMIT or ROLLBACK.
    const askedAt = performance.now();
    await this.#lock.acquire();
    let released = false;
    const done = (): Promise<void> => {
      if (!released) {
        released = true;
        this.#lock.release();
      }
      return Promise.resolve();
    };
    try {
      // IMMEDIATE where the inner adapter's BEGIN is deferred: the write lock
      // is met here, where a busy answer can be waited out, and not at the
      // transaction's first write, where it could only fail the transaction.
      await this.#whileBusy(() => this.inner.executeRaw(BEGIN_IMMEDIATE), askedAt);
    } catch (error) {
      await done();
      throw error;
    }
    // Statements run on the one connection as the inner adapter's own transaction does;
    // Prisma sends COMMIT or ROLLBACK itself, then calls commit() or rollback().
    return {
      provider: this.inner.provider,
      adapterName: this.inner.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (q) => this.inner.queryRaw(q),
      executeRaw: (q) =>
        ENDS_TRANSACTION.test(q.sql) ? this.#end(q, done) : this.inner.executeRaw(q),
      commit: done,
      rollback: done,
    };
  }

  /**
   * Prisma's COMMIT or ROLLBACK. Whatever happens, the transaction is over and
   * the connection is handed on: when either statement fails Prisma never
   * calls commit() or rollback(), and the lock would be held for good. SQLite
   * may already have rolled back by itself (after an I/O error or a full
   * disk), so a ROLLBACK with no transaction open succeeds, and a COMMIT that
   * failed is rolled back here.
   */
  async #end(query: SqlQuery, done: () => Promise<void>): Promise<number> {
    try {
      if (!this.db.inTransaction && /^ROLLBACK/i.test(query.sql)) return 0;
      return await this.inner.executeRaw(query);
    } finally {
      if (this.db.inTransaction) {
        try {
          prepared(this.db, 'ROLLBACK').run();
        } catch {
          // The connection is unusable; the next statement will say so to its caller.
        }
      }
      await done();
    }
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
  #adapter: SerializedSqliteAdapter | undefined;

  /** `busyTimeoutMs`: how long work waits while another process holds the write lock. */
  constructor(
    private readonly url: string,
    private readonly busyTimeoutMs: number,
  ) {
    this.#inner = new PrismaBetterSQLite3({ url, timeout: SQLITE_BLOCKING_BUSY_MS });
    this.adapterName = this.#inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const inner = await this.#inner.connect();
    await inner.executeScript('PRAGMA foreign_keys = ON;');
    // The adapter keeps its better-sqlite3 handle as `client`; hot paths use it directly.
    const db = (inner as unknown as { client: Database }).client;
    const file = new SqliteFileGuard(this.url);
    this.#adapter = new SerializedSqliteAdapter(inner, db, this.busyTimeoutMs, file);
    return this.#adapter;
  }

  /** Whether the path still names the file the connection opened (`in_place` until it is open). */
  fileState(): SqliteFileState {
    return this.#adapter?.file.state() ?? 'in_place';
  }

  /** Throws unless the path still names the opened file: call before committing a write. */
  assertFileInPlace(): void {
    this.#adapter?.file.assertInPlace();
  }

  /**
   * Synchronous better-sqlite3 work on Prisma's own connection, serialised
   * with its transactions (the audit appender's fast path).
   */
  exclusive<T>(work: (db: Database) => T): Promise<T> | null {
    return this.#adapter ? this.#adapter.exclusive(work) : null;
  }

  /** Direct transactions committed so far and the group commits they took. */
  get groupStats(): { transactions: number; groups: number } {
    return this.#adapter?.groupStats ?? { transactions: 0, groups: 0 };
  }

  /** A direct transaction on the connection (see the adapter); null until Prisma has connected. */
  transaction<T>(work: () => Promise<T>): Promise<T> | null {
    return this.#adapter ? this.#adapter.transaction(work) : null;
  }

  transactionSync<T>(work: (db: Database) => T): Promise<T> | null {
    const adapter = this.#adapter;
    return adapter ? adapter.transaction(() => Promise.resolve(work(adapter.db))) : null;
  }

  /**
   * Synchronous work inside the Prisma transaction the caller has open: the
   * connection is the transaction's while it is open (plain queries wait for
   * it), so statements run here commit or roll back with it.
   */
  joinTransaction<T>(work: (db: Database) => T): T {
    const db = this.#adapter?.db;
    if (!db?.inTransaction) throw new Error('joinTransaction needs an open transaction');
    return work(db);
  }
}

/**
 * A first-come, first-served lock on the one connection. Each release hands
 * the connection to the next waiter alone; waiters that all woke on every
 * release and raced for it again cost a burst of wake-ups per transaction
 * under load.
 */
class ConnectionLock {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }

  async run<T>(work: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}
