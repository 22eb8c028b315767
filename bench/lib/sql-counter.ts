// Observes every SQL statement the Prisma driver adapters send, in this process, by wrapping the
// drivers underneath them: better-sqlite3's Database#prepare (the SQLite adapter prepares each
// statement it runs) and pg's Client#query (the pg adapter and pool both end there). Nothing in
// src/ changes; the app under test is created in this process after install().
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export interface SqlCounter {
  /** Statements seen since the last reset (transaction control included). */
  statements(): string[];
  /** The same, with their bound values where the driver shows them (pg only). */
  detailed(): RecordedStatement[];
  reset(): void;
}

export interface RecordedStatement {
  sql: string;
  values?: unknown[];
}

let recording: RecordedStatement[] | null = null;
let installed = false;

export function installSqlCounter(): SqlCounter {
  if (!installed) {
    installed = true;
    const sqlite = BetterSqlite3.prototype as unknown as { prepare(sql: string): unknown };
    const prepare = sqlite.prepare;
    sqlite.prepare = function (this: unknown, sql: string) {
      recording?.push({ sql });
      return prepare.call(this, sql);
    };
    const client = pg.Client.prototype as unknown as { query(...args: unknown[]): unknown };
    const query = client.query;
    client.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
      const text = typeof first === 'string' ? first : first?.text;
      const values = typeof first === 'string' ? (Array.isArray(args[1]) ? (args[1] as unknown[]) : undefined) : first?.values;
      if (text) recording?.push({ sql: text, values });
      return query.apply(this, args);
    };
  }
  recording = [];
  return {
    statements: () => (recording ?? []).map((entry) => entry.sql),
    detailed: () => [...(recording ?? [])],
    reset: () => {
      recording = [];
    },
  };
}

/** Groups statements: transaction control, session/auth, accounts/memberships, credentials. */
export function classifyStatement(sql: string): 'transaction' | 'auth' | 'accounts' | 'credentials' | 'other' {
  const text = sql.trim();
  if (/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET TRANSACTION)/i.test(text)) return 'transaction';
  // Prisma quotes with "…" on PostgreSQL and `…` on SQLite, and prefixes the schema (public/main).
  const table = /\b(?:FROM|INSERT INTO|UPDATE)\s+(?:[`"](?:main|public)[`"]\.)?[`"](\w+)[`"]/i.exec(text)?.[1] ?? '';
  const from = table;
  if (/^(Session|User)$/.test(from)) return 'auth';
  if (/^(Account|Membership)$/.test(from)) return 'accounts';
  if (/^(ProviderCredential|ConnectivityTest|CredentialSecret)$/.test(from)) return 'credentials';
  return 'other';
}
