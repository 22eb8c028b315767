// Benchmark 3 — scale. N credentials (default 100,000; --scale=1000000) across 1,000 accounts,
// seeded in bulk, against a database of 1,000 credentials whose accounts have the same size
// (1,000 / (N / 1,000) accounts, at least one): the ratio then shows what the size of the
// table costs, and the per-account size is printed beside it. Three reads of one account, each
// through the real server (REST) and directly through the service's store (the database part):
//   first   GET  /api/accounts/:id/provider-credentials?limit=50
//   deep    the same with the cursor of the account's middle row
//   search  POST /api/accounts/:id/provider-credentials/search
//           { filter: { provider_kind: imap, last_test_status: failed }, limit: 50 }
// Target: median at N ≤ 1.5 × median at 1,000 rows, end to end (REST). The plan each database
// chose for the large table is recorded (EXPLAIN).
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Database } from '../src/db/client.js';
import { parseDatabaseUrl } from '../src/db/database-url.js';
import { pageCredentials, searchWhere } from '../src/modules/credentials/credential.store.js';
import { encodeCursor, toPageRequest } from '../src/shared/pagination.js';
import { createBenchDatabase, type BenchDatabase } from './lib/database.js';
import { expectJson, sampleLatency, signUp, type PreparedRequest } from './lib/http.js';
import type { BenchOptions } from './lib/options.js';
import { startRealServer, type ChildServer } from './lib/processes.js';
import { addMemberships, createAccounts, seedCredentials } from './lib/seed.js';
import { installSqlCounter } from './lib/sql-counter.js';
import { median, percentile, printTable, round, verdict, type Verdict } from './lib/stats.js';

const ACCOUNTS = 1000;
const BASELINE_ROWS = 1000;
const PAGE = 50;
const SEARCH_FILTER = { providerKind: 'imap', lastTestStatus: 'failed' } as const;
const HTTP_ROUND = { maxCount: 300, maxMs: 700 };
const DB_ROUND = { maxCount: 300, maxMs: 400 };

type QueryName = 'first' | 'deep' | 'search';
const QUERIES: QueryName[] = ['first', 'deep', 'search'];

interface Setup {
  label: string;
  rows: number;
  perAccount: number;
  database: BenchDatabase;
  db: Database;
  server: ChildServer;
  token: string;
  probeAccount: string;
  middleCursor: string;
  seedSeconds: number;
}

async function prepare(options: BenchOptions, provider: 'sqlite' | 'postgresql', label: string, accounts: number, perAccount: number): Promise<Setup> {
  const database = await createBenchDatabase(provider, options.pgAdminUrl);
  // The server starts before this process opens the database (lib/database.ts says why).
  const server = await startRealServer(options.serverEntry, `scale-${label}`, database.url);
  try {
    const db = await database.open();
    const started = Date.now();
    const accountIds = await createAccounts(db, accounts);
    let reported = 0;
    const rows = await seedCredentials(database.url, accountIds, {
      perAccount,
      onProgress: (done) => {
        if (done - reported >= 100_000) {
          reported = done;
          process.stdout.write(`  [${provider} ${label}] seeded ${done.toLocaleString('en')} credentials in ${Math.round((Date.now() - started) / 1000)} s\n`);
        }
      },
    });
    const seedSeconds = (Date.now() - started) / 1000;
    const reader = await signUp(server.baseUrl, `scale-${label}`);
    const probeAccount = accountIds[0]!;
    await addMemberships(db, reader.userId, [probeAccount]);
    const middle = await db.prisma.providerCredential.findFirstOrThrow({
      where: { accountId: probeAccount, deletedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: Math.floor(perAccount / 2),
      select: { id: true, createdAt: true },
    });
    return { label, rows, perAccount, database, db, server, token: reader.token, probeAccount, middleCursor: encodeCursor(middle), seedSeconds };
  } catch (error) {
    await server.stop();
    await database.drop();
    throw error;
  }
}

function httpRequest(setup: Setup, query: QueryName): PreparedRequest {
  const headers = { authorization: `Bearer ${setup.token}` };
  const list = `/api/accounts/${setup.probeAccount}/provider-credentials?limit=${PAGE}`;
  if (query === 'first') return { method: 'GET', path: list, headers };
  if (query === 'deep') return { method: 'GET', path: `${list}&cursor=${encodeURIComponent(setup.middleCursor)}`, headers };
  return {
    method: 'POST',
    path: `/api/accounts/${setup.probeAccount}/provider-credentials/search`,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ filter: { provider_kind: SEARCH_FILTER.providerKind, last_test_status: SEARCH_FILTER.lastTestStatus }, limit: PAGE }),
  };
}

