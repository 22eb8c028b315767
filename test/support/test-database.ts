// A fresh, empty database per test file: a SQLite file in a temp folder, or (when
// TEST_DATABASE_URL names a PostgreSQL server) a new database t_<random> on that server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestProvider = 'sqlite' | 'postgresql';

export interface TestDatabase {
  url: string;
  provider: TestProvider;
  /** Deletes the database (PostgreSQL: after ending its remaining connections). */
  drop(): Promise<void>;
}

/** The providers the suites run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testProviders(): TestProvider[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
}

export async function createTestDatabase(provider: TestProvider = 'sqlite'): Promise<TestDatabase> {
  return provider === 'sqlite' ? createSqliteDatabase() : createPostgresDatabase();
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'pca-db-'));
  return {
    url: `file:${join(dir, 'test.db')}`,
    provider: 'sqlite',
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The admin URL with another database name (same server, user and options). */
export function postgresUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onAdminConnection<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('PostgreSQL tests need TEST_DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await onAdminConnection(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    url: postgresUrlFor(adminUrl, name),
    provider: 'postgresql',
    drop: () =>
      onAdminConnection(adminUrl, async (client) => {
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      }),
  };
}
