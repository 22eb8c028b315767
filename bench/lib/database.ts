// A fresh database per benchmark (a SQLite file in a temp folder, or a new PostgreSQL database
// t_<random> on the local server), migrated, and dropped afterwards.
//
// Order matters on SQLite: the server's start-up migration step (the wasm schema engine, which
// sets locking_mode=EXCLUSIVE) times out while other processes hold the file open, so every
// server process is started before this process opens its own connection (`open()`).
import { openDatabase, type Database } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createTestDatabase, type TestProvider } from '../../test/support/test-database.js';

export interface BenchDatabase {
  provider: TestProvider;
  url: string;
  /** Opens (once) the same Prisma client and driver adapter the server uses, in this process. */
  open(): Promise<Database>;
  /** Closes this process's connection (it can be opened again). */
  closeConnection(): Promise<void>;
  drop(): Promise<void>;
}

export async function createBenchDatabase(provider: TestProvider, pgAdminUrl: string): Promise<BenchDatabase> {
  if (provider === 'postgresql') process.env.TEST_DATABASE_URL ||= pgAdminUrl;
  const database = await createTestDatabase(provider);
  try {
    await applyMigrations(database.url);
  } catch (error) {
    await database.drop();
    throw error;
  }
  let opened: Promise<Database> | undefined;
  return {
    provider,
    url: database.url,
    open: () => (opened ??= openDatabase(database.url)),
    async closeConnection() {
      const current = opened;
      opened = undefined;
      if (current) await (await current).close();
    },
    async drop() {
      if (opened) await (await opened).close();
      await database.drop();
    },
  };
}
