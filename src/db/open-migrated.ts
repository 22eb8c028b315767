// Opens the database with every migration applied, for the server and the command-line tools.
// The schema engine takes an exclusive lock on a SQLite file, so it runs only when a migration
// is pending: a second server process, or a CLI command beside a running server, opens an
// up-to-date database without waiting for a lock it cannot get.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { projectPath } from '../project-root.js';
import { openDatabase, type Database } from './client.js';
import { applyMigrations } from './migrate.js';

export async function openMigratedDatabase(databaseUrl: string): Promise<{ db: Database; applied: string[] }> {
  const db = await openDatabase(databaseUrl);
  let pending: string[];
  try {
    pending = await pendingMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  if (pending.length === 0) return { db, applied: [] };
  await db.close();
  let applied: string[];
  try {
    ({ applied } = await applyMigrations(databaseUrl));
  } catch (error) {
    const hint = databaseUrl.startsWith('file:') ? ' On SQLite, stop other processes using this database file while a migration is applied.' : '';
    throw new Error(`${(error as Error).message} (${pending.length} migration(s) pending: ${pending.join(', ')}.${hint})`);
  }
  return { db: await openDatabase(databaseUrl), applied };
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
