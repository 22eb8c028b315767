import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('log redaction', () => {
  const canary = 'canary-Secret-9f8e7d';

  it.each([
    ['top level', { secret: canary, password: canary, token: canary }],
    ['one level down', { input: { secret: canary }, body: { password: canary } }],
    ['request headers', { req: { headers: { authorization: `Bearer ${canary}`, cookie: canary } } }],
    ['deeper', { variables: { input: { secret: canary, username: canary } } }],
    ['three levels', { a: { b: { c: { accessToken: canary } } } }],
  ])('censors secret-bearing fields (%s)', (_name, payload) => {
    const { logger, lines } = captureLogger();
    logger.info(payload, 'something happened');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(canary);
    expect(lines[0]).toContain('[REDACTED]');
  });

  it('keeps ordinary fields', () => {
    const { logger, lines } = captureLogger();
    logger.info({ method: 'GET', route: '/healthz', status: 200 }, 'request');
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'GET', route: '/healthz', status: 200, msg: 'request' });
  });
});
