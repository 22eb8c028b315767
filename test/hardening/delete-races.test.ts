// A delete that commits between an operation's load of the credential and its read of the
// secret: the operation answers NOT_FOUND (the two-process suite met this at random as a 400
// asking for a username; a test answered 200 SECRET_UNREADABLE and was recorded). SQLite only:
// the delete is made from a second connection at the exact moment the secret is about to be
// read, which needs a synchronous driver.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';

describe('a delete committed just before the secret is read', () => {
  let t: TestApp;
  let admin: SignedUpUser;
  let other: BetterSqlite3.Database;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1' });
    admin = await signUpUser(t);
    const target = parseDatabaseUrl(t.databaseUrl);
    if (target.provider !== 'sqlite') throw new Error('expected SQLite');
    other = new BetterSqlite3(target.filePath, { timeout: 5000 });
  });
  afterAll(async () => {
    other?.close();
    await t?.close();
  });

  /** Deletes `id` (tombstone and secret, as the service does) when its secret is next read. */
  function deleteWhenSecretIsRead(id: string): () => void {
    let done = false;
    return t.app.services.db.observeQueries(({ sql, args }) => {
      if (done || !/[`"]CredentialSecret[`"]/.test(sql) || !/^\s*SELECT/i.test(sql) || !args.includes(id)) return;
      done = true;
      other.prepare('UPDATE "ProviderCredential" SET "deletedAt" = ? WHERE "id" = ?').run(new Date().toISOString().replace('Z', '+00:00'), id);
      other.prepare('DELETE FROM "CredentialSecret" WHERE "credentialId" = ?').run(id);
    });
  }

  async function createCredential(): Promise<string> {
    const created = await t.rest('POST', `/api/accounts/${admin.accountId}/provider-credentials`, {
      token: admin.token,
      body: { provider_kind: 'imap', host: '127.0.0.1', port: 9, security_mode: 'ssl_tls', auth_kind: 'password', username: 'u@example.com', secret: 'racing' },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  it.each([
    ['rotate', (id: string) => t.rest('POST', `/api/provider-credentials/${id}/rotate`, { token: admin.token, body: { secret: 'new secret' } })],
    ['test', (id: string) => t.rest('POST', `/api/provider-credentials/${id}/test`, { token: admin.token })],
  ])('%s answers 404 NOT_FOUND and records nothing', async (_name, operate) => {
    const id = await createCredential();
    const stop = deleteWhenSecretIsRead(id);
    try {
      const response = await operate(id);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    } finally {
      stop();
    }
    const { prisma } = t.app.services.db;
    const actions = (await prisma.auditEvent.findMany({ where: { targetId: id }, select: { action: true } })).map((event) => event.action);
    expect(actions).toEqual(['credential.created']);
    expect(await prisma.connectivityTest.count({ where: { credentialId: id } })).toBe(0);
  });
});
