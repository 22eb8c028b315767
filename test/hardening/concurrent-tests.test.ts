// Many connectivity tests of one credential at once: each is answered 200 and recorded (on
// PostgreSQL they once deadlocked on the credential row and answered 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

describe.each(testProviders())('concurrent tests of one credential on %s', (provider) => {
  let t: TestApp;
  let admin: SignedUpUser;
  beforeAll(async () => {
    t = await startTestApp(provider, { CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1', TEST_RATE_LIMIT_PER_ACCOUNT: '1000/60' });
    admin = await signUpUser(t);
  });
  afterAll(async () => t?.close());

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