/** The store call behind each route, as the service makes it. */
function storeCall(setup: Setup, query: QueryName) {
  const where = searchWhere(setup.probeAccount, query === 'search' ? SEARCH_FILTER : {});
  const page = toPageRequest(PAGE, query === 'deep' ? setup.middleCursor : null);
  return () => pageCredentials(setup.db, where, page);
}

async function sampleStore(call: () => Promise<unknown>, maxCount: number, maxMs: number): Promise<number[]> {
  const samples: number[] = [];
  const stopAt = performance.now() + maxMs;
  while (samples.length < maxCount && performance.now() < stopAt) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The plan of the credential SELECT of a query, on the database itself. */
async function explain(setup: Setup, query: QueryName): Promise<string[]> {
  const counter = installSqlCounter();
  counter.reset();
  await storeCall(setup, query)();
  const statement = counter.detailed().find((entry) => /FROM\s+[`"]?\w*[`"]?\.?[`"]ProviderCredential[`"]/i.test(entry.sql) && /ORDER BY/i.test(entry.sql));
  counter.reset();
  if (!statement) return ['(statement not captured)'];
  const target = parseDatabaseUrl(setup.database.url);
  if (target.provider === 'sqlite') {
    const file = new BetterSqlite3(target.filePath, { readonly: true, fileMustExist: true });
    try {
      const parameters = (statement.sql.match(/\?/g) ?? []).length;
      const rows = file.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...Array.from({ length: parameters }, () => null)) as Array<{ detail: string }>;
      return rows.map((row) => row.detail);
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const result = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.sql}`, statement.values);
    return result.rows.map((row: Record<string, string>) => row['QUERY PLAN']!);
  } finally {
    await client.end();
  }
}

interface Cell {
  medianMs: number;
  p99Ms: number;
  samples: number;
}

export async function runScale(options: BenchOptions) {
  const verdicts: Verdict[] = [];
  const results = [];
  const perAccount = Math.max(1, Math.round(options.scale / ACCOUNTS));
  const baselineAccounts = Math.max(1, Math.round(BASELINE_ROWS / perAccount));
  const baselinePer = Math.round(BASELINE_ROWS / baselineAccounts);
  for (const provider of options.providers) {
    process.stdout.write(`\n[scale ${provider}] seeding ${(ACCOUNTS * perAccount).toLocaleString('en')} credentials (${ACCOUNTS} accounts × ${perAccount}) and ${(baselineAccounts * baselinePer).toLocaleString('en')} (${baselineAccounts} × ${baselinePer})\n`);
    const setups: Setup[] = [];
    try {
      setups.push(await prepare(options, provider, 'baseline', baselineAccounts, baselinePer));
      setups.push(await prepare(options, provider, 'large', ACCOUNTS, perAccount));
      const [small, large] = setups as [Setup, Setup];
      process.stdout.write(`  seeded ${large.rows.toLocaleString('en')} in ${round(large.seedSeconds, 1)} s (${Math.round(large.rows / large.seedSeconds).toLocaleString('en')} credentials/s, secrets sealed by the vault)\n`);

      // Every route must answer a full page before it is timed.
      for (const setup of setups) {
        for (const query of QUERIES) {
          const request = httpRequest(setup, query);
          const body = await expectJson(setup.server.baseUrl, request.method, request.path, 200, { token: setup.token, body: request.body ? JSON.parse(request.body) : undefined });
          const expected = query === 'search' ? Math.min(PAGE, 1) : Math.min(PAGE, query === 'deep' ? setup.perAccount - Math.floor(setup.perAccount / 2) - 1 : setup.perAccount);
          if (!Array.isArray(body.data) || body.data.length < expected) throw new Error(`scale: ${query} on ${setup.label} returned ${body.data?.length} rows`);
        }
      }

      const http = new Map<string, number[]>();
      const store = new Map<string, number[]>();
      const key = (setup: Setup, query: QueryName) => `${setup.label}:${query}`;
      // Warm-up, then interleaved rounds: each query on each database, end to end and direct.
      for (const setup of setups) for (const query of QUERIES) {
        await sampleLatency(setup.server.port, httpRequest(setup, query), 200, 50, 2000);
        await sampleStore(storeCall(setup, query), 50, 1000);
      }
      for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
        for (const query of QUERIES) {
          for (const setup of roundIndex % 2 ? [...setups].reverse() : setups) {
            const k = key(setup, query);
            http.set(k, [...(http.get(k) ?? []), ...(await sampleLatency(setup.server.port, httpRequest(setup, query), 200, HTTP_ROUND.maxCount, HTTP_ROUND.maxMs))]);
            store.set(k, [...(store.get(k) ?? []), ...(await sampleStore(storeCall(setup, query), DB_ROUND.maxCount, DB_ROUND.maxMs))]);
          }
        }
      }
      const cell = (samples: number[]): Cell => ({ medianMs: round(median(samples), 3), p99Ms: round(percentile(samples, 99), 3), samples: samples.length });
      const table: Array<Array<string | number>> = [['query', 'REST 1k ms', 'REST N ms', 'REST p99 N', 'REST ×', 'DB 1k ms', 'DB N ms', 'DB p99 N', 'DB ×']];
      const perQuery: Record<string, unknown> = {};
      const plans: Record<string, string[]> = {};
      for (const query of QUERIES) {
        const h1 = cell(http.get(key(small, query))!);
        const hN = cell(http.get(key(large, query))!);
        const d1 = cell(store.get(key(small, query))!);
        const dN = cell(store.get(key(large, query))!);
        const restRatio = round(hN.medianMs / h1.medianMs, 2);
        const dbRatio = round(dN.medianMs / d1.medianMs, 2);
        table.push([query, h1.medianMs, hN.medianMs, hN.p99Ms, restRatio, d1.medianMs, dN.medianMs, dN.p99Ms, dbRatio]);
        plans[query] = await explain(large, query);
        perQuery[query] = { rest: { baseline: h1, large: hN, ratio: restRatio }, db: { baseline: d1, large: dN, ratio: dbRatio }, plan: plans[query] };
        verdicts.push(verdict(`scale ${provider} ${large.rows.toLocaleString('en')}`, `${query} page ≤ 1.5 × at 1,000 rows`, `${restRatio} × end to end (${h1.medianMs} → ${hN.medianMs} ms); database part ${dbRatio} ×`, restRatio <= 1.5));
      }
      printTable(`Scale on ${provider}: ${large.rows.toLocaleString('en')} credentials (${perAccount}/account) vs ${small.rows.toLocaleString('en')} (${small.perAccount}/account); median of ${options.rounds} rounds`, table);
      for (const query of QUERIES) process.stdout.write(`  plan (${query}, ${provider}, large): ${plans[query]!.slice(0, 4).map((line) => line.trim()).join(' | ')}\n`);
      results.push({
        provider,
        rows: { baseline: small.rows, large: large.rows },
        perAccount: { baseline: small.perAccount, large: large.perAccount },
        accounts: { baseline: baselineAccounts, large: ACCOUNTS },
        seed: { seconds: round(large.seedSeconds, 1), credentialsPerSecond: Math.round(large.rows / large.seedSeconds) },
        queries: perQuery,
      });
    } finally {
      for (const setup of setups) {
        await setup.server.stop();
        await setup.database.drop();
      }
    }
  }
  return { results, verdicts };
}
