// Testing stored credentials end to end over both interfaces, against the real Dovecot and
// smtp-server instances and the scripted loopback servers: every outcome the fixtures allow,
// each followed by the checks the contract makes (last_test, audit event, search filter), and
// at the end a search of every response, log line and audit row for the secret and username.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';
import {
  ALICE,
  apis,
  auditRows,
  connectivityEnv,
  DEADLINE_SLACK_MS,
  endpoints,
  expectNoneContains,
  isFailure,
  startMailFixtures,
  TIMEOUT_MS,
  Transcript,
  withoutServer,
  WRONG_PASSWORD,
  type Endpoint,
  type MailFixtures,
  type Result,
} from './api-support.js';

let fixtures: MailFixtures;
beforeAll(async () => {
  fixtures = await startMailFixtures();
});
afterAll(async () => {
  await fixtures?.stop();
});

interface Scenario {
  name: string;
  endpoint: () => Endpoint;
  secret?: string;
  ok: boolean;
  stage: string;
  code?: string;
}

const at = (providerKind: 'imap' | 'smtp', host: string, port: number, securityMode: 'ssl_tls' | 'starttls'): Endpoint => ({ providerKind, host, port, securityMode });

// Scenarios are built lazily: the fixtures' ports exist only once beforeAll has run.
const SCENARIOS: Scenario[] = [
  { name: 'IMAP over implicit TLS', endpoint: () => endpoints(fixtures).imaps, ok: true, stage: 'ready' },
  { name: 'IMAP with STARTTLS', endpoint: () => endpoints(fixtures).imapStarttls, ok: true, stage: 'ready' },
  { name: 'SMTP over implicit TLS', endpoint: () => endpoints(fixtures).smtps, ok: true, stage: 'ready' },
  { name: 'SMTP with STARTTLS', endpoint: () => endpoints(fixtures).smtpStarttls, ok: true, stage: 'ready' },
  { name: 'IMAP with a wrong password', endpoint: () => endpoints(fixtures).imaps, secret: WRONG_PASSWORD, ok: false, stage: 'auth', code: 'AUTH_FAILED' },
  { name: 'SMTP with a wrong password', endpoint: () => endpoints(fixtures).smtpStarttls, secret: WRONG_PASSWORD, ok: false, stage: 'auth', code: 'AUTH_FAILED' },
  { name: 'IMAP on a closed port', endpoint: () => at('imap', '127.0.0.1', fixtures.closedPort, 'ssl_tls'), ok: false, stage: 'connect', code: 'CONNECTION_REFUSED' },
  { name: 'SMTP on a closed port', endpoint: () => at('smtp', '127.0.0.1', fixtures.closedPort, 'starttls'), ok: false, stage: 'connect', code: 'CONNECTION_REFUSED' },
  { name: 'IMAP server that never greets', endpoint: () => at('imap', '127.0.0.1', fixtures.neverGreets.port, 'starttls'), ok: false, stage: 'greeting', code: 'TIMEOUT' },
  { name: 'SMTP server that never greets', endpoint: () => at('smtp', '127.0.0.1', fixtures.neverGreets.port, 'starttls'), ok: false, stage: 'greeting', code: 'TIMEOUT' },
  { name: 'IMAP server that stalls the TLS handshake', endpoint: () => at('imap', '127.0.0.1', fixtures.stallsTls.port, 'ssl_tls'), ok: false, stage: 'tls', code: 'TIMEOUT' },
  { name: 'SMTP server that stalls the TLS handshake', endpoint: () => at('smtp', '127.0.0.1', fixtures.stallsTls.port, 'ssl_tls'), ok: false, stage: 'tls', code: 'TIMEOUT' },
  { name: 'IMAP host name that does not resolve', endpoint: () => at('imap', 'imap.no-such-host.example.test', 993, 'ssl_tls'), ok: false, stage: 'dns', code: 'DNS_NOT_FOUND' },
  { name: 'SMTP host name that does not resolve', endpoint: () => at('smtp', 'smtp.no-such-host.example.test', 465, 'ssl_tls'), ok: false, stage: 'dns', code: 'DNS_NOT_FOUND' },
  { name: 'IMAP server without STARTTLS', endpoint: () => at('imap', '127.0.0.1', fixtures.imapNoStarttls.port, 'starttls'), ok: false, stage: 'tls', code: 'STARTTLS_UNAVAILABLE' },
  { name: 'SMTP server without STARTTLS', endpoint: () => at('smtp', fixtures.smtp.host, fixtures.smtp.noStarttlsPort, 'starttls'), ok: false, stage: 'tls', code: 'STARTTLS_UNAVAILABLE' },
  { name: 'IMAP server with a self-signed certificate', endpoint: () => at('imap', '127.0.0.1', fixtures.imapSelfSigned.port, 'ssl_tls'), ok: false, stage: 'tls', code: 'TLS_CERTIFICATE_INVALID' },
  { name: 'SMTP server with a self-signed certificate', endpoint: () => at('smtp', fixtures.smtp.host, fixtures.smtp.selfSignedPort, 'ssl_tls'), ok: false, stage: 'tls', code: 'TLS_CERTIFICATE_INVALID' },
];

