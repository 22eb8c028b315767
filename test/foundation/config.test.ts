import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')}`;

describe('configuration', () => {
  it('has the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: 'file:./data/app.db',
      nodeEnv: 'development',
      allowSignup: true,
      allowInsecureTransport: false,
      graphqlIntrospection: true,
      connectivity: { timeoutMs: 15000, allowedHosts: [] },
      corsOrigins: [],
    });
    expect(config.redisUrl).toBeUndefined();
  });

  it('turns sign-up and introspection off in production unless asked', () => {
    const config = loadConfig({ NODE_ENV: 'production', CREDENTIALS_ENCRYPTION_KEYS: KEYS });
    expect(config.allowSignup).toBe(false);
    expect(config.graphqlIntrospection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', CREDENTIALS_ENCRYPTION_KEYS: KEYS, ALLOW_SIGNUP: 'true' }).allowSignup).toBe(true);
  });

  it('parses the key ring at start, first key active', () => {
    const second = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
    const ring = loadConfig({ CREDENTIALS_ENCRYPTION_KEYS: `${second},${KEYS}` }).encryptionKeys!;
    expect(ring.activeKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
    expect(loadConfig({}).encryptionKeys).toBeUndefined();
  });

  it('parses lists and flags', () => {
    const config = loadConfig({ CONNECTIVITY_ALLOWED_HOSTS: '127.0.0.1, ::1/128', CORS_ORIGINS: 'https://app.example.com', ALLOW_INSECURE_TRANSPORT: '1' });
    expect(config.connectivity.allowedHosts).toEqual(['127.0.0.1', '::1/128']);
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
    expect(config.allowInsecureTransport).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT: expected a whole number.*"abc"/],
    [{ PORT: '70000' }, /PORT: expected a whole number from 1 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: expected file:<path> \(SQLite\) or postgresql:/],
    [{ ALLOW_SIGNUP: 'maybe' }, /ALLOW_SIGNUP: expected true or false/],
    [{ NODE_ENV: 'prod' }, /NODE_ENV: expected development, production or test/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL: expected redis:\/\/host:port/],
    [{ CREDENTIALS_ENCRYPTION_KEYS: 'k1:tooshort' }, /^Invalid configuration: CREDENTIALS_ENCRYPTION_KEYS: key "k1" must decode to 32 bytes/],
    [{ CREDENTIALS_ENCRYPTION_KEYS: `${KEYS},${KEYS}` }, /CREDENTIALS_ENCRYPTION_KEYS: key id "k1" appears twice/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: CREDENTIALS_ENCRYPTION_KEYS: required in production/],
  ])('rejects %o with one clear line', (env, message) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('never echoes the value of a secret-bearing variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
