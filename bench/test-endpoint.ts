// Benchmark 4 — the test endpoint.
// a) POST /api/provider-credentials/:id/test against the local Dovecot (IMAP over implicit TLS
//    on 127.0.0.2, its CA via CONNECTIVITY_EXTRA_CA_FILE, 127.0.0.0/8 allowed) vs a direct
//    imapflow connect + login + logout (verifyOnly, the same secure context) against the same
//    Dovecot, interleaved in the same run. Target: median ≤ 1.15 × direct.
// b) 200 tests at once against a server that accepts and never greets, with
//    CONNECTIVITY_TIMEOUT_MS=2000, CONNECTIVITY_MAX_IN_FLIGHT=200 and
//    TEST_RATE_LIMIT_PER_ACCOUNT=1000/60. Targets: every answer by deadline + 1 s, and the
//    server's peak RSS (VmHWM) < 300 MB.
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import { createTestCertificates } from '../test/support/mail-servers/certificates.js';
import { isDovecotInstalled, startDovecot, type DovecotServer } from '../test/support/mail-servers/dovecot.js';
import { startNeverGreetingServer, type SilentServer } from '../test/support/mail-servers/silent-servers.js';
import { createBenchDatabase, type BenchDatabase } from './lib/database.js';
import { expectJson, sendOnAgent, signUp } from './lib/http.js';
import type { BenchOptions } from './lib/options.js';
import { startRealServer, type ChildServer } from './lib/processes.js';
import { median, percentile, printTable, round, verdict, type Verdict } from './lib/stats.js';

const USER = { username: 'bench@example.test', password: 'bench-imap-password-1618' };
const ROUNDS = 30;
const WARMUP = 3;
const BURST = 200;
const BURST_TIMEOUT_MS = 2000;
const SLACK_MS = 1000;
const RSS_LIMIT_MB = 300;
const SAME_CREDENTIAL = 20;

async function directLogin(dovecot: DovecotServer, secureContext: tls.SecureContext): Promise<number> {
  const started = performance.now();
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapsPort,
    secure: true,
    auth: { user: USER.username, pass: USER.password },
    verifyOnly: true,
    logger: false,
    tls: { secureContext, minVersion: 'TLSv1.2', rejectUnauthorized: true },
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 5000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    client.close();
  }
  return performance.now() - started;
}

