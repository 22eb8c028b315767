// Re-keying 10,000 secrets from key A to key B while rotations run: afterwards every secret
// decrypts with B alone, so A can leave the ring.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/project-root.js';
import { generateKeyEntry, parseKeyRing } from '../../src/modules/vault/key-ring.js';
import { sealCredential } from '../../src/modules/vault/credential-secrets.js';
import { checkKeyUsage, rekeySecrets } from '../../src/modules/vault/rekey.js';
import { Vault } from '../../src/modules/vault/vault.js';
import { newId } from '../../src/shared/ids.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, testProviders, type TestDatabase } from '../support/test-database.js';
import { signUpUser } from '../support/users.js';

const SECRETS = 10_000;
const keyA = generateKeyEntry('a');
const keyB = generateKeyEntry('b');

function runRekeyCli(databaseUrl: string, keys: string, args: string[]) {
  return spawnSync(process.execPath, [projectPath('dist/src/modules/vault/rekey.cli.js'), ...args], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH!, NODE_ENV: 'test', DATABASE_URL: databaseUrl, CREDENTIALS_ENCRYPTION_KEYS: keys },
    encoding: 'utf8',
  });
}

describe.each(testProviders())('re-keying on %s', (provider) => {
  let database: TestDatabase;
  let t: TestApp;
  let token: string;
  let ids: string[];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    // Seed 10,000 credentials encrypted under key A (bulk inserts: the API path is tested elsewhere).
    const seeding = await startTestApp(provider, { DATABASE_URL: database.url, CREDENTIALS_ENCRYPTION_KEYS: keyA });
    const user = await signUpUser(seeding);
    token = user.token;
    const vaultA = new Vault(parseKeyRing(keyA));
    ids = Array.from({ length: SECRETS }, () => newId('credential'));
    const now = Date.now();
    for (let start = 0; start < SECRETS; start += 1000) {
      const batch = ids.slice(start, start + 1000);
      await seeding.app.services.db.prisma.providerCredential.createMany({
        data: batch.map((id, i) => ({
          id, accountId: user.accountId, providerKind: 'imap', host: `imap${start + i}.example.com`, port: 993, securityMode: 'ssl_tls', authKind: 'password',
          usernameMasked: 'u***@example.com', secretVersion: 1, createdAt: new Date(now - start - i),
        })),
      });
      await seeding.app.services.db.prisma.credentialSecret.createMany({
        data: batch.map((id, i) => ({ credentialId: id, ...sealCredential(vaultA, id, 1, { username: `user${start + i}@example.com`, secret: `secret-${start + i}` }) })),
      });
    }
    await seeding.close().catch(() => {});
    t = await startTestApp(provider, { DATABASE_URL: database.url, CREDENTIALS_ENCRYPTION_KEYS: `${keyB},${keyA}`, TEST_RATE_LIMIT_PER_ACCOUNT: '1000/60' });
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
    await database?.drop();
  });

  it('reports per key id with --check, re-encrypts everything under B while rotations run, and B alone then reads every secret', async () => {
    const before = runRekeyCli(database.url, `${keyB},${keyA}`, ['--check']);
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toMatch(new RegExp(`^a\\t${SECRETS} secret\\(s\\)\\tin ring$`, 'm'));
    expect(before.stdout).toMatch(/unreadable with the current ring: 0/);

    const progress: number[] = [];
    const rotated = ids.filter((_, i) => i % 500 === 0);
    const [report, rotations] = await Promise.all([
      rekeySecrets(t.app.services.db, t.app.services.vault, { batchSize: 500, onProgress: ({ done }) => progress.push(done) }),
      Promise.all(rotated.map((id) => t.rest('POST', `/api/provider-credentials/${id}/rotate`, { token, body: { secret: `rotated-${id}` } }))),
    ]);
    expect(rotations.map((r) => r.status)).toEqual(rotated.map(() => 200));
    expect(report.unreadable).toBe(0);
    // A rotation that reaches a row first leaves it already under B: the re-key never sees it.
    expect(report.rekeyed + report.skipped).toBeGreaterThanOrEqual(SECRETS - rotated.length);
    expect(report.rekeyed + report.skipped).toBeLessThanOrEqual(SECRETS);
    expect(progress.at(-1)).toBe(report.rekeyed + report.skipped);

    const usage = await checkKeyUsage(t.app.services.db, new Vault(parseKeyRing(keyB)));
    expect(usage).toEqual({ keys: [{ keyId: 'b', secrets: SECRETS, inRing: true }], unreadable: 0 });

    const after = runRekeyCli(database.url, keyB, ['--check']);
    expect(after.stdout).toMatch(new RegExp(`^b\\t${SECRETS} secret\\(s\\)\\tactive$`, 'm'));
    expect(after.status).toBe(0);

    // Rotated secrets hold their new value, under B, at their new version.
    const rotatedRow = await t.app.services.db.prisma.credentialSecret.findUnique({ where: { credentialId: rotated[0]! } });
    expect(rotatedRow).toMatchObject({ keyId: 'b', secretVersion: 2 });
  }, 120_000);

  it('is resumable and reports unreadable secrets instead of failing', async () => {
    const again = runRekeyCli(database.url, keyB, []);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/re-encrypted 0 secret\(s\) under key b/);

    const wrongRing = runRekeyCli(database.url, generateKeyEntry('c'), ['--check']);
    expect(wrongRing.status).toBe(2);
    expect(wrongRing.stdout).toMatch(/^b\t\d+ secret\(s\)\tNOT IN RING$/m);
    expect(wrongRing.stdout).toMatch(new RegExp(`unreadable with the current ring: ${SECRETS}`));
  }, 60_000);
});
