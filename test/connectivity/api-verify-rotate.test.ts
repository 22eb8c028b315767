// verify: true on create and rotate, updates that leave the secret alone, and a stored secret
// that no longer decrypts, over both interfaces against the real Dovecot and smtp-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser, type SignedUpUser } from '../support/users.js';
import {
  ALICE,
  apis,
  auditRows,
  connectivityEnv,
  endpoints,
  expectNoneContains,
  isFailure,
  startMailFixtures,
  Transcript,
  withoutServer,
  WRONG_PASSWORD,
  type Api,
  type Endpoint,
  type MailFixtures,
} from './api-support.js';

let fixtures: MailFixtures;
beforeAll(async () => {
  fixtures = await startMailFixtures();
});
afterAll(async () => {
  await fixtures?.stop();
});

describe.each(testProviders())('verify, rotate and unreadable secrets over the API on %s', (provider) => {
  let t: TestApp;
  const transcript = new Transcript();

  beforeAll(async () => {
    t = await startTestApp(provider, connectivityEnv(fixtures));
  });
  afterAll(async () => {
    await t?.close();
  });

  const prisma = () => t.app.services.db.prisma;
  const rowCounts = async () => ({
    credentials: await prisma().providerCredential.count(),
    secrets: await prisma().credentialSecret.count(),
    tests: await prisma().connectivityTest.count(),
    audit: await prisma().auditEvent.count(),
  });
  const secretRow = (id: string) => prisma().credentialSecret.findUniqueOrThrow({ where: { credentialId: id } });
  const testOk = async (api: Api, token: string, id: string) => {
    const tested = await api.test(token, id);
    if (isFailure(tested)) throw new Error(`test failed: ${JSON.stringify(tested)}`);
    return tested.result;
  };
  const created = async (api: Api, user: SignedUpUser, endpoint: Endpoint, secret: string, extra?: { verify?: boolean; label?: string }) => {
    const outcome = await api.create(user.token, user.accountId, endpoint, secret, extra);
    if (isFailure(outcome)) throw new Error(`create failed: ${JSON.stringify(outcome)}`);
    return outcome.id;
  };

  const INTERFACES = ['REST', 'GraphQL'] as const;
  const KINDS = ['imaps', 'smtpStarttls'] as const;
  const cases = INTERFACES.flatMap((api) => KINDS.map((kind) => ({ api, kind })));
  const pick = (name: string) => apis(t, transcript).find((candidate) => candidate.name === name)!;

  // Each case has its own account; counting rows is only exact while nothing else writes, so
  // these run one after another.
  describe.each(cases)('$api, $kind', ({ api: apiName, kind }) => {
    let user: SignedUpUser;
    beforeAll(async () => {
      user = await signUpUser(t, 'verify');
    });

    it('create with verify: a passing test stores the credential with last_test set', async () => {
      const api = pick(apiName);
      const before = await rowCounts();
      const id = await created(api, user, endpoints(fixtures)[kind], ALICE.password, { verify: true });
      const stored = await api.get(user.token, id);
      expect(stored?.lastTest).toMatchObject({ ok: true, stage: 'ready', error: null, providerKind: endpoints(fixtures)[kind].providerKind });
      expect(await rowCounts()).toEqual({ ...before, credentials: before.credentials + 1, secrets: before.secrets + 1, tests: before.tests + 1, audit: before.audit + 1 });
      expect(await api.searchByLastTest(user.token, user.accountId, 'succeeded')).toContain(id);
    });

    it('create with verify: a failing test is 422 VERIFICATION_FAILED with the result, and nothing is stored', async () => {
      const api = pick(apiName);
      const before = await rowCounts();
      const outcome = await api.create(user.token, user.accountId, endpoints(fixtures)[kind], WRONG_PASSWORD, { verify: true });
      expect(isFailure(outcome)).toBe(true);
      if (!isFailure(outcome)) return;
      expect(outcome.code).toBe('VERIFICATION_FAILED');
      if (apiName === 'REST') {
        expect(outcome.status).toBe(422);
        // REST details are the test result in snake_case.
        expect(outcome.details).toMatchObject({ ok: false, provider_kind: endpoints(fixtures)[kind].providerKind, stage: 'auth', error: { code: 'AUTH_FAILED' } });
        expect(outcome.details).toHaveProperty('latency_ms');
        expect(outcome.details).toHaveProperty('tested_at');
      } else {
        expect(outcome.details).toMatchObject({ ok: false, providerKind: endpoints(fixtures)[kind].providerKind, stage: 'auth', error: { code: 'AUTH_FAILED' } });
        expect(outcome.details).toHaveProperty('latencyMs');
      }
      expect(await rowCounts()).toEqual(before);
    });

    it('rotate with verify: a wrong new secret is 422 and changes nothing; the old secret still logs in', async () => {
      const api = pick(apiName);
      const id = await created(api, user, endpoints(fixtures)[kind], ALICE.password, { verify: true });
      const before = { credential: await api.get(user.token, id), secret: await secretRow(id), counts: await rowCounts() };

      const outcome = await api.rotate(user.token, id, WRONG_PASSWORD, true);
      expect(isFailure(outcome) && { status: outcome.status, code: outcome.code, details: outcome.details?.error?.code }).toEqual({
        status: apiName === 'REST' ? 422 : 200,
        code: 'VERIFICATION_FAILED',
        details: 'AUTH_FAILED',
      });

      const after = await api.get(user.token, id);
      expect(after?.secretVersion).toBe(1);
      expect(after?.raw).toEqual(before.credential?.raw);
      expect(await secretRow(id)).toEqual(before.secret);
      expect(await rowCounts()).toEqual(before.counts);
      expect(await testOk(api, user.token, id)).toMatchObject({ ok: true, stage: 'ready' });
    });

    it('rotate with verify: the right new secret raises the version and the next test logs in with it', async () => {
      const api = pick(apiName);
      // Stored with a wrong secret (no verify), so a passing test can only come from the new one.
      const id = await created(api, user, endpoints(fixtures)[kind], WRONG_PASSWORD);
      expect(await testOk(api, user.token, id)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
      const oldCiphertext = (await secretRow(id)).secretCiphertext;

      const rotated = await api.rotate(user.token, id, ALICE.password, true);
      expect(isFailure(rotated) ? rotated : rotated.secretVersion).toBe(2);
      expect((await secretRow(id)).secretCiphertext).not.toBe(oldCiphertext);
      expect(await api.latestAudit(user.token, user.accountId, 'credential.rotated', id)).toMatchObject({ from: 1, to: 2, verified: true });
      expect(await testOk(api, user.token, id)).toMatchObject({ ok: true, stage: 'ready' });
    });

    it('after an update of the label a test still logs in: the secret is untouched', async () => {
      const api = pick(apiName);
      const id = await created(api, user, endpoints(fixtures)[kind], ALICE.password, { verify: true, label: 'before' });
      const secretBefore = await secretRow(id);
      const lastTestBefore = (await api.get(user.token, id))?.lastTest;
      await api.updateLabel(user.token, id, 'after');
      const after = await api.get(user.token, id);
      expect(after?.label).toBe('after');
      expect(after?.lastTest).toEqual(lastTestBefore);
      expect(await secretRow(id)).toMatchObject({ secretCiphertext: secretBefore.secretCiphertext, secretVersion: 1 });
      expect(await testOk(api, user.token, id)).toMatchObject({ ok: true, stage: 'ready' });
    });

    it('a corrupted secret is SECRET_UNREADABLE on test, get still works, and rotate repairs it', async () => {
      const api = pick(apiName);
      const id = await created(api, user, endpoints(fixtures)[kind], ALICE.password, { verify: true });
      await corruptOneByte(t, id);

      const unreadable = await testOk(api, user.token, id);
      expect(unreadable).toMatchObject({ ok: false, error: { code: 'SECRET_UNREADABLE', hint: expect.stringMatching(/rotate/i) }, server: null });
      const stored = await api.get(user.token, id);
      expect(stored?.lastTest).toEqual(withoutServer(unreadable));
      expect(await api.latestAudit(user.token, user.accountId, 'credential.tested', id)).toMatchObject({ ok: false, code: 'SECRET_UNREADABLE' });
      expect(await api.searchByLastTest(user.token, user.accountId, 'failed')).toContain(id);

      // Only the secret is damaged: rotating the secret alone (the username is still readable) repairs it.
      const rotated = await api.rotate(user.token, id, ALICE.password, false);
      expect(isFailure(rotated) ? rotated : rotated.secretVersion).toBe(2);
      expect(await testOk(api, user.token, id)).toMatchObject({ ok: true, stage: 'ready' });
    });
  });

  it('no response, log line or audit row carried a secret or the username', async () => {
    const secrets = [ALICE.password, WRONG_PASSWORD, ALICE.username];
    expect(transcript.texts.length).toBeGreaterThan(50);
    expectNoneContains(transcript.texts, secrets);
    expectNoneContains(t.logs, secrets);
    expectNoneContains(await auditRows(t), secrets);
  });
});

/** Flips one byte in the middle of the stored secret's cipher text (base64url), as bit rot would. */
async function corruptOneByte(t: TestApp, credentialId: string): Promise<void> {
  const prisma = t.app.services.db.prisma;
  const row = await prisma.credentialSecret.findUniqueOrThrow({ where: { credentialId } });
  const bytes = Buffer.from(row.secretCiphertext, 'base64url');
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = bytes[middle]! ^ 0x01;
  const corrupted = bytes.toString('base64url');
  expect(corrupted).not.toBe(row.secretCiphertext);
  await prisma.credentialSecret.update({ where: { credentialId }, data: { secretCiphertext: corrupted } });
}
