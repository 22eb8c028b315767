// openDatabase on both databases: a User round trip, ping, SQLite's concurrency settings, and a
// PostgreSQL pool that survives the server going away.
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, testProviders, type TestDatabase } from '../support/test-database.js';

describe.each(testProviders())('openDatabase on %s', (provider) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(provider);
    await applyMigrations(database.url);
    db = await openDatabase(database.url);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('names its provider and answers ping', async () => {
    expect(db.provider).toBe(provider);
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('creates and reads back a User', async () => {
    const created = await db.prisma.user.create({ data: { id: 'usr_roundtrip', email: 'round@example.test', passwordHash: '$argon2id$x' } });
    expect(created.createdAt).toBeInstanceOf(Date);
    const read = await db.prisma.user.findUnique({ where: { email: 'round@example.test' } });
    expect(read).toEqual(created);
  });

  it('closes more than once without error', async () => {
    const other = await openDatabase(database.url);
    await other.ping();
    await other.close();
    await expect(other.close()).resolves.toBeUndefined();
  });

  if (provider === 'sqlite') {
    it('uses WAL so that two connections can write to the same file', async () => {
      const [{ journal_mode }] = await db.prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(journal_mode).toBe('wal');
      const second = await openDatabase(database.url);
      try {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? db : second).prisma.account.create({ data: { id: `acc_${i}`, name: `Account ${i}` } }),
          ),
        );
        expect(await second.prisma.account.count()).toBe(20);
      } finally {
        await second.close();
      }
    });
  }
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('openDatabase on an unreachable PostgreSQL', () => {
  it('opens, but ping rejects', async () => {
    const db = await openDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}/nowhere`);
    try {
      await expect(db.ping()).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});

describe.runIf(testProviders().includes('postgresql'))('a PostgreSQL outage', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('survives the server ending its pooled connections, and reconnects', async () => {
    const connectionErrors: Error[] = [];
    const db = await openDatabase(database.url, { onConnectionError: (error) => connectionErrors.push(error) });
    try {
      await db.ping();
      // What a server restart does to idle connections: without the pool's 'error' listener,
      // this event would end the process.
      await withAdminClient((admin) => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [new URL(database.url).pathname.slice(1)]));
      await expect.poll(() => connectionErrors.length).toBeGreaterThan(0);
      await expect(db.ping()).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('rejects ping while the server is unreachable, and recovers when it is back', async () => {
    const target = new URL(database.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const db = await openDatabase(viaProxy.toString());
    try {
      await db.ping();
      await proxy.cut(); // drops the pooled connection and refuses new ones
      await expect(db.ping()).rejects.toThrow();
      await expect(db.ping()).rejects.toThrow();
      await proxy.restore();
      await expect(db.ping()).resolves.toBeUndefined();
    } finally {
      await db.close();
      await proxy.close();
    }
  });
});

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