describe.each(testProviders())('testing stored credentials over the API on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  const transcript = new Transcript();

  beforeAll(async () => {
    t = await startTestApp(provider, connectivityEnv(fixtures));
    admin = await signUpUser(t, 'tester');
  });
  afterAll(async () => {
    await t?.close();
  });

  const interfaces = ['REST', 'GraphQL'] as const;
  const cases = interfaces.flatMap((api) => SCENARIOS.map((scenario) => ({ api, scenario })));

  describe.concurrent('each outcome, then last_test, the audit event and the search filter', () => {
    it.each(cases)('$api: $scenario.name', async ({ api: apiName, scenario }) => {
      const api = apis(t, transcript).find((candidate) => candidate.name === apiName)!;
      const endpoint = scenario.endpoint();
      const created = await api.create(admin.token, admin.accountId, endpoint, scenario.secret ?? ALICE.password, { label: scenario.name });
      if (isFailure(created)) throw new Error(`create failed: ${JSON.stringify(created)}`);
      expect(await api.searchByLastTest(admin.token, admin.accountId, 'never')).toContain(created.id);

      const started = Date.now();
      const tested = await api.test(admin.token, created.id);
      const elapsed = Date.now() - started;
      if (isFailure(tested)) throw new Error(`test call failed: ${JSON.stringify(tested)}`);
      const { result, raw } = tested;

      expect(elapsed).toBeLessThan(TIMEOUT_MS + DEADLINE_SLACK_MS);
      expect({ ok: result.ok, stage: result.stage, code: result.error?.code }).toEqual({ ok: scenario.ok, stage: scenario.stage, code: scenario.code });
      expect(result.providerKind).toBe(endpoint.providerKind);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.latencyMs).toBeLessThan(TIMEOUT_MS + DEADLINE_SLACK_MS);
      expect(Date.parse(result.testedAt)).not.toBeNaN();
      if (scenario.ok) expectServerDetails(result, endpoint, apiName === 'REST' ? raw : undefined);
      else expect(result.error?.message).toBeTruthy();
      if (scenario.code === 'TIMEOUT' && scenario.stage === 'greeting') expect(result.error?.hint).toMatch(/ssl_tls/);

      // last_test is the same result without the server block.
      const stored = await api.get(admin.token, created.id);
      expect(stored?.lastTest).toEqual(withoutServer(result));
      if (apiName === 'REST') expect(stored?.raw.last_test).not.toHaveProperty('server');

      // One credential.tested event with the outcome.
      expect(await api.latestAudit(admin.token, admin.accountId, 'credential.tested', created.id)).toMatchObject({ ok: scenario.ok, code: scenario.code ?? null });

      // The search filter on the last test finds it under its new status only.
      const status = scenario.ok ? 'succeeded' : 'failed';
      expect(await api.searchByLastTest(admin.token, admin.accountId, status)).toContain(created.id);
      expect(await api.searchByLastTest(admin.token, admin.accountId, scenario.ok ? 'failed' : 'succeeded')).not.toContain(created.id);
      expect(await api.searchByLastTest(admin.token, admin.accountId, 'never')).not.toContain(created.id);
    });
  });

  describe('afterwards', () => {
    it('no response, log line or audit row carried the secret or the username', async () => {
      expect(transcript.texts.length).toBeGreaterThan(cases.length * 5);
      const secrets = [ALICE.password, WRONG_PASSWORD, ALICE.username];
      expectNoneContains(transcript.texts, secrets);
      expectNoneContains(t.logs, secrets);
      expectNoneContains(await auditRows(t), secrets);
      // The stored results are the same documents: they are checked too.
      const results = await t.app.services.db.prisma.connectivityTest.findMany();
      expect(results.length).toBe(cases.length);
      expectNoneContains(results.map((row) => JSON.stringify(row)), secrets);
    });
  });
});

/** A passing test shows the server: greeting, capabilities and the verified TLS session. */
function expectServerDetails(result: Result, endpoint: Endpoint, rest: any): void {
  const server = result.server!;
  expect(server.greeting).toBeTruthy();
  expect(server.capabilities.length).toBeGreaterThan(0);
  if (endpoint.providerKind === 'imap') expect(server.capabilities).toContain('IMAP4rev1');
  else expect(server.capabilities.some((capability) => /^AUTH\b/i.test(capability))).toBe(true);
  expect(server.tls).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/), authorized: true });
  expect(server.tls?.cipher).toBeTruthy();
  expect(server.tls?.certificate).toMatchObject({
    subject: 'localhost',
    issuer: 'Connectivity Test CA',
    fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
  });
  expect(Date.parse(server.tls!.certificate!.validTo!)).toBeGreaterThan(Date.now());
  if (rest) {
    // REST speaks snake_case all the way down.
    expect(rest).toMatchObject({ ok: true, provider_kind: endpoint.providerKind, stage: 'ready', error: null });
    expect(Object.keys(rest)).toEqual(expect.arrayContaining(['latency_ms', 'tested_at', 'server']));
    expect(Object.keys(rest.server.tls.certificate).sort()).toEqual(['fingerprint256', 'issuer', 'subject', 'valid_to']);
  }
}
