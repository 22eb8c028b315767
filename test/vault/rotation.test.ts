// Concurrent rotations across two real server processes sharing one database: every call is
// 200 or a clean, retryable 409, and the version rises by exactly the number of successes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY_RING } from '../support/test-app.js';
import { createTestDatabase, testProviders, type TestDatabase } from '../support/test-database.js';
import { call } from '../support/http-call.js';
import { startServerPair, type ServerProcess } from '../support/server-process.js';

describe.each(testProviders())('concurrent rotations across two server processes on %s', (provider) => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    servers = await startServerPair(database.url, TEST_KEY_RING);
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) expect(await server.stop()).toBe(0);
    await database?.drop();
  });

  it('ends at version 1 + successes with one audit event per success', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const signUp = await call(a.baseUrl, 'POST', '/api/auth/sign-up', undefined, { email: 'rot@example.test', password: 'a long enough password', account_name: 'R' });
    const { token } = signUp.body;
    const accountId = signUp.body.account.id;
    const created = await call(b.baseUrl, 'POST', `/api/accounts/${accountId}/provider-credentials`, token, {
      provider_kind: 'imap', host: 'imap.example.com', port: 993, security_mode: 'ssl_tls', auth_kind: 'password', username: 'u@example.com', secret: 'initial',
    });
    expect(created.status).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(i % 2 ? a.baseUrl : b.baseUrl, 'POST', `/api/provider-credentials/${created.body.id}/rotate`, token, { secret: `secret-${i}` })),
    );
    const statuses = results.map((r) => r.status);
    const successes = statuses.filter((s) => s === 200).length;
    expect(statuses.every((s) => s === 200 || s === 409), JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 409).slice(0, 3))).toBe(true);
    expect(successes).toBeGreaterThan(0);
    for (const conflict of results.filter((r) => r.status === 409)) expect(conflict.body.error.code).toBe('CONFLICT');

    const after = await call(a.baseUrl, 'GET', `/api/provider-credentials/${created.body.id}`, token);
    expect(after.body.secret_version).toBe(1 + successes);
    const audit = await call(b.baseUrl, 'GET', `/api/accounts/${accountId}/audit-events?limit=200`, token);
    const rotations = audit.body.data.filter((e: { action: string }) => e.action === 'credential.rotated');
    expect(rotations).toHaveLength(successes);
    expect(rotations.map((e: { details: { to: number } }) => e.details.to).sort((x: number, y: number) => x - y)).toEqual(Array.from({ length: successes }, (_, i) => i + 2));
  }, 60_000);
});
