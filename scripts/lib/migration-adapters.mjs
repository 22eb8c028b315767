// Driver adapters for the wasm schema engine, with the workarounds that Prisma 7.10's adapters
// need to run migrations (each is marked DEFECT below). Only the migration engine uses these;
// the application's runtime client is built in src/db/client.ts.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, DriverAdapterError } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

const once = (fn) => {
  let result;
  return () => (result ??= fn());
};

/** A plain object forwarding the adapter interface to `inner`, with some methods replaced. */
function forward(inner, overrides) {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => inner.queryRaw(query),
    executeRaw: (query) => inner.executeRaw(query),
    executeScript: (script) => inner.executeScript(script),
    startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
    ...(inner.getConnectionInfo ? { getConnectionInfo: () => inner.getConnectionInfo() } : {}),
    dispose: () => inner.dispose(),
    ...overrides,
  };
}

const rawQuery = (sql) => ({ sql, args: [], argTypes: [] });

// A migration that manages its own transaction is run as written.
const OWN_TRANSACTION = /^\s*(BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?|COMMIT|END\s+TRANSACTION|ROLLBACK)\s*;/im;

/**
 * SQLite runs a migration script statement by statement with no transaction, so a failing
 * statement leaves the earlier ones applied. Run it in one transaction instead. Prisma's
 * table-rebuild scripts switch `foreign_keys` off, which SQLite ignores inside a transaction,
 * so it is switched off around the transaction (else dropping a parent table would cascade).
 */
async function executeSqliteScriptAtomically(inner, script, stats) {
  if (OWN_TRANSACTION.test(script)) return inner.executeScript(script);
  const { rows } = await inner.queryRaw(rawQuery('PRAGMA foreign_keys'));
  const foreignKeys = Number(rows[0]?.[0] ?? 1) ? 'ON' : 'OFF';
  await inner.executeScript('PRAGMA foreign_keys=OFF');
  try {
    await inner.executeScript('BEGIN');
    try {
      await inner.executeScript(script);
      await inner.executeScript('COMMIT');
    } catch (error) {
      // SQLite may already have rolled back by itself (e.g. on SQLITE_FULL): nothing to undo then.
      await inner.executeScript('ROLLBACK').catch(() => {});
      stats.failedScriptsRolledBack++;
      throw error;
    }
  } finally {
    await inner.executeScript(`PRAGMA foreign_keys=${foreignKeys}`);
  }
}

/**
 * DEFECT: adapter-better-sqlite3 reports SQLITE_BUSY (another connection holds the lock past the
 * busy timeout) as kind "SocketTimeout", which the schema engine cannot decode ("unknown variant
 * `SocketTimeout`", followed by a wasm stack). Report it as the plain SQLite error it is.
 */
function reportBusyAsSqliteError(operation) {
  return async (...args) => {
    try {
      return await operation(...args);
    } catch (error) {
      if (error?.cause?.kind !== 'SocketTimeout') throw error;
      const message = `${error.cause.originalMessage ?? 'database is locked'} (another connection holds the database)`;
      throw new DriverAdapterError({ kind: 'sqlite', extendedCode: 5, message });
    }
  };
}

function sqliteAdapter(inner, overrides) {
  const adapter = forward(inner, overrides);
  for (const method of ['queryRaw', 'executeRaw', 'executeScript']) adapter[method] = reportBusyAsSqliteError(adapter[method]);
  return adapter;
}

