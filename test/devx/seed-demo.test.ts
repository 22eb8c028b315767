// `npm run seed:demo` (dist/src/cli/seed-demo.js): demo data through the services, idempotent,
// and a printed token that works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { DEMO_CREDENTIALS, DEMO_EMAIL, DEMO_PASSWORD } from '../../src/cli/demo-data.js';
import { runDist, scratchDatabase, type CommandResult, type ScratchDatabase } from './dist-command.js';

const SEED = 'dist/src/cli/seed-demo.js';

async function counts(app: App) {
  const prisma = app.services.db.prisma;
  return {
    users: await prisma.user.count(),
    accounts: await prisma.account.count(),
    memberships: await prisma.membership.count(),
    credentials: await prisma.providerCredential.count(),
    secrets: await prisma.credentialSecret.count(),
    auditEvents: await prisma.auditEvent.count(),
    sessions: await prisma.session.count(),
  };
}

const printedToken = (result: CommandResult) => /^\s*token:\s+(pct_\S+)$/m.exec(result.stdout)?.[1];

describe('seed:demo', () => {
  let db: ScratchDatabase;
  let first: CommandResult;
  let second: CommandResult;
  let app: App;

  beforeAll(async () => {
    db = await scratchDatabase();
    first = await runDist(SEED, [], db.env, db.dir);
    second = await runDist(SEED, [], db.env, db.dir);
    app = await db.openApp();
  });
  afterAll(async () => {
    await app?.close();
    await db?.remove();
  });

  it('creates the demo user, account and credentials on an empty database, then nothing more', async () => {
    expect(first).toMatchObject({ code: 0, stderr: expect.stringMatching(/applied 1 migration/) });
    expect(first.stdout).toContain('created: user, account, 6 credential(s)');
    expect(first.stdout).toContain(`email:     ${DEMO_EMAIL}`);
    expect(first.stdout).toContain(`password:  ${DEMO_PASSWORD}`);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already complete: nothing added');

    const after = await counts(app);
    // Each run signs in once (a fresh token, one session); nothing else is added the second time.
    expect(after).toEqual({ users: 1, accounts: 1, memberships: 1, credentials: DEMO_CREDENTIALS.length, secrets: DEMO_CREDENTIALS.length, auditEvents: 1 + DEMO_CREDENTIALS.length, sessions: 2 });
    const third = await runDist(SEED, [], db.env, db.dir);
    expect(third, third.stderr).toMatchObject({ code: 0 });
    expect(await counts(app)).toEqual({ ...after, sessions: 3 });
  });

  it('prints a bearer token that works on /api/me, for an admin of the demo account', async () => {
    for (const result of [first, second]) {
      const token = printedToken(result);
      expect(token).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
      const me = await app.http.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ email: DEMO_EMAIL, memberships: [{ role: 'admin', account: { name: 'Demo Company' } }] });
    }
    const signIn = await app.http.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: DEMO_EMAIL, password: DEMO_PASSWORD } });
    expect(signIn.statusCode).toBe(200);
  });

  it('stores every kind of credential through the service: fake hosts, secrets encrypted, audited', async () => {
    const token = printedToken(second)!;
    const accountId = /\((acc_[A-Za-z0-9_-]{21})\)/.exec(second.stdout)![1];
    const list = await app.http.inject({ method: 'GET', url: `/api/accounts/${accountId}/provider-credentials`, headers: { authorization: `Bearer ${token}` } });
    expect(list.statusCode).toBe(200);
    const items = list.json().data as Record<string, unknown>[];
    expect(items).toHaveLength(DEMO_CREDENTIALS.length);
    const combos = new Set(items.map((item) => `${item.provider_kind}/${item.security_mode}/${item.auth_kind}`));
    for (const combo of ['imap/ssl_tls/password', 'imap/starttls/password', 'smtp/ssl_tls/password', 'smtp/starttls/password', 'imap/ssl_tls/oauth2', 'smtp/starttls/oauth2']) expect(combos).toContain(combo);
    for (const item of items) expect(item.host).toMatch(/\.example\.(com|net|org)$/);

    const secrets = await app.services.db.prisma.credentialSecret.findMany();
    for (const row of secrets) {
      expect(row.keyId).toBe('t1');
      expect(row.secretCiphertext).not.toContain('demo');
    }
    const events = await app.services.db.prisma.auditEvent.findMany({ select: { action: true, actorUserId: true } });
    expect(events.filter((e) => e.action === 'credential.created')).toHaveLength(DEMO_CREDENTIALS.length);
    expect(events.filter((e) => e.action === 'member.added')).toEqual([{ action: 'member.added', actorUserId: 'operator' }]);
  });

  it('refuses to run in production', async () => {
    const refused = await runDist(SEED, [], { ...db.env, NODE_ENV: 'production', CREDENTIALS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}` }, db.dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refuses to run with NODE_ENV=production/);
    expect(refused.stdout).toBe('');
  });
});
