import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PgDirect } from './pg-direct.js';

/** PostgreSQL's `name` type (table and column names in the catalog). */
const NAME_OID = 19;
const TEXT_OID = 25;

/**
 * A pg Pool whose results report `name` columns as `text`. Prisma 6.19's
 * WebAssembly schema engine cannot deserialize `name` ("Column type 'name'
 * could not be deserialized", prisma/prisma#27403 / prisma/orm#27403), which
 * breaks `migrate deploy` and `migrate status` through @prisma/adapter-pg.
 * The values are plain strings either way, so relabelling them is safe.
 */
export class NameAsTextPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    // An idle connection dropped by the server (restart, failover) must not crash
    // the process; the next query reconnects or fails with a normal error.
    this.on('error', () => undefined);
  }

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.then((r: unknown) => relabel(r)) as never;
    }
    return result as never;
  }
}

function relabel(result: unknown): unknown {
  const fields = (result as { fields?: { dataTypeID: number }[] } | null)?.fields;
  if (Array.isArray(fields)) {
    for (const field of fields) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";",
 * which breaks PL/pgSQL bodies (our audit-table triggers). Sending the whole
 * script in one simple-protocol query is what psql does and keeps them intact.
 */
export class PgAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  readonly #pool: NameAsTextPool;
  readonly #inner: PrismaPg;
  /** Direct transactions on the same pool, for hot paths (see PgDirect). */
  readonly direct: PgDirect;

  constructor(connectionString: string, max = 10) {
    // A request waits at most 10 s for a connection (as Prisma's maxWait did), then fails.
    this.#pool = new NameAsTextPool({ connectionString, max, connectionTimeoutMillis: 10_000 });
    this.#inner = new PrismaPg(this.#pool);
    this.adapterName = this.#inner.adapterName;
    this.direct = new PgDirect(this.#pool);
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.#wholeScripts(await this.#inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.#wholeScripts(await this.#inner.connectToShadowDb());
  }

  #wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
    const pool = this.#pool;
    const convert = (adapter as unknown as { onError?: (e: unknown) => never }).onError?.bind(
      adapter,
    );
    adapter.executeScript = async (script: string): Promise<void> => {
      try {
        await (pool as pg.Pool).query(script);
      } catch (error) {
        if (convert) convert(error);
        throw error;
      }
    };
    return adapter;
  }
}
