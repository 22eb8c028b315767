import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TEST_KEY_RING, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
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

describe.runIf(redisUrl && postgresUrl)('one sign-in limit shared by two server processes through Redis and PostgreSQL', () => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];
  const prefix = `t${Date.now().toString(36)}`;

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl!, CREDENTIALS_ENCRYPTION_KEYS: TEST_KEY_RING, SIGN_IN_RATE_LIMIT_PER_EMAIL: '4/60', SIGN_IN_RATE_LIMIT_PER_IP: '1000/60', LOG_LEVEL: 'warn' };
    // One at a time, so that only the first applies the migrations.
    servers = [await startServerProcess(env)];
    servers.push(await startServerProcess(env));
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await database?.drop();
    const redis = new Redis(redisUrl!);
    const keys = await redis.keys(`pcapi:sign-in-*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('counts attempts made on either process against one budget', async () => {
    const post = (server: ServerProcess, path: string, body: unknown) =>
      fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const email = `${prefix}@example.test`;
    expect((await post(servers[0]!, '/api/auth/sign-up', { email, password: 'a long enough password', account_name: 'x' })).status).toBe(201);
    const statuses = [];
    for (const server of [servers[0]!, servers[1]!, servers[0]!, servers[1]!, servers[0]!, servers[1]!]) {
      statuses.push((await post(server, '/api/auth/sign-in', { email, password: 'wrong password here' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
