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
    ['six levels', { a: { b: { c: { d: { e: { f: { Password: canary } } } } } } }],
    ['inside arrays', { items: [{ ok: 1 }, { credential: { secret: canary } }] }],
    ['any letter case', { Authorization: canary, SECRET: canary }],
  ])('censors secret-bearing fields (%s)', (_name, payload) => {
    const { logger, lines } = captureLogger();
    logger.info(payload, 'something happened');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(canary);
    expect(lines[0]).toContain('[REDACTED]');
  });

  it('censors child logger bindings', () => {
    const { logger, lines } = captureLogger();
    logger.child({ token: canary, requestId: 'r1' }).info('bound');
    expect(lines[0]).not.toContain(canary);
    expect(JSON.parse(lines[0]!)).toMatchObject({ token: '[REDACTED]', requestId: 'r1' });
  });

  it('leaves the logged object itself unchanged and still serializes errors', () => {
    const { logger, lines } = captureLogger();
    const payload = { input: { secret: canary, host: '127.0.0.1' } };
    logger.info(payload, 'created');
    expect(payload.input.secret).toBe(canary);
    expect(JSON.parse(lines[0]!).input).toEqual({ secret: '[REDACTED]', host: '127.0.0.1' });
    logger.error({ err: new Error('boom') }, 'failed');
    expect(JSON.parse(lines[1]!).err).toMatchObject({ type: 'Error', message: 'boom' });
  });

  it('keeps ordinary fields', () => {
    const { logger, lines } = captureLogger();
    logger.info({ method: 'GET', route: '/healthz', status: 200 }, 'request');
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'GET', route: '/healthz', status: 200, msg: 'request' });
  });
});
