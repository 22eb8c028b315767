// Shared set-up for the command-line tools (operator CLI, seed:demo): configuration from the
// environment, pending migrations applied (as `npm start` does), the database opened; logs go
// to stderr so that stdout carries only the command's own output.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import { createLogger, type Logger } from '../logger.js';
import { projectPath } from '../project-root.js';

export interface CliRuntime {
  config: Config;
  logger: Logger;
  db: Database;
  close(): Promise<void>;
}

export async function openCliRuntime(env: NodeJS.ProcessEnv = process.env): Promise<CliRuntime> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: pino.destination(2) });
  const db = await openMigratedDatabase(config.databaseUrl);
  return { config, logger, db, close: () => db.close() };
}

/**
 * Opens the database, applying pending migrations first. The schema engine needs the SQLite
 * file to itself (it takes an exclusive lock), so it runs only when something is pending: a
 * command can then work beside a running server (`npm run dev`) on an up-to-date database.
 */
async function openMigratedDatabase(databaseUrl: string): Promise<Database> {
  let db = await openDatabase(databaseUrl);
  let pending: string[];
  try {
    pending = await pendingMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  if (pending.length === 0) return db;
  await db.close();
  try {
    const { applied } = await applyMigrations(databaseUrl);
    if (applied.length > 0) process.stderr.write(`applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n(${pending.length} migration(s) pending: ${pending.join(', ')}. On SQLite, stop any server using this database file first, or start the server once to apply them.)`);
  }
  db = await openDatabase(databaseUrl);
  return db;
}

/** Migration folders of this provider that the database has not finished applying. */
async function pendingMigrations(db: Database): Promise<string[]> {
  const dir = projectPath('prisma', db.provider, 'migrations');
  const folders = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql'))).map((entry) => entry.name);
  let applied: Set<string>;
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
    applied = new Set(rows.map((row) => row.migration_name));
  } catch {
    applied = new Set(); // no migrations table yet: a new database
  }
  return folders.filter((name) => !applied.has(name)).sort();
}

/** A usage mistake (unknown command, missing or unknown option): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
