import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../../src/graphql/schema.js';
import { projectPath } from '../../src/project-root.js';
import { HealthDocument } from '../gql/graphql.js';
import { startAppBehindProxy } from '../support/app-behind-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testProviders } from '../support/test-database.js';

describe.each(testProviders())('HTTP server on %s', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(provider);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /healthz and /readyz with a real database round trip', async () => {
    expect(await t.rest('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await t.rest('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ok', database: provider } });
  });

  it('serves GraphQL at /graphql through typed documents', async () => {
    expect(await t.graphql().request(HealthDocument)).toEqual({ health: { status: 'ok' } });
  });

  it('answers unknown routes, malformed JSON, wrong content types and huge bodies with clean errors', async () => {
    const missing = await t.rest('GET', '/api/nothing-here');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const malformed = await t.rest('POST', '/api/auth/sign-in', { body: '{"email":' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } } });
    const wrongType = await t.rest('POST', '/api/auth/sign-in', { body: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const huge = await t.rest('POST', '/api/auth/sign-in', { body: { email: 'a@b.c', password: 'x'.repeat(200_000) } });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    const notObject = await t.rest('POST', '/api/auth/sign-in', { body: [1, 2] });
    expect(notObject).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    for (const response of [missing, malformed, wrongType, huge, notObject]) expect(JSON.stringify(response.body)).not.toMatch(/\bat \w+ \(|node_modules/);
  });

  it('writes one structured log line per request with method, route, status, duration and request id', async () => {
    const before = t.logs.length;
    const response = await t.rest('GET', '/healthz', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    const lines = t.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    expect(lines).toEqual([expect.objectContaining({ method: 'GET', route: '/healthz', status: 200, durationMs: expect.any(Number), reqId: 'trace-abc-123' })]);
  });

  it('redacts the Authorization header and secrets from every log line', async () => {
    await t.rest('GET', '/api/me', { headers: { authorization: 'Bearer pct_logcanary000000000000000000000000000000000000' } });
    expect(t.logs.join('')).not.toContain('logcanary');
  });
});

describe('readiness while the database is away', () => {
  it.runIf(process.env.TEST_DATABASE_URL)('answers 503 while PostgreSQL is unreachable and 200 once it is back, without exiting', async () => {
    const { t, proxy, close } = await startAppBehindProxy();
    try {
      expect((await t.rest('GET', '/readyz')).status).toBe(200);
      await proxy.cut();
      const down = await t.rest('GET', '/readyz');
      expect(down).toMatchObject({ status: 503, body: { error: { code: 'UNAVAILABLE' } } });
      expect((await t.rest('GET', '/healthz')).status).toBe(200);
      await proxy.restore();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        status = (await t.rest('GET', '/readyz')).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    } finally {
      await close();
    }
  });
});

describe('generated artefacts', () => {
  it('schema.graphql matches the type-graphql classes (run npm run schema:emit after changing them)', async () => {
    expect(readFileSync(projectPath('schema.graphql'), 'utf8')).toBe(await printSchemaSdl());
  });
});
