// Bulk seeding: accounts and memberships with the server's own Prisma client, and credentials
// with their secrets sealed by the vault (the same AES-256-GCM binding the API writes) and
// last-test rows written straight through the driver in large transactions: better-sqlite3
// prepared statements on SQLite, multi-row INSERT … SELECT FROM unnest($1::text[], …) on
// PostgreSQL. Prisma's createMany measured ~1,500 credentials/s here (its query compiler
// dominates), far too slow for a million rows.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Database } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { sealCredential } from '../../src/modules/vault/credential-secrets.js';
import { parseKeyRing } from '../../src/modules/vault/key-ring.js';
import { Vault } from '../../src/modules/vault/vault.js';
import { maskUsername } from '../../src/modules/credentials/mask-username.js';
import { newId } from '../../src/shared/ids.js';
import { BENCH_KEY_RING } from './processes.js';

export const benchVault = (): Vault => new Vault(parseKeyRing(BENCH_KEY_RING));

const BATCH = 1000;
const BULK_BATCH = 5000;
/** Timestamps of seeded rows: one second apart, ending an hour before the seeding. */
const SPACING_MS = 1000;

export async function createAccounts(db: Database, count: number, options: { memberUserId?: string; namePrefix?: string } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => ({ id: newId('account'), name: `${options.namePrefix ?? 'Bench account'} ${start + i + 1}` }));
    await db.prisma.account.createMany({ data: batch });
    if (options.memberUserId) {
      const userId = options.memberUserId;
      await db.prisma.membership.createMany({ data: batch.map((account) => ({ id: newId('membership'), userId, accountId: account.id, role: 'member' })) });
    }
    ids.push(...batch.map((account) => account.id));
  }
  return ids;
}

export async function addMemberships(db: Database, userId: string, accountIds: string[], role: 'admin' | 'member' = 'member'): Promise<void> {
  await db.prisma.membership.createMany({ data: accountIds.map((accountId) => ({ id: newId('membership'), userId, accountId, role })) });
}

export type LastTestStatus = 'never' | 'succeeded' | 'failed';

/** What credential number `j` of an account looks like: a fixed, even mix of every filter value. */
export function credentialShape(j: number) {
  const providerKind = j % 2 === 0 ? 'imap' : 'smtp';
  const status: LastTestStatus = (['never', 'succeeded', 'failed'] as const)[Math.floor(j / 2) % 3]!;
  const securityMode = providerKind === 'imap' ? (j % 4 === 0 ? 'ssl_tls' : 'starttls') : j % 4 === 1 ? 'ssl_tls' : 'starttls';
  const port = providerKind === 'imap' ? (securityMode === 'ssl_tls' ? 993 : 143) : securityMode === 'ssl_tls' ? 465 : 587;
  return { providerKind, status, securityMode, port, authKind: j % 7 === 0 ? 'oauth2' : 'password', host: `${providerKind}${j % 20}.example.test` };
}

function testResult(providerKind: string, ok: boolean, testedAt: Date): string {
  return JSON.stringify({
    ok,
    providerKind,
    stage: ok ? 'ready' : 'auth',
    error: ok ? null : { code: 'AUTH_FAILED', message: 'The server refused the username or password.', hint: 'Check the password, or rotate the credential.' },
    latencyMs: 42,
    testedAt: testedAt.toISOString(),
    server: { greeting: '* OK ready', capabilities: ['IMAP4rev1', 'AUTH=PLAIN', 'ID', 'IDLE'], tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true, certificate: null } },
  });
}

export interface SeedCredentialsOptions {
  /** Credentials per account. */
  perAccount: number;
  /** Called after each batch with the number of credentials written so far. */
  onProgress?: (done: number) => void;
  /** The newest seeded row is this long before now (default one hour). */
  newestAgeMs?: number;
}

type Value = string | number | boolean | Date | null;
type PgType = 'text' | 'int' | 'timestamp(3)' | 'boolean';

