// Opens the application's Prisma client on the database named by DATABASE_URL. Prisma 7 needs
// no native engine: each generated client runs a wasm query compiler over a driver adapter.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable } from '@prisma/driver-adapter-utils';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client.js';
import { parseDatabaseUrl, type DatabaseProvider } from './database-url.js';

/**
 * The two generated clients (src/generated/sqlite, src/generated/postgresql) come from the same
 * models, so their model APIs are identical; only the query compiler inside differs. The app
 * types everything against the SQLite one.
 */
export type AppPrismaClient = SqlitePrismaClient;

export interface Database {
  provider: DatabaseProvider;
  prisma: AppPrismaClient;
  /** One round trip to the database; rejects when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Tells `observer` about every SQL statement Prisma sends until the returned function is
   * called: for diagnostics and tests (statement counts, query plans). While nobody observes,
   * the cost is one empty-set check per statement.
   */
  observeQueries(observer: QueryObserver): () => void;
  /**
   * One read-only SELECT sent straight to the driver, past Prisma's query pipeline, whose
   * ~0.4 ms of CPU per query dominated the read path (bench/read-path.ts). Only for the
   * statement every request runs: authentication. `sql` is one text for both databases (`?`
   * placeholders, double-quoted identifiers); rows come back as plain objects. On SQLite it
   * reads on its own read-only connection, so it never sees another request's open transaction.
   */
  hotRead<Row>(sql: string, args: readonly HotReadArg[]): Promise<Row[]>;
}

export type HotReadArg = string | number;

/** One statement as the driver adapter receives it (`BEGIN` stands for the start of a transaction). */
export interface ObservedQuery {
  sql: string;
  args: readonly unknown[];
  inTransaction: boolean;
}

export type QueryObserver = (query: ObservedQuery) => void;

export interface OpenDatabaseOptions {
  /** Told when PostgreSQL drops a pooled connection (server restart, network loss). */
  onConnectionError?: (error: Error) => void;
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export async function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  return target.provider === 'sqlite' ? openSqlite(target.filePath) : openPostgres(target.url, options);
}

async function openSqlite(filePath: string): Promise<Database> {
  const [{ PrismaClient }, { PrismaBetterSqlite3 }] = await Promise.all([import('../generated/sqlite/client.js'), import('@prisma/adapter-better-sqlite3')]);
  mkdirSync(dirname(filePath), { recursive: true });
  // `timeout` is SQLite's busy timeout: a writer waits for another connection's lock instead
  // of failing at once with SQLITE_BUSY.
  const observers = new Set<QueryObserver>();
  const prisma = new PrismaClient({ adapter: observable(new PrismaBetterSqlite3({ url: filePath, timeout: SQLITE_BUSY_TIMEOUT_MS }), observers) });
  try {
    // WAL lets readers run beside one writer, across connections and processes; it is stored
    // in the file. Foreign keys are per connection and carry the schema's ON DELETE rules.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  // Opened after the WAL switch above; a read-only connection still needs the busy timeout
  // while a checkpoint holds the file.
  const reader = new BetterSqlite3(filePath, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    provider: 'sqlite',
    prisma,
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: once(async () => {
      reader.close();
      await prisma.$disconnect();
    }),
    observeQueries: (observer) => subscribe(observers, observer),
    hotRead: async <Row>(sql: string, args: readonly HotReadArg[]) => {
      report(observers, { sql, args }, false);
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = reader.prepare(sql)));
      return statement.all(...args) as Row[];
    },
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([import('../generated/postgresql/client.js'), import('@prisma/adapter-pg')]);
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // pg emits 'error' when the server drops an idle pooled connection; unhandled, that event
  // would end the process. The pool discards the broken client and the next query reconnects.
  pool.on('error', (error) => options.onConnectionError?.(error));
  const observers = new Set<QueryObserver>();
  const adapter = observable(new PrismaPg(pool, { onConnectionError: (error) => options.onConnectionError?.(error) }), observers);
  // Same models, other query compiler: see AppPrismaClient.
  const prisma = new PrismaClient({ adapter }) as unknown as AppPrismaClient;
  return {
    provider: 'postgresql',
    prisma,
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
    observeQueries: (observer) => subscribe(observers, observer),
    hotRead: async <Row>(sql: string, args: readonly HotReadArg[]) => {
      report(observers, { sql, args }, false);
      // A named statement is parsed once per pooled connection, then only executed.
      const { name, text } = postgresStatement(sql);
      const result = await pool.query({ name, text, values: [...args] });
      return result.rows as Row[];
    },
  };
}

const postgresStatements = new Map<string, { name: string; text: string }>();

/** `?` placeholders become `$1…$n`; each distinct text gets a stable prepared-statement name. */
function postgresStatement(sql: string): { name: string; text: string } {
  let statement = postgresStatements.get(sql);
  if (!statement) {
    let index = 0;
    statement = { name: `hot_read_${postgresStatements.size + 1}`, text: sql.replace(/\?/g, () => `$${++index}`) };
    postgresStatements.set(sql, statement);
  }
  return statement;
}

function report(observers: Set<QueryObserver>, query: Pick<ObservedQuery, 'sql' | 'args'>, inTransaction: boolean): void {
  if (observers.size === 0) return;
  for (const observer of observers) observer({ ...query, inTransaction });
}

function subscribe(observers: Set<QueryObserver>, observer: QueryObserver): () => void {
  observers.add(observer);
  return () => {
    observers.delete(observer);
  };
}

/**
 * Patches the adapter that `factory.connect()` returns (and each transaction it starts) so that
 * every statement is reported to `observers` before it is sent. Prisma sends COMMIT and
 * ROLLBACK itself; BEGIN is issued inside the adapter, so it is reported when a transaction starts.
 */
function observable<F extends SqlDriverAdapterFactory>(factory: F, observers: Set<QueryObserver>): F {
  const connect = factory.connect.bind(factory);
  const patch = <Q extends SqlQueryable>(queryable: Q, inTransaction: boolean): Q => {
    const queryRaw = queryable.queryRaw.bind(queryable);
    const executeRaw = queryable.executeRaw.bind(queryable);
    queryable.queryRaw = (query: SqlQuery) => (report(observers, query, inTransaction), queryRaw(query));
    queryable.executeRaw = (query: SqlQuery) => (report(observers, query, inTransaction), executeRaw(query));
    return queryable;
  };
  const instrumented = async (): Promise<SqlDriverAdapter> => {
    const adapter = patch(await connect(), false);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      report(observers, { sql: 'BEGIN', args: [] }, true);
      return patch(await startTransaction(isolationLevel), true);
    };
    return adapter;
  };
  (factory as SqlDriverAdapterFactory).connect = instrumented;
  return factory;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
