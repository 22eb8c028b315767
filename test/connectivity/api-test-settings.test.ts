// What the operator's settings do to a test over the API: without the extra CA the loopback
// servers' certificates are untrusted, without the allow-list loopback is refused, and the
// per-account rate limit and the in-flight cap answer 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';
import { signUpUser } from '../support/users.js';
import {
  ALICE,
  apis,
  connectivityEnv,
  DEADLINE_SLACK_MS,
  endpoints,
  expectNoneContains,
  isFailure,
  startMailFixtures,
  TIMEOUT_MS,
  Transcript,
  withoutServer,
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

/** Creates a credential in a new account and tests it once. */
async function createAndTest(t: TestApp, api: Api, endpoint: Endpoint) {
  const user = await signUpUser(t, 'settings');
  const created = await api.create(user.token, user.accountId, endpoint, ALICE.password);
  if (isFailure(created)) throw new Error(`create failed: ${JSON.stringify(created)}`);
  const started = Date.now();
  const tested = await api.test(user.token, created.id);
  if (isFailure(tested)) throw new Error(`test failed: ${JSON.stringify(tested)}`);
  expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + DEADLINE_SLACK_MS);
  expect((await api.get(user.token, created.id))?.lastTest).toEqual(withoutServer(tested.result));
  expect(await api.latestAudit(user.token, user.accountId, 'credential.tested', created.id)).toMatchObject({ ok: tested.result.ok, code: tested.result.error?.code ?? null });
  return tested.result;
}

describe.each(testProviders())('connectivity settings over the API on %s', (provider) => {
  const INTERFACES = ['REST', 'GraphQL'] as const;
  const KINDS = ['imaps', 'smtps'] as const;
  const cases = INTERFACES.flatMap((api) => KINDS.map((kind) => ({ api, kind })));

  describe('an app started without CONNECTIVITY_EXTRA_CA_FILE', () => {
    let t: TestApp;
    const transcript = new Transcript();
    beforeAll(async () => {
      const { CONNECTIVITY_EXTRA_CA_FILE: _ca, ...env } = connectivityEnv(fixtures);
      t = await startTestApp(provider, env);
    });
    afterAll(async () => {
      await t?.close();
    });

    it.concurrent.each(cases)('$api: $kind is TLS_CERTIFICATE_INVALID with a hint about the extra CA', async ({ api, kind }) => {
      const result = await createAndTest(t, apis(t, transcript).find((candidate) => candidate.name === api)!, endpoints(fixtures)[kind]);
      expect(result).toMatchObject({ ok: false, stage: 'tls', error: { code: 'TLS_CERTIFICATE_INVALID', hint: expect.stringContaining('CONNECTIVITY_EXTRA_CA_FILE') } });
    });
  });

  describe('an app started without CONNECTIVITY_ALLOWED_HOSTS', () => {
    let t: TestApp;
    const transcript = new Transcript();
    beforeAll(async () => {
      const { CONNECTIVITY_ALLOWED_HOSTS: _allowed, ...env } = connectivityEnv(fixtures);
      t = await startTestApp(provider, env);
    });
    afterAll(async () => {
      await t?.close();
    });

    it.concurrent.each(cases)('$api: $kind on loopback is HOST_NOT_ALLOWED before anything is dialled', async ({ api, kind }) => {
      const result = await createAndTest(t, apis(t, transcript).find((candidate) => candidate.name === api)!, endpoints(fixtures)[kind]);
      expect(result).toMatchObject({ ok: false, stage: 'dns', error: { code: 'HOST_NOT_ALLOWED', hint: expect.stringContaining('CONNECTIVITY_ALLOWED_HOSTS') }, server: null });
    });
  });

  describe('an app with TEST_RATE_LIMIT_PER_ACCOUNT=2/60 and CONNECTIVITY_MAX_IN_FLIGHT=2', () => {
    let t: TestApp;
    const transcript = new Transcript();
    beforeAll(async () => {
      t = await startTestApp(provider, connectivityEnv(fixtures, { TEST_RATE_LIMIT_PER_ACCOUNT: '2/60', CONNECTIVITY_MAX_IN_FLIGHT: '2' }));
    });
    afterAll(async () => {
      await t?.close();
    });

    it.each(INTERFACES)('%s: the third test of an account within a minute is RATE_LIMITED; other accounts are not affected', async (apiName) => {
      const api = apis(t, transcript).find((candidate) => candidate.name === apiName)!;
      const user = await signUpUser(t, 'limited');
      const created = await api.create(user.token, user.accountId, endpoints(fixtures).imaps, ALICE.password);
      if (isFailure(created)) throw new Error('create failed');
      for (let attempt = 0; attempt < 2; attempt++) {
        const tested = await api.test(user.token, created.id);
        expect(isFailure(tested) ? tested : tested.result.ok).toBe(true);
      }
      const third = await api.test(user.token, created.id);
      expect(isFailure(third)).toBe(true);
      if (!isFailure(third)) return;
      expect(third.code).toBe('RATE_LIMITED');
      if (apiName === 'REST') {
        expect(third.status).toBe(429);
        expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(third.retryAfter)).toBeLessThanOrEqual(60);
      }
      // The refused test left no trace: two tested events, no third.
      expect(await api.countAudit(user.token, user.accountId, created.id)).toBe(1 + 2);

      const other = await signUpUser(t, 'unaffected');
      const otherCredential = await api.create(other.token, other.accountId, endpoints(fixtures).smtps, ALICE.password);
      if (isFailure(otherCredential)) throw new Error('create failed');
      const otherTest = await api.test(other.token, otherCredential.id);
      expect(isFailure(otherTest) ? otherTest : otherTest.result.ok).toBe(true);
    });

    it('5 concurrent tests against a server that never greets: 2 run to TIMEOUT, 3 are refused with 429', async () => {
      const [rest] = apis(t, transcript);
      // One account per test, so that only the in-flight cap can refuse them.
      const users = await Promise.all(Array.from({ length: 5 }, () => signUpUser(t, 'inflight')));
      const ids = await Promise.all(
        users.map(async (user) => {
          const created = await rest!.create(user.token, user.accountId, { providerKind: 'imap', host: '127.0.0.1', port: fixtures.neverGreets.port, securityMode: 'starttls' }, ALICE.password);
          if (isFailure(created)) throw new Error('create failed');
          return created.id;
        }),
      );
      const started = Date.now();
      const outcomes = await Promise.all(ids.map((id, index) => rest!.test(users[index]!.token, id)));
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + DEADLINE_SLACK_MS);

      const refused = outcomes.filter(isFailure);
      const ran = outcomes.filter((outcome) => !isFailure(outcome));
      expect(refused).toHaveLength(3);
      for (const refusal of refused) expect(refusal).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfter: expect.stringMatching(/^\d+$/) });
      expect(ran.map((outcome) => !isFailure(outcome) && outcome.result.error?.code)).toEqual(['TIMEOUT', 'TIMEOUT']);

      // The slots are free again: a test now runs.
      const after = await rest!.test(users[0]!.token, ids[0]!);
      expect(isFailure(after) ? after : after.result.error?.code).toBe('TIMEOUT');
    });

    it('no response or log line carried the secret or the username', () => {
      expectNoneContains(transcript.texts, [ALICE.password, ALICE.username]);
      expectNoneContains(t.logs, [ALICE.password, ALICE.username]);
    });
  });
});