interface Table {
  name: string;
  columns: Array<[string, PgType]>;
}

const CREDENTIALS: Table = {
  name: 'ProviderCredential',
  columns: [
    ['id', 'text'], ['accountId', 'text'], ['providerKind', 'text'], ['host', 'text'], ['port', 'int'], ['securityMode', 'text'], ['authKind', 'text'],
    ['usernameMasked', 'text'], ['label', 'text'], ['labelLower', 'text'], ['secretVersion', 'int'], ['lastTestStatus', 'text'], ['lastTestId', 'text'],
    ['createdAt', 'timestamp(3)'], ['updatedAt', 'timestamp(3)'],
  ],
};
const SECRETS: Table = {
  name: 'CredentialSecret',
  columns: [['credentialId', 'text'], ['keyId', 'text'], ['secretVersion', 'int'], ['secretCiphertext', 'text'], ['usernameCiphertext', 'text'], ['updatedAt', 'timestamp(3)']],
};
const TESTS: Table = {
  name: 'ConnectivityTest',
  columns: [['id', 'text'], ['credentialId', 'text'], ['ok', 'boolean'], ['stage', 'text'], ['errorCode', 'text'], ['latencyMs', 'int'], ['testedAt', 'timestamp(3)'], ['result', 'text']],
};

interface Batch {
  credentials: Value[][];
  secrets: Value[][];
  tests: Value[][];
}

/** Writes batches in one transaction each, through the driver the server's adapter uses. */
interface BulkWriter {
  write(batch: Batch): Promise<void>;
  close(): Promise<void>;
}

const quoted = (table: Table) => `"${table.name}" (${table.columns.map(([name]) => `"${name}"`).join(', ')})`;

function sqliteWriter(filePath: string): BulkWriter {
  const file = new BetterSqlite3(filePath, { fileMustExist: true });
  file.pragma('busy_timeout = 5000');
  // Foreign keys stay enforced, so the seeding is checked: credentials first without their last
  // test, then the tests, then the link. The adapter's encoding: DateTime as ISO 8601 with
  // "+00:00", Boolean as 0/1.
  file.pragma('foreign_keys = ON');
  // Seeding only: a large page cache (the random ids make every index insert a random B-tree
  // write) and no fsync per transaction. The server's own connections are not affected.
  file.pragma('cache_size = -262144');
  file.pragma('synchronous = OFF');
  const encode = (value: Value) => (value instanceof Date ? value.toISOString().replace('Z', '+00:00') : typeof value === 'boolean' ? (value ? 1 : 0) : value);
  const statement = (table: Table) => file.prepare(`INSERT INTO ${quoted(table)} VALUES (${table.columns.map(() => '?').join(', ')})`);
  const [credentials, secrets, tests] = [statement(CREDENTIALS), statement(SECRETS), statement(TESTS)];
  const link = file.prepare('UPDATE "ProviderCredential" SET "lastTestId" = ? WHERE "id" = ?');
  const lastTestIndex = CREDENTIALS.columns.findIndex(([name]) => name === 'lastTestId');
  const writeAll = file.transaction((batch: Batch) => {
    for (const row of batch.credentials) credentials.run(row.map((value, index) => (index === lastTestIndex ? null : encode(value))));
    for (const row of batch.secrets) secrets.run(row.map(encode));
    for (const row of batch.tests) tests.run(row.map(encode));
    for (const row of batch.credentials) if (row[lastTestIndex] !== null) link.run(row[lastTestIndex], row[0]);
  });
  return {
    write: async (batch) => {
      writeAll(batch);
    },
    close: async () => {
      file.close();
    },
  };
}

