// Benchmark 1 — the read path. One credential read by id, over:
//   graphql   POST /graphql { providerCredential(id) } with a bearer token (the real server)
//   rest      GET /api/provider-credentials/:id with a bearer token (the real server)
//   bare      a node:http server doing the same indexed lookup with the same Prisma client,
//             driver adapter and presenter, and nothing else (the floor)
// plus attribution targets measured in the same run:
//   bare+auth the floor plus the real AuthService.authenticate (session + user + memberships)
//   rest@warn, graphql@warn  the real server with LOG_LEVEL=warn (no per-request log line)
// Targets: rest ≥ 0.6 × bare, graphql ≥ 0.35 × bare (median requests/s over the rounds).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../src/project-root.js';
import { createBenchDatabase } from './lib/database.js';
import { expectJson, signUp } from './lib/http.js';
import { interleavedRounds, type LoadTarget, type TargetSummary } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { BENCH_KEY_RING, startChild, startRealServer, type ChildServer } from './lib/processes.js';
import { summariseProfile, type ProfileSummary } from './lib/profile.js';
import { RESULTS_DIR } from './lib/results.js';
import { addMemberships, createAccounts, seedCredentials } from './lib/seed.js';
import { printTable, round, verdict, type Verdict } from './lib/stats.js';

export const CREDENTIAL_QUERY = `query Credential($id: ID!) {
  providerCredential(id: $id) {
    id accountId providerKind host port securityMode authKind usernameMasked label secretVersion lastRotatedAt createdAt updatedAt
    lastTest { ok providerKind stage latencyMs testedAt error { code message hint } }
  }
}`;

const PROFILE_SECONDS = 6;

interface ProviderResult {
  provider: string;
  targets: TargetSummary[];
  ratios: Record<string, number>;
  /** Per-request cost derived from server CPU time (µs) — the database's own CPU is not in it on PostgreSQL. */
  attribution: Record<string, number | null>;
  profiles?: Record<string, ProfileSummary>;
}