async function dovecotComparison(options: BenchOptions, provider: 'sqlite' | 'postgresql') {
  const certificates = createTestCertificates();
  const dir = mkdtempSync(join(tmpdir(), 'bench-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificates.caPem);
  let dovecot: DovecotServer | undefined;
  let server: ChildServer | undefined;
  let database: BenchDatabase | undefined;
  try {
    dovecot = await startDovecot({ users: { [USER.username]: USER.password }, certificates });
    database = await createBenchDatabase(provider, options.pgAdminUrl);
    server = await startRealServer(options.serverEntry, 'test-endpoint', database.url, {
      CONNECTIVITY_EXTRA_CA_FILE: caFile,
      CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.0/8',
      TEST_RATE_LIMIT_PER_ACCOUNT: '1000/60',
    });
    const user = await signUp(server.baseUrl, 'tester');
    const credential = await expectJson(server.baseUrl, 'POST', `/api/accounts/${user.accountId}/provider-credentials`, 201, {
      token: user.token,
      body: { provider_kind: 'imap', host: dovecot.host, port: dovecot.imapsPort, security_mode: 'ssl_tls', auth_kind: 'password', username: USER.username, secret: USER.password, label: 'Bench Dovecot' },
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const testRequest = { method: 'POST', path: `/api/provider-credentials/${credential.id}/test`, headers: { authorization: `Bearer ${user.token}` } };
    const probeMs: number[] = [];
    const viaApi = async (): Promise<number> => {
      const started = performance.now();
      const { status, body } = await sendOnAgent(agent, server!.port, testRequest);
      const elapsed = performance.now() - started;
      const result = JSON.parse(body);
      if (status !== 200 || result.ok !== true) throw new Error(`test endpoint: ${status} ${body.slice(0, 400)}`);
      // The probe's own duration as the server measured it: the rest is HTTP, auth and database.
      probeMs.push(result.latency_ms);
      return elapsed;
    };
    const secureContext = tls.createSecureContext({ minVersion: 'TLSv1.2', ca: [...tls.rootCertificates, certificates.caPem] });
    for (let i = 0; i < WARMUP; i++) {
      await directLogin(dovecot, secureContext);
      await viaApi();
    }
    const direct: number[] = [];
    const api: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2) {
        api.push(await viaApi());
        direct.push(await directLogin(dovecot, secureContext));
      } else {
        direct.push(await directLogin(dovecot, secureContext));
        api.push(await viaApi());
      }
    }
    agent.destroy();
    return {
      rounds: ROUNDS,
      direct: { medianMs: round(median(direct), 2), p99Ms: round(percentile(direct, 99), 2) },
      api: { medianMs: round(median(api), 2), p99Ms: round(percentile(api, 99), 2) },
      probeInsideServer: { medianMs: round(median(probeMs.slice(WARMUP)), 1) },
      ratio: round(median(api) / median(direct), 3),
      addedMs: round(median(api) - median(direct), 2),
    };
  } finally {
    await server?.stop();
    await database?.drop();
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function burst(options: BenchOptions, provider: 'sqlite' | 'postgresql') {
  let silent: SilentServer | undefined;
  let server: ChildServer | undefined;
  let database: BenchDatabase | undefined;
  try {
    silent = await startNeverGreetingServer('127.0.0.1');
    database = await createBenchDatabase(provider, options.pgAdminUrl);
    server = await startRealServer(options.serverEntry, 'test-burst', database.url, {
      CONNECTIVITY_TIMEOUT_MS: String(BURST_TIMEOUT_MS),
      CONNECTIVITY_MAX_IN_FLIGHT: String(BURST),
      TEST_RATE_LIMIT_PER_ACCOUNT: '1000/60',
      CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.0/8',
    });
    const user = await signUp(server.baseUrl, 'burst');
    // One credential per test, as when many users test at once (the same credential tested
    // concurrently is measured separately below).
    const credentials: string[] = [];
    for (let i = 0; i < BURST; i++) {
      const created = await expectJson(server.baseUrl, 'POST', `/api/accounts/${user.accountId}/provider-credentials`, 201, {
        token: user.token,
        body: { provider_kind: 'imap', host: silent.host, port: silent.port, security_mode: 'starttls', auth_kind: 'password', username: `${i}-${USER.username}`, secret: USER.password },
      });
      credentials.push(created.id);
    }
    const rssBeforeMiB = server.rssMiB();
    const agent = new http.Agent({ keepAlive: false, maxSockets: BURST });
    const requestFor = (id: string) => ({ method: 'POST', path: `/api/provider-credentials/${id}/test`, headers: { authorization: `Bearer ${user.token}` } });
    const started = performance.now();
    let peakRssMiB = server.peakRssMiB();
    const sampler = setInterval(() => {
      try {
        peakRssMiB = Math.max(peakRssMiB, server!.rssMiB());
      } catch {
        // the process is gone; the answers will say why
      }
    }, 50);
    const answers = await Promise.all(
      credentials.map(async (id) => {
        const sent = performance.now();
        const answer = await sendOnAgent(agent, server!.port, requestFor(id));
        const atMs = performance.now() - started;
        const probe = answer.status === 200 ? (JSON.parse(answer.body).latency_ms as number) : Number.NaN;
        return { ...answer, atMs, outsideProbeMs: performance.now() - sent - probe };
      }),
    );
    clearInterval(sampler);
    const vmHwmMiB = server.peakRssMiB();
    const outcomes = (list: Array<{ status: number; body: string }>) => {
      const codes = new Map<string, number>();
      for (const answer of list) {
        const body = answer.status === 200 ? JSON.parse(answer.body) : null;
        const code = answer.status === 200 ? `200 ${body.ok ? 'ok' : `${body.error?.code} at ${body.stage}`}` : `${answer.status} ${/"code":"(\w+)"/.exec(answer.body)?.[1] ?? answer.body.slice(0, 60)}`;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      return Object.fromEntries(codes);
    };
    const times = answers.map((answer) => answer.atMs);
    const late = times.filter((t) => t > BURST_TIMEOUT_MS + SLACK_MS).length;

    // The same credential tested by several callers at once (a double click, a retry storm).
    const sameStarted = performance.now();
    const same = await Promise.all(Array.from({ length: SAME_CREDENTIAL }, () => sendOnAgent(agent, server!.port, requestFor(credentials[0]!))));
    const sameMs = performance.now() - sameStarted;
    agent.destroy();
    // Every probe must have hung up on the silent server.
    let openAfter = silent.openSockets();
    for (let i = 0; i < 50 && openAfter > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      openAfter = silent.openSockets();
    }
    return {
      tests: BURST,
      timeoutMs: BURST_TIMEOUT_MS,
      firstAnswerMs: round(Math.min(...times), 0),
      medianAnswerMs: round(median(times), 0),
      lastAnswerMs: round(Math.max(...times), 0),
      outcomes: outcomes(answers),
      answeredAfterDeadlinePlusSlack: late,
      /** Each answer's time minus the probe's own duration: queueing, auth, database, HTTP. */
      outsideProbeMs: { median: round(median(answers.map((a) => a.outsideProbeMs)), 0), max: round(Math.max(...answers.map((a) => a.outsideProbeMs)), 0) },
      sameCredential: { tests: SAME_CREDENTIAL, outcomes: outcomes(same), ms: round(sameMs, 0) },
      accepted: silent.acceptedConnections(),
      openSocketsAfter: openAfter,
      rssBeforeMiB: round(rssBeforeMiB, 1),
      peakRssSampledMiB: round(peakRssMiB, 1),
      vmHwmMiB: round(vmHwmMiB, 1),
    };
  } finally {
    await server?.stop();
    await database?.drop();
    await silent?.stop();
  }
}

export async function runTestEndpoint(options: BenchOptions) {
  const verdicts: Verdict[] = [];
  const results = [];
  if (!isDovecotInstalled()) throw new Error('Dovecot is missing: npm run test:setup (or apt-get install -y --no-install-recommends dovecot-imapd)');
  for (const provider of options.providers) {
    process.stdout.write(`\n[test-endpoint ${provider}] ${ROUNDS} interleaved logins against Dovecot, then ${BURST} tests at once against a silent server\n`);
    const comparison = await dovecotComparison(options, provider);
    const flood = await burst(options, provider);
    printTable(`Test endpoint on ${provider}: IMAP over implicit TLS against Dovecot (${ROUNDS} interleaved rounds)`, [
      ['path', 'median ms', 'p99 ms'],
      ['direct imapflow connect+login+logout', comparison.direct.medianMs, comparison.direct.p99Ms],
      ['POST /api/provider-credentials/:id/test', comparison.api.medianMs, comparison.api.p99Ms],
      ['  of which the probe itself (its latency_ms)', comparison.probeInsideServer.medianMs, ''],
      ['ratio (API / direct)', comparison.ratio, ''],
    ]);
    printTable(`Test endpoint on ${provider}: ${BURST} tests at once, server never greets, deadline ${BURST_TIMEOUT_MS} ms`, [
      ['figure', 'value'],
      ['first / median / last answer (ms)', `${flood.firstAnswerMs} / ${flood.medianAnswerMs} / ${flood.lastAnswerMs}`],
      ['outcomes', Object.entries(flood.outcomes).map(([k, v]) => `${v} × ${k}`).join(', ')],
      [`answers later than ${BURST_TIMEOUT_MS + SLACK_MS} ms`, flood.answeredAfterDeadlinePlusSlack],
      ['time outside the probe per answer, median / max (ms)', `${flood.outsideProbeMs.median} / ${flood.outsideProbeMs.max}`],
      [`${SAME_CREDENTIAL} tests of ONE credential at once`, Object.entries(flood.sameCredential.outcomes).map(([k, v]) => `${v} × ${k}`).join(', ')],
      ['connections accepted by the silent server / still open after', `${flood.accepted} / ${flood.openSocketsAfter}`],
      ['server RSS before (MiB)', flood.rssBeforeMiB],
      ['server peak RSS, VmHWM (MiB)', flood.vmHwmMiB],
    ]);
    const allTimedOut = flood.outcomes[`200 TIMEOUT at greeting`] === BURST;
    results.push({ provider, dovecot: comparison, burst: flood });
    verdicts.push(
      verdict(`test-endpoint ${provider}`, 'median ≤ 1.15 × direct imapflow login', `${comparison.ratio} × (${comparison.api.medianMs} vs ${comparison.direct.medianMs} ms, +${comparison.addedMs} ms)`, comparison.ratio <= 1.15),
      verdict(`test-endpoint ${provider}`, `${BURST} silent tests all answered by ${BURST_TIMEOUT_MS} + ${SLACK_MS} ms`, `last answer at ${flood.lastAnswerMs} ms; ${allTimedOut ? `all ${BURST} TIMEOUT at greeting` : JSON.stringify(flood.outcomes)}`, allTimedOut && flood.lastAnswerMs <= BURST_TIMEOUT_MS + SLACK_MS),
      verdict(
        `test-endpoint ${provider}`,
        `${SAME_CREDENTIAL} tests of one credential at once (no target)`,
        Object.entries(flood.sameCredential.outcomes).map(([k, v]) => `${v} × ${k}`).join(', '),
        (flood.sameCredential.outcomes['200 TIMEOUT at greeting'] ?? 0) === SAME_CREDENTIAL,
      ),
      verdict(`test-endpoint ${provider}`, `peak RSS < ${RSS_LIMIT_MB} MB`, `VmHWM ${flood.vmHwmMiB} MiB = ${round(flood.vmHwmMiB * 1.048576, 0)} MB (${flood.rssBeforeMiB} MiB before the burst)`, flood.vmHwmMiB * 1.048576 < RSS_LIMIT_MB),
    );
  }
  return { results, verdicts };
}