async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Seeding only: commits do not wait for the WAL flush (this session only).
  await client.query('SET synchronous_commit = off');
  const insert = async (table: Table, rows: Value[][], override: Record<string, (row: Value[]) => Value> = {}) => {
    if (rows.length === 0) return;
    const columns = table.columns.map(([name, type], index) => ({ name, type, values: rows.map((row) => (override[name] ? override[name]!(row) : row[index]!)) }));
    const encode = (value: Value) => (value instanceof Date ? value.toISOString() : value);
    await client.query(
      `INSERT INTO ${quoted(table)} SELECT * FROM unnest(${columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(', ')})`,
      columns.map((column) => column.values.map(encode)),
    );
  };
  const lastTestIndex = CREDENTIALS.columns.findIndex(([name]) => name === 'lastTestId');
  return {
    async write(batch) {
      await client.query('BEGIN');
      try {
        // Foreign keys are enforced and not deferrable: credentials first without their last
        // test, then the tests, then the link.
        await insert(CREDENTIALS, batch.credentials, { lastTestId: () => null });
        await insert(SECRETS, batch.secrets);
        await insert(TESTS, batch.tests);
        const linked = batch.credentials.filter((row) => row[lastTestIndex] !== null);
        if (linked.length) {
          await client.query(
            `UPDATE "ProviderCredential" AS c SET "lastTestId" = l.tid FROM unnest($1::text[], $2::text[]) AS l(cid, tid) WHERE c."id" = l.cid`,
            [linked.map((row) => row[0]), linked.map((row) => row[lastTestIndex])],
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/**
 * Seeds `perAccount` credentials in every account, interleaved in time (credential j of every
 * account, then j + 1 …) so each account's rows span the whole time range. Returns the count.
 */
export async function seedCredentials(databaseUrl: string, accountIds: string[], options: SeedCredentialsOptions): Promise<number> {
  const vault = benchVault();
  const target = parseDatabaseUrl(databaseUrl);
  const writer = target.provider === 'sqlite' ? sqliteWriter(target.filePath) : await postgresWriter(target.url);
  const total = accountIds.length * options.perAccount;
  const newest = Date.now() - (options.newestAgeMs ?? 3_600_000);
  const oldest = newest - total * SPACING_MS;
  let written = 0;
  try {
    for (let start = 0; start < total; start += BULK_BATCH) {
      const batch: Batch = { credentials: [], secrets: [], tests: [] };
      for (let k = start; k < Math.min(total, start + BULK_BATCH); k++) {
        const accountId = accountIds[k % accountIds.length]!;
        const j = Math.floor(k / accountIds.length);
        const shape = credentialShape(j);
        const id = newId('credential');
        const createdAt = new Date(oldest + k * SPACING_MS);
        const username = `user${j}@${shape.host.replace(/^[a-z]+\d+\./, '')}`;
        const testId = shape.status === 'never' ? null : newId('connectivityTest');
        batch.credentials.push([id, accountId, shape.providerKind, shape.host, shape.port, shape.securityMode, shape.authKind, maskUsername(username), `Inbox ${j}`, `inbox ${j}`, 1, shape.status, testId, createdAt, createdAt]);
        const sealed = sealCredential(vault, id, 1, { username, secret: `app-password-${k}` });
        batch.secrets.push([id, sealed.keyId, sealed.secretVersion, sealed.secretCiphertext, sealed.usernameCiphertext, createdAt]);
        if (testId) {
          const ok = shape.status === 'succeeded';
          batch.tests.push([testId, id, ok, ok ? 'ready' : 'auth', ok ? null : 'AUTH_FAILED', 42, createdAt, testResult(shape.providerKind, ok, createdAt)]);
        }
      }
      await writer.write(batch);
      written += batch.credentials.length;
      options.onProgress?.(written);
    }
  } finally {
    await writer.close();
  }
  // PostgreSQL's autovacuum would analyze the new rows shortly after a bulk load; do it now.
  // SQLite gets no statistics: the server never runs ANALYZE, so its planner works without.
  if (target.provider === 'postgresql') {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    await client.query('ANALYZE').finally(() => client.end());
  }
  return written;
}
