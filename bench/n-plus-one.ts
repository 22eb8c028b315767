// Benchmark 2 — N+1. A GraphQL page of accounts with their first 20 credentials each, and each
// credential's account:
//   me { memberships { account { providerCredentials(first: 20) { edges { node { id account { id } } } } } } }
// for users who belong to 1, 10 and 50 accounts (25 credentials in each account). The app runs
// in this process (createApp, the same wiring as the server) and every SQL statement its
// driver adapter sends is counted by wrapping the driver (lib/sql-counter.ts): src/ has no
// query hook. Target: ≤ 3 statements for the credentials part, whatever the number of accounts.
import { Writable } from 'node:stream';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createBenchDatabase } from './lib/database.js';
import { expectJson, signUp } from './lib/http.js';
import type { BenchOptions } from './lib/options.js';
import { BENCH_KEY_RING } from './lib/processes.js';
import { addMemberships, createAccounts, seedCredentials } from './lib/seed.js';
import { classifyStatement, installSqlCounter } from './lib/sql-counter.js';
import { median, percentile, printTable, round, verdict, type Verdict } from './lib/stats.js';

export const PAGE_QUERY = `query AccountsPage {
  me { memberships { account { id providerCredentials(first: 20) { edges { node { id account { id } } } } } } }
}`;

const ACCOUNT_COUNTS = [1, 10, 40, 50];
const PER_ACCOUNT = 25;
const TIMED_RUNS = 30;

interface Row {
  accounts: number;
  /** Set when the page could not be served (the error code and message). */
  error?: string;
  credentials: number;
  statements: number;
  byKind: Record<string, number>;
  medianMs: number;
  p99Ms: number;
}

export async function runNPlusOne(options: BenchOptions): Promise<{ results: Array<{ provider: string; rows: Row[]; sql: string[] }>; verdicts: Verdict[] }> {
  const counter = installSqlCounter();
  const results = [];
  const verdicts: Verdict[] = [];
  for (const provider of options.providers) {
    const database = await createBenchDatabase(provider, options.pgAdminUrl);
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: database.url, CREDENTIALS_ENCRYPTION_KEYS: BENCH_KEY_RING, ALLOW_SIGNUP: 'true', SIGN_UP_RATE_LIMIT_PER_IP: '10000/60', LOG_LEVEL: 'info' });
    // Request lines are dropped; errors are kept to explain a failure.
    const errors: string[] = [];
    const discard = new Writable({
      write: (chunk, _encoding, callback) => {
        if (/"level":[56]0/.test(String(chunk))) errors.push(String(chunk).slice(0, 2000));
        callback();
      },
    });
    const app = await createApp(config, createLogger({ level: config.logLevel, destination: discard }));
    try {
      await app.http.listen({ port: 0, host: '127.0.0.1' });
      const address = app.http.server.address();
      const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const db = app.services.db;
      const shared = await createAccounts(db, Math.max(...ACCOUNT_COUNTS) - 1);
      const users = [];
      for (const count of ACCOUNT_COUNTS) {
        const user = await signUp(baseUrl, `np1-${count}`);
        await addMemberships(db, user.userId, shared.slice(0, count - 1));
        users.push({ count, user });
      }
      await seedCredentials(database.url, [...shared, ...users.map((u) => u.user.accountId)], { perAccount: PER_ACCOUNT });

      const rows: Row[] = [];
      let sql: string[] = [];
      for (const { count, user } of users) {
        const call = () => expectJson(baseUrl, 'POST', '/graphql', 200, { token: user.token, body: { query: PAGE_QUERY } });
        counter.reset();
        errors.length = 0;
        const body = await call();
        const statements = counter.statements();
        const byKind: Record<string, number> = { auth: 0, accounts: 0, credentials: 0, transaction: 0, other: 0 };
        for (const statement of statements) byKind[classifyStatement(statement)]! += 1;
        if (body.errors) {
          // The page failed: record why (from the server's error log) and go on.
          const logged = errors.map((line) => /"code":"(\w+)"/.exec(line)?.[1] + ': ' + (/The query parameter limit[^"\\]*|"message":"([^"]{0,200})/.exec(line)?.[0] ?? '')).join('; ');
          rows.push({ accounts: count, error: `${body.errors[0]?.extensions?.code} ${logged}`.trim(), credentials: 0, statements: statements.length, byKind, medianMs: Number.NaN, p99Ms: Number.NaN });
          continue;
        }
        const memberships = body.data?.me?.memberships ?? [];
        const nodes = memberships.flatMap((m: any) => m.account.providerCredentials.edges.map((e: any) => ({ owner: m.account.id, node: e.node })));
        if (memberships.length !== count || nodes.length !== count * 20 || nodes.some((n: any) => n.node.account.id !== n.owner)) {
          throw new Error(`n-plus-one: unexpected page for ${count} accounts: ${JSON.stringify(body).slice(0, 600)}`);
        }
        const times: number[] = [];
        for (let run = 0; run < TIMED_RUNS; run++) {
          const started = performance.now();
          await call();
          times.push(performance.now() - started);
        }
        rows.push({ accounts: count, credentials: nodes.length, statements: statements.length, byKind, medianMs: round(median(times), 2), p99Ms: round(percentile(times, 99), 2) });
        sql = statements.map((s) => `[${classifyStatement(s)}] ${s.replace(/\s+/g, ' ').slice(0, 400)}`);
      }
      printTable(`N+1 on ${provider}: me → memberships → account → providerCredentials(first: 20) → node → account (SQL statements per request)`, [
        ['accounts', 'nodes', 'SQL total', 'auth', 'me/accounts', 'credentials', 'other', 'median ms', 'p99 ms'],
        ...rows.map((r) => [r.accounts, r.error ? 'FAILED' : r.credentials, r.statements, r.byKind.auth!, r.byKind.accounts!, r.byKind.credentials!, r.byKind.other! + r.byKind.transaction!, r.medianMs, r.p99Ms]),
      ]);
      for (const r of rows.filter((row) => row.error)) process.stdout.write(`  ${r.accounts} accounts FAILED: ${r.error}\n`);
      process.stdout.write(`Statements of the largest page served (${rows.filter((r) => !r.error).at(-1)?.accounts} accounts):\n${sql.map((s, i) => `  ${i + 1}. ${s.slice(0, 170)}${s.length > 170 ? '…' : ''}`).join('\n')}\n`);
      results.push({ provider, rows, sql });
      const largest = rows[rows.length - 1]!;
      const served = rows.filter((r) => !r.error);
      const counts = served.map((r) => `${r.byKind.credentials}`).join('/');
      verdicts.push(
        largest.error
          ? verdict(`n-plus-one ${provider}`, '≤ 3 SQL statements for the credentials (50 accounts × 20)', `the 50-account page FAILS: ${largest.error.slice(0, 120)}`, false, `credential statements for ${served.map((r) => r.accounts).join('/')} accounts: ${counts}`)
          : verdict(
              `n-plus-one ${provider}`,
              '≤ 3 SQL statements for the credentials (50 accounts × 20)',
              `${largest.byKind.credentials} credential statements, ${largest.statements} in all (credential statements for ${served.map((r) => r.accounts).join('/')} accounts: ${counts})`,
              largest.byKind.credentials! <= 3,
            ),
      );
    } finally {
      await app.close();
      await database.drop();
    }
  }
  return { results, verdicts };
}
