// Connectivity tests that overlap: many of one credential at once are each answered 200 and
// recorded (on PostgreSQL they once deadlocked on the credential row and answered 500), and a
// test that ends after a rotation is kept as history but never becomes the last test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservedQuery } from '../../src/db/client.js';
import { startNeverGreetingServer, type SilentServer } from '../support/mail-servers/silent-servers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

describe.each(testProviders())('concurrent tests of one credential on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  let silent: SilentServer;
  beforeAll(async () => {
    silent = await startNeverGreetingServer();
    t = await startTestApp(provider, { CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1', TEST_RATE_LIMIT_PER_ACCOUNT: '1000/60', CONNECTIVITY_TIMEOUT_MS: '700' });
    admin = await signUpUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await silent?.stop();
  });

  it('costs three reads and one write transaction, without reading the last test', async () => {
    const created = await t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, {
      token: admin.token,
      body: { provider_kind: 'imap', host: '127.0.0.1', port: 9, security_mode: 'ssl_tls', auth_kind: 'password', username: 'u@example.com', secret: 'counted' },
    });
    for (let round = 0; round < 2; round += 1) {
      const statements: ObservedQuery[] = [];
      const stop = t.app.services.db.observeQueries((query) => statements.push(query));
      try {
        expect((await t.rest('POST', `/api/provider-credentials/${created.body.id}/test`, { token: admin.token })).status).toBe(200);
      } finally {
        stop();
      }
      // Session, credential, secret; then result, pointer and audit event in one transaction
      // (PostgreSQL first locks the credential row).
      const reads = statements.filter((query) => !query.inTransaction);
      expect(reads.map((query) => /Session|ProviderCredential|CredentialSecret/.exec(query.sql)?.[0])).toEqual(['Session', 'ProviderCredential', 'CredentialSecret']);
      const writes = statements.filter((query) => query.inTransaction && /^\s*(INSERT|UPDATE)/i.test(query.sql));
      expect(writes).toHaveLength(3);
    }
  });

  it('records a test that ends after a rotation, but does not make it the last test', async () => {
    const created = await t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, {
      token: admin.token,
      body: { provider_kind: 'imap', host: '127.0.0.1', port: silent.port, security_mode: 'ssl_tls', auth_kind: 'password', username: 'u@example.com', secret: 'before-rotation' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const testing = t.rest('POST', `/api/provider-credentials/${id}/test`, { token: admin.token });
    // The silent server holds the probe until its deadline; rotate once it has connected.
    for (let waited = 0; silent.acceptedConnections() === 0 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    const rotated = await t.rest('POST', `/api/provider-credentials/${id}/rotate`, { token: admin.token, body: { secret: 'after-rotation', verify: false } });
    expect(rotated.status).toBe(200);
    const tested = await testing;
    expect(tested.status).toBe(200);
    expect(tested.body.error?.code).toBe('TIMEOUT');

    const after = await t.rest('GET', `/api/provider-credentials/${id}`, { token: admin.token });
    expect(after.body).toMatchObject({ secret_version: 2, last_test: null });
    const { prisma } = t.app.services.db;
    expect(await prisma.providerCredential.findUnique({ where: { id }, select: { lastTestStatus: true, lastTestId: true } })).toEqual({ lastTestStatus: 'never', lastTestId: null });
    expect(await prisma.auditEvent.count({ where: { action: 'credential.tested', targetId: id } })).toBe(1);
    expect(await prisma.connectivityTest.count({ where: { credentialId: id } })).toBe(1);
  });

  it('answers every one of 20 concurrent tests with 200 and one audit event each', async () => {
    // Port 9 on loopback: nobody listens, so each test ends at once with CONNECTION_REFUSED.
    const created = await t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, {
      token: admin.token,
      body: { provider_kind: 'imap', host: '127.0.0.1', port: 9, security_mode: 'ssl_tls', auth_kind: 'password', username: 'u@example.com', secret: 'concurrent' },
    });
    expect(created.status).toBe(201);
    const results = await Promise.all(Array.from({ length: 20 }, () => t.rest('POST', `/api/provider-credentials/${created.body.id}/test`, { token: admin.token })));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.every((r) => r.body.error?.code === 'CONNECTION_REFUSED')).toBe(true);
    const events = await t.app.services.db.prisma.auditEvent.count({ where: { action: 'credential.tested', targetId: created.body.id } });
    expect(events).toBe(20);
    const after = await t.rest('GET', `/api/provider-credentials/${created.body.id}`, { token: admin.token });
    expect(after.body.last_test).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
  });
});
