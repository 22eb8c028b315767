import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signUpUser } from '../support/users.js';

describe('sign-in rate limits (in-process memory)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { SIGN_IN_RATE_LIMIT_PER_EMAIL: '3/60', SIGN_IN_RATE_LIMIT_PER_IP: '100/60' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After once an email has used its attempts', async () => {
    const user = await signUpUser(t);
    const attempt = () => t.rest('POST', '/api/auth/sign-in', { body: { email: user.email, password: 'wrong password here' } });
    expect([(await attempt()).status, (await attempt()).status, (await attempt()).status]).toEqual([401, 401, 401]);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The right password is refused too while the email is limited: the limit protects the account.
    expect((await t.rest('POST', '/api/auth/sign-in', { body: { email: user.email, password: user.password } })).status).toBe(429);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
const postgresUrl = process.env.TEST_DATABASE_URL;

describe.runIf(redisUrl && postgresUrl)('one sign-in limit shared by two server processes through Redis', () => {
  let first: TestApp;
  let second: TestApp;
  const prefix = `t${Date.now().toString(36)}`;

  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl!, SIGN_IN_RATE_LIMIT_PER_EMAIL: '4/60', SIGN_IN_RATE_LIMIT_PER_IP: '1000/60' };
    first = await startTestApp('postgresql', env);
    // The second server shares the first one's database and Redis, as two replicas would.
    second = await startTestApp('postgresql', { ...env, DATABASE_URL: first.databaseUrl });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    const redis = new Redis(redisUrl!);
    const keys = await redis.keys(`pcapi:sign-in-*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('counts attempts made on either server against one budget', async () => {
    const user = await signUpUser(first, prefix);
    const attemptOn = (server: TestApp) => server.rest('POST', '/api/auth/sign-in', { body: { email: user.email, password: 'wrong password here' } });
    const statuses = [];
    for (const server of [first, second, first, second, first, second]) statuses.push((await attemptOn(server)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
