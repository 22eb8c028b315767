// Migrations apply with the wasm schema engine on both databases, a second run applies
// nothing, and a failing migration is undone whole with one readable error.
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { projectPath } from '../../src/project-root.js';
import { createTestDatabase, testProviders, type TestDatabase, type TestProvider } from '../support/test-database.js';

/** Runs `sql` straight through the driver, apart from the code under test. */
async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const target = parseDatabaseUrl(url);
  if (target.provider === 'sqlite') {
    const db = new Sqlite(target.filePath, { fileMustExist: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const TABLES_SQL: Record<TestProvider, string> = {
  sqlite: "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name",
  postgresql: "SELECT table_name AS name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
};

describe.each(testProviders())('migrations on %s', (provider) => {
  const migrationsDir = projectPath('prisma', provider, 'migrations');
  const databases: TestDatabase[] = [];
  const freshDatabase = async () => {
    const database = await createTestDatabase(provider);
    databases.push(database);
    return database;
  };
  const scratchDirs: string[] = [];
  /** A temp copy of the real migrations folder plus one more migration. */
  const migrationsPlus = async (name: string, sql: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'pca-migrations-'));
    scratchDirs.push(dir);
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
    await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('applies every migration to a fresh database, then nothing the second time', async () => {
    const { url } = await freshDatabase();
    const folders = (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    const logged: string[] = [];

    expect(await applyMigrations(url, (message) => logged.push(message))).toEqual({ applied: folders });
    expect(logged).toEqual(folders.map((name) => `Applying \`${name}\``));
    expect(await applyMigrations(url)).toEqual({ applied: [] });

    const history = await query(url, 'SELECT migration_name, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name');
    expect(history.map((row) => row.migration_name)).toEqual(folders);
    for (const row of history) expect(row).toMatchObject({ rolled_back_at: null, applied_steps_count: 1 });
    const tables = (await query(url, TABLES_SQL[provider])).map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(['User', 'Account', 'ProviderCredential', 'CredentialSecret', 'AuditEvent']));
  });

  if (provider === 'sqlite') {
    it('closes its connection: the file is not left locked', async () => {
      const { url } = await freshDatabase();
      await applyMigrations(url);
      const target = parseDatabaseUrl(url);
      if (target.provider !== 'sqlite') throw new Error('expected SQLite');
      // No busy timeout: a lock still held by the engine's connection fails at once.
      const db = new Sqlite(target.filePath, { timeout: 0 });
      try {
        expect(() => db.exec('BEGIN EXCLUSIVE; COMMIT')).not.toThrow();
      } finally {
        db.close();
      }
    });
  }

  if (provider === 'sqlite') {
    it('rebuilds a parent table without cascading deletes into its children', async () => {
      // Prisma changes a SQLite table by copying it (RedefineTables) with foreign keys off;
      // applied inside a transaction, that pragma must still take effect.
      const { url } = await freshDatabase();
      await applyMigrations(url);
      const target = parseDatabaseUrl(url) as { filePath: string };
      const db = new Sqlite(target.filePath);
      db.exec(`INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt") VALUES ('usr_1', 'a@example.test', 'x', 0);
        INSERT INTO "Account" ("id", "name") VALUES ('acc_1', 'A');
        INSERT INTO "Membership" ("id", "userId", "accountId", "role") VALUES ('mem_1', 'usr_1', 'acc_1', 'admin');`);
      db.close();

      const rebuild = '99990101000000_rebuild_account';
      const copy = await migrationsPlus(
        rebuild,
        `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Account" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO "new_Account" ("id", "name", "createdAt") SELECT "id", "name", "createdAt" FROM "Account";
DROP TABLE "Account";
ALTER TABLE "new_Account" RENAME TO "Account";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
      );
      expect(await applyMigrations(url, undefined, { migrationsDir: copy })).toEqual({ applied: [rebuild] });
      expect(await query(url, 'SELECT "id" FROM "Membership"')).toEqual([{ id: 'mem_1' }]);
      expect(await query(url, 'PRAGMA foreign_key_check')).toEqual([]);
    });
  }

  it('rolls a failing migration back whole, reports it in one line, and applies it once fixed', async () => {
    const { url } = await freshDatabase();
    await applyMigrations(url);
    const before = await query(url, TABLES_SQL[provider]);
    const broken = '99990101000000_broken';
    const createTable = 'CREATE TABLE "Broken" ("id" INTEGER NOT NULL PRIMARY KEY);\n';
    const copy = await migrationsPlus(broken, `${createTable}INSERT INTO "NoSuchTable" ("id") VALUES (1);\n`);

    const failure = await applyMigrations(url, undefined, { migrationsDir: copy }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message).toContain(broken);
    expect(failure!.message).toContain('NoSuchTable');
    expect(failure!.message).not.toContain('\n');
    expect(failure!.message).not.toMatch(/\.rs:\d+|wasm-function/);

    expect(await query(url, TABLES_SQL[provider])).toEqual(before);
    const attempt = await query(url, `SELECT finished_at, rolled_back_at FROM _prisma_migrations WHERE migration_name = '${broken}'`);
    expect(attempt).toHaveLength(1);
    expect(attempt[0]!.finished_at).toBeNull();
    expect(attempt[0]!.rolled_back_at).not.toBeNull();

    // Fixed, it applies like any pending migration.
    await writeFile(join(copy, broken, 'migration.sql'), createTable);
    expect(await applyMigrations(url, undefined, { migrationsDir: copy })).toEqual({ applied: [broken] });
    expect((await query(url, TABLES_SQL[provider])).map((row) => row.name)).toContain('Broken');
  });
});
