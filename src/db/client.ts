// Opens the application's Prisma client on the database named by DATABASE_URL. Prisma 7 needs
// no native engine: each generated client runs a wasm query compiler over a driver adapter.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
}

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
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: filePath, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
  try {
    // WAL lets readers run beside one writer, across connections and processes; it is stored
    // in the file. Foreign keys are per connection and carry the schema's ON DELETE rules.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  return {
    provider: 'sqlite',
    prisma,
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: once(() => prisma.$disconnect()),
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([import('../generated/postgresql/client.js'), import('@prisma/adapter-pg')]);
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // pg emits 'error' when the server drops an idle pooled connection; unhandled, that event
  // would end the process. The pool discards the broken client and the next query reconnects.
  pool.on('error', (error) => options.onConnectionError?.(error));
  const adapter = new PrismaPg(pool, { onConnectionError: (error) => options.onConnectionError?.(error) });
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
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