async function profileRoute(
  options: BenchOptions,
  start: (nodeArgs: string[]) => Promise<ChildServer>,
  target: (server: ChildServer) => LoadTarget,
  name: string,
): Promise<ProfileSummary> {
  const dir = join(RESULTS_DIR, 'profiles', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = await start(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    await interleavedRounds([target(server)], { connections: options.connections, durationSeconds: PROFILE_SECONDS, rounds: 1, warmupSeconds: 2 });
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written to ${dir}`);
  return summariseProfile(join(dir, file), {
    'authenticate (sync part)': /auth\.service\.js .*authenticate|session-tokens/,
    'Prisma client + query compiler': /@prisma\/client|generated\/(sqlite|postgresql)|wasm:\/\//,
    'driver (better-sqlite3 / pg)': /node_modules\/(better-sqlite3|pg|pg-protocol|@prisma\/adapter-)/,
    'pino logging (incl. redaction)': /node_modules\/(pino|fast-redact|sonic-boom|@pinojs)/,
    'Apollo + graphql-js + type-graphql': /node_modules\/(@apollo|graphql|type-graphql|@as-integrations|graphql-query-complexity|@escape\.tech)/,
    'fastify': /node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio)/,
  });
}

export async function runReadPath(options: BenchOptions): Promise<{ results: ProviderResult[]; verdicts: Verdict[] }> {
  const results: ProviderResult[] = [];
  const verdicts: Verdict[] = [];
  for (const provider of options.providers) {
    const database = await createBenchDatabase(provider, options.pgAdminUrl);
    const servers: ChildServer[] = [];
    try {
      // Both real servers start before this process opens the database (see lib/database.ts).
      const main = await startRealServer(options.serverEntry, 'server', database.url);
      servers.push(main);
      const quiet = await startRealServer(options.serverEntry, 'server-warn', database.url, { LOG_LEVEL: 'warn' });
      servers.push(quiet);
      const db = await database.open();
      const user = await signUp(main.baseUrl, 'reader');
      // Realistic surroundings: the reader's account holds 100 credentials among 1,000 in 10
      // accounts, and the reader belongs to 3 accounts (memberships are loaded per request).
      const others = await createAccounts(db, 9);
      await addMemberships(db, user.userId, others.slice(0, 2));
      await seedCredentials(database.url, [user.accountId, ...others], { perAccount: 100 });
      const row = await db.prisma.providerCredential.findFirstOrThrow({ where: { accountId: user.accountId, lastTestStatus: 'failed' }, select: { id: true } });
      const id = row.id;

      const bareEnv = { DATABASE_URL: database.url, CREDENTIALS_ENCRYPTION_KEYS: BENCH_KEY_RING };
      const bare = await startChild({ name: 'bare', entry: projectPath('dist-bench/bench/bare-server.js'), env: bareEnv });
      servers.push(bare);
      const bareAuth = await startChild({ name: 'bare-auth', entry: projectPath('dist-bench/bench/bare-server.js'), env: { ...bareEnv, BARE_MODE: 'auth' } });
      servers.push(bareAuth);

      const bearer = { authorization: `Bearer ${user.token}` };
      const graphqlBody = JSON.stringify({ query: CREDENTIAL_QUERY, variables: { id } });
      const rest = (server: ChildServer, name: string): LoadTarget => ({ name, url: `${server.baseUrl}/api/provider-credentials/${id}`, method: 'GET', headers: bearer, server });
      const graphql = (server: ChildServer, name: string): LoadTarget => ({
        name,
        url: `${server.baseUrl}/graphql`,
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: graphqlBody,
        server,
      });

      // Every target must answer the same credential before it is timed.
      const viaRest = await expectJson(main.baseUrl, 'GET', `/api/provider-credentials/${id}`, 200, { token: user.token });
      const viaGraphql = await expectJson(main.baseUrl, 'POST', '/graphql', 200, { token: user.token, body: { query: CREDENTIAL_QUERY, variables: { id } } });
      const viaBare = await expectJson(bare.baseUrl, 'GET', `/c/${id}`, 200);
      const viaBareAuth = await expectJson(bareAuth.baseUrl, 'GET', `/c/${id}`, 200, { token: user.token });
      if (viaRest.id !== id || viaGraphql.data?.providerCredential?.id !== id || viaBare.id !== id || viaBareAuth.id !== id || !viaRest.last_test || !viaGraphql.data.providerCredential.lastTest) {
        throw new Error(`read path: a target answered something else: ${JSON.stringify({ viaRest, viaGraphql, viaBare }).slice(0, 800)}`);
      }

      process.stdout.write(`\n[read-path ${provider}] 6 targets, warm-up 2 s each, then ${options.rounds} interleaved rounds of ${options.durationSeconds} s, ${options.connections} connections\n`);
      const targets = await interleavedRounds(
        [
          { name: 'bare', url: `${bare.baseUrl}/c/${id}`, method: 'GET', server: bare },
          { name: 'bare+auth', url: `${bareAuth.baseUrl}/c/${id}`, method: 'GET', headers: bearer, server: bareAuth },
          rest(main, 'rest'),
          graphql(main, 'graphql'),
          rest(quiet, 'rest@warn'),
          graphql(quiet, 'graphql@warn'),
        ],
        {
          connections: options.connections,
          durationSeconds: options.durationSeconds,
          rounds: options.rounds,
          warmupSeconds: 2,
          onRound: (name, index, r) => process.stdout.write(`  round ${index} ${name.padEnd(13)} ${Math.round(r.rps)} req/s  p99 ${r.latencyP99Ms} ms  cpu ${r.cpuUsPerRequest} µs/req\n`),
        },
      );
      const by = (name: string) => targets.find((t) => t.name === name)!;
      const bareRps = by('bare').medianRps;
      const ratios = Object.fromEntries(targets.map((t) => [t.name, round(t.medianRps / bareRps, 3)]));
      const cpu = (name: string) => by(name).cpuUsPerRequest;
      const diff = (a: string, b: string) => (cpu(a) !== null && cpu(b) !== null ? round(cpu(a)! - cpu(b)!, 1) : null);
      const attribution = {
        'auth µs/req (bare+auth − bare)': diff('bare+auth', 'bare'),
        'logging µs/req (rest − rest@warn)': diff('rest', 'rest@warn'),
        'fastify+rest adapter µs/req (rest@warn − bare+auth)': diff('rest@warn', 'bare+auth'),
        'graphql over rest µs/req (graphql − rest)': diff('graphql', 'rest'),
        'auth share of rest cost (%)': cpu('rest') ? round((100 * (diff('bare+auth', 'bare') ?? 0)) / cpu('rest')!, 1) : null,
        'auth share of graphql cost (%)': cpu('graphql') ? round((100 * (diff('bare+auth', 'bare') ?? 0)) / cpu('graphql')!, 1) : null,
      };
      printTable(`Read path on ${provider}: one credential by id (median of ${options.rounds} rounds × ${options.durationSeconds} s, ${options.connections} connections)`, [
        ['target', 'req/s', 'min req/s', '× bare', 'p50 ms', 'p99 ms', 'server CPU µs/req'],
        ...targets.map((t) => [t.name, t.medianRps, t.minRps, ratios[t.name]!, t.latencyP50Ms, t.latencyP99Ms, t.cpuUsPerRequest ?? '-']),
      ]);
      printTable(`Where the time goes on ${provider} (server CPU per request)`, [['component', 'value'], ...Object.entries(attribution).map(([k, v]) => [k, v ?? '-'])]);

      const result: ProviderResult = { provider, targets, ratios, attribution };
      // Profile when asked, or when a target is missed on the first database (to say why).
      const missed = ratios.rest! < 0.6 || ratios.graphql! < 0.35;
      if (options.profile || (missed && provider === options.providers[0])) {
        // Profiled servers run alone on the database (see lib/database.ts for why on SQLite).
        for (const server of servers.splice(0)) await server.stop();
        await database.closeConnection();
        const real = (nodeArgs: string[]) => startRealServer(options.serverEntry, 'profiled', database.url, {}, nodeArgs);
        const floor = (nodeArgs: string[]) => startChild({ name: 'bare-profiled', entry: projectPath('dist-bench/bench/bare-server.js'), env: bareEnv, nodeArgs });
        result.profiles = {
          bare: await profileRoute(options, floor, (server) => ({ name: 'bare', url: `${server.baseUrl}/c/${id}`, method: 'GET' }), `${provider}-bare`),
          rest: await profileRoute(options, real, (server) => rest(server, 'rest'), `${provider}-rest`),
          graphql: await profileRoute(options, real, (server) => graphql(server, 'graphql'), `${provider}-graphql`),
        };
        for (const [route, summary] of Object.entries(result.profiles)) {
          printTable(`CPU profile of ${route} on ${provider}: self time by origin (${summary.busyMs} ms busy, ${summary.idleMs} ms idle)`, [
            ['origin', 'self ms', '% busy'],
            ...summary.groups.map((g) => [g.name, g.selfMs, g.percent]),
          ]);
          printTable(`CPU profile of ${route} on ${provider}: inclusive (synchronous stacks only)`, [['component', 'ms', '% busy'], ...summary.inclusive.map((g) => [g.name, g.selfMs, g.percent])]);
        }
      }
      results.push(result);
      verdicts.push(
        verdict(`read-path ${provider}`, 'REST ≥ 0.6 × bare', `${ratios.rest} × (${by('rest').medianRps} vs ${bareRps} req/s)`, ratios.rest! >= 0.6),
        verdict(`read-path ${provider}`, 'GraphQL ≥ 0.35 × bare', `${ratios.graphql} × (${by('graphql').medianRps} vs ${bareRps} req/s)`, ratios.graphql! >= 0.35),
      );
    } finally {
      for (const server of servers) await server.stop();
      await database.drop();
    }
  }
  return { results, verdicts };
}
