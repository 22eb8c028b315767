// Starts the real application (migrations, database, HTTP server on a loopback port) for one
// test file, with its own fresh database, and captures its log lines for assertions.
import { Writable } from 'node:stream';
import { GraphQLClient } from 'graphql-request';
import { createApp, type App } from '../../src/app.js';
import type { ServiceOverrides } from '../../src/app-services.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestProvider } from './test-database.js';

/** A fixed two-key ring for tests: t1 encrypts, t0 still decrypts. */
export const TEST_KEY_RING = `t1:${Buffer.alloc(32, 1).toString('base64')},t0:${Buffer.alloc(32, 2).toString('base64')}`;

export interface TestApp {
  app: App;
  baseUrl: string;
  provider: TestProvider;
  databaseUrl: string;
  logs: string[];
  /** A GraphQL client, optionally with a bearer token. */
  graphql(token?: string): GraphQLClient;
  /** fetch against the server: JSON body in, parsed JSON (or null) out. */
  rest(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Tests never ask a real resolver: a name lookup fails unless a test supplies its own answer. */
export const refuseLookups: NonNullable<ServiceOverrides['resolveHost']> = async (host) => {
  throw Object.assign(new Error(`no lookups in tests (${host})`), { code: 'ENOTFOUND' });
};

export async function startTestApp(provider: TestProvider, env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<TestApp> {
  const database = await createTestDatabase(provider);
  // Tests sign up many users from one IP: the sign-up limit is lifted unless a test sets it.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'info', SIGN_UP_RATE_LIMIT_PER_IP: '10000/60', SIGN_IN_RATE_LIMIT_PER_IP: '10000/60', CREDENTIALS_ENCRYPTION_KEYS: TEST_KEY_RING, ...env });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const app = await createApp(config, createLogger({ level: config.logLevel, destination }), { resolveHost: refuseLookups, ...overrides });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    app,
    baseUrl,
    provider,
    databaseUrl: database.url,
    logs,
    graphql: (token) => new GraphQLClient(`${baseUrl}/graphql`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    async rest(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