function sqliteFactory(target, track, stats) {
  if (target.filePath !== ':memory:') mkdirSync(dirname(target.filePath), { recursive: true });
  const main = new PrismaBetterSqlite3({ url: target.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const shadow = new PrismaBetterSqlite3({ url: ':memory:' });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const inner = await main.connect();
      return track(sqliteAdapter(inner, { executeScript: (script) => executeSqliteScriptAtomically(inner, script, stats) }));
    },
    async connectToShadowDb() {
      const inner = await shadow.connect();
      // DEFECT: the engine replays migrations on the shadow database through executeRaw with a
      // multi-statement script and no arguments, which better-sqlite3's prepare() refuses.
      const executeRaw = async (query) => {
        if (query.args.length > 0) return inner.executeRaw(query);
        await inner.executeScript(query.sql);
        return 0;
      };
      return track(sqliteAdapter(inner, { executeRaw }));
    },
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * DEFECT: adapter-pg cannot deserialize Postgres' internal one-byte `"char"` type (OID 18),
 * which the engine's schema introspection reads from the catalogs. Its text form is the
 * character itself, so the result is declared as text before the adapter maps the columns.
 */
function declareCharAsText(result) {
  for (const each of Array.isArray(result) ? result : [result]) {
    for (const field of each?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

function patchCharColumns(client) {
  const query = client.query.bind(client);
  client.query = (...args) => {
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex];
      args[callbackIndex] = (error, result) => callback(error, error ? result : declareCharAsText(result));
      return query(...args);
    }
    const pending = query(...args);
    return typeof pending?.then === 'function' ? pending.then(declareCharAsText) : pending;
  };
}

function migrationPool(connectionString) {
  const pool = new pg.Pool({
    connectionString,
    // The engine holds a session advisory lock (pg_advisory_lock) on one pooled connection for
    // the whole run; an idle timeout would close that connection and release the lock early.
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('connect', patchCharColumns);
  pool.on('error', () => {}); // an idle client's error must not crash the process; the next query reports it
  return pool;
}

/** The same server and options, another database. */
function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function onAdminConnection(url, statement) {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function dropDatabase(url, database) {
  try {
    await onAdminConnection(url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } catch (error) {
    if (error?.code !== '42601') throw error; // syntax error: a server older than 13 has no FORCE
    await onAdminConnection(url, `DROP DATABASE IF EXISTS "${database}"`);
  }
}

function postgresFactory(target, track, stats) {
  const main = new PrismaPg(migrationPool(target.url), { disposeExternalPool: true });
  // PG runs a multi-statement simple query as one implicit transaction, as the native engine
  // does with a migration script. DEFECT: adapter-pg's executeScript instead splits the script
  // on every ";" (breaking string literals and function bodies) and runs the pieces one by one.
  const executeScriptAtOnce = (inner) => async (script) => {
    try {
      await inner.executeRaw(rawQuery(script));
    } catch (error) {
      if (!OWN_TRANSACTION.test(script)) stats.failedScriptsRolledBack++;
      throw error;
    }
  };
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const inner = await main.connect();
      return track(forward(inner, { executeScript: executeScriptAtOnce(inner) }));
    },
    // DEFECT: PrismaPg's own shadow database reuses the main connection string (pg ignores the
    // `database` it adds next to a connectionString, so migrations replay on the main database)
    // and drops the database before closing its pool. Create, connect and drop it here instead.
    async connectToShadowDb() {
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await onAdminConnection(target.url, `CREATE DATABASE "${database}"`);
      const inner = await new PrismaPg(migrationPool(withDatabase(target.url, database)), { disposeExternalPool: true }).connect();
      const dispose = async () => {
        await inner.dispose();
        await dropDatabase(target.url, database);
      };
      return track(forward(inner, { executeScript: executeScriptAtOnce(inner), dispose }));
    },
  };
}

/**
 * A migration-aware adapter factory for the engine, and `dispose()` to close every connection
 * the engine opened through it (safe to call more than once).
 * @param {{ provider: 'sqlite', filePath: string } | { provider: 'postgresql', url: string }} target
 */
export function createMigrationAdapterFactory(target) {
  const opened = [];
  // Counts migration scripts that failed and were undone whole, so the caller knows a failed
  // migration left the database as it was.
  const stats = { failedScriptsRolledBack: 0 };
  const track = (adapter) => {
    const tracked = { ...adapter, dispose: once(adapter.dispose) };
    opened.push(tracked);
    return tracked;
  };
  const raw = target.provider === 'sqlite' ? sqliteFactory(target, track, stats) : postgresFactory(target, track, stats);
  return {
    factory: bindMigrationAwareSqlAdapterFactory(raw),
    stats,
    async dispose() {
      // Newest first: shadow databases before the main connection.
      const errors = [];
      for (const adapter of opened.reverse()) await adapter.dispose().catch((error) => errors.push(error));
      opened.length = 0;
      if (errors.length > 0) throw errors[0];
    },
  };
}
